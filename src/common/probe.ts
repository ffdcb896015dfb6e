// Is a daemon answering on this socket? Used before listening (stale socket
// detection) and by clients before auto-starting one. Runs under Bun and
// under Node.js (the library's launcher uses it).

import { runtimeDialer } from "../client/transport/runtime.ts";

export type SocketProbe = "alive" | "dead";

const ignore = { data() {}, drain() {}, close() {}, error() {} };

export async function probeSocket(path: string): Promise<SocketProbe> {
  try {
    const socket = await runtimeDialer()(path, ignore);
    socket.end();
    return "alive";
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ECONNREFUSED" || code === "ENOTSOCK") return "dead";
    throw error;
  }
}
