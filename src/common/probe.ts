// Is a daemon answering on this socket? Used before listening (stale socket
// detection) and by clients before auto-starting one. Runs under Bun and
// under Node.js (the library's launcher uses it).

import { dialBun } from "../client/transport/bun-socket.ts";
import type { Dialer } from "../client/transport/dialer.ts";
import { dialNode } from "../client/transport/node-socket.ts";

export type SocketProbe = "alive" | "dead";

const ignore = { data() {}, drain() {}, close() {}, error() {} };

export async function probeSocket(path: string): Promise<SocketProbe> {
  const dial: Dialer = typeof (globalThis as { Bun?: unknown }).Bun === "object" ? dialBun : dialNode;
  try {
    const socket = await dial(path, ignore);
    socket.end();
    return "alive";
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ECONNREFUSED" || code === "ENOTSOCK") return "dead";
    throw error;
  }
}
