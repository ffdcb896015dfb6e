// Which runtime this is, and so which sockets to use by default: Bun's own
// under Bun (faster there: BENCHMARKS.md, "The library from Node.js and
// Bun"), node:net under Node.js.

import { dialBun } from "./bun-socket.ts";
import type { Dialer } from "./dialer.ts";
import { dialNode } from "./node-socket.ts";

export function isBunRuntime(): boolean {
  return typeof (globalThis as { Bun?: unknown }).Bun === "object";
}

export function runtimeDialer(): Dialer {
  return isBunRuntime() ? dialBun : dialNode;
}
