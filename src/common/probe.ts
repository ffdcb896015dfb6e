// Is a daemon answering on this socket? Used before listening (stale socket
// detection) and by clients before auto-starting one. Runs under Bun and
// under Node.js (the library's launcher uses it).
//
// Bun reports a connect that failed with EAGAIN (a live daemon's queue of
// connections is full) as ECONNREFUSED, what a stale socket gives; under Bun
// that answer is checked with connect(2) itself (connect-errno.ts), so a
// flooded daemon is not taken for gone. Node reports EAGAIN as it is.

import { isBunRuntime, runtimeDialer } from "../client/transport/runtime.ts";
import { isListening } from "./connect-errno.ts";

export type SocketProbe = "alive" | "dead";

const ignore = { data() {}, drain() {}, close() {}, error() {} };

export async function probeSocket(path: string): Promise<SocketProbe> {
  try {
    const socket = await runtimeDialer()(path, ignore);
    socket.end();
    return "alive";
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ECONNREFUSED" && isBunRuntime() && isListening(path)) return "alive";
    if (code === "ENOENT" || code === "ECONNREFUSED" || code === "ENOTSOCK") return "dead";
    throw error;
  }
}
