// The library's transport: Bun's own sockets under Bun, node:net under
// Node.js (the library must load in both: nothing here may import bun:ffi
// or other runtime-only modules at load time).
//
// Trust (DESIGN §8) without SO_PEERCRED, which Node cannot ask for: the
// socket file must be a socket owned by this user, in a directory that
// passes the daemon's own rule (common/path-trust.ts: ours, 0700, no
// ancestor others can write). Only a process of this user can bind a socket
// there, so whoever answers is ours. The daemon and its workers still check
// *our* SO_PEERCRED on every connection.

import { lstatSync } from "node:fs";
import { checkSocketDir, UntrustedPathError } from "../../common/path-trust.ts";
import { parentDir } from "../../protocol/paths.ts";
import { UntrustedPeerError, type Transport } from "../link.ts";
import { dialBun } from "../transport/bun-socket.ts";
import { dialNode } from "../transport/node-socket.ts";
import { isBunRuntime } from "../transport/runtime.ts";

/** Which sockets a client uses: "bun" only where Bun is the runtime. */
export type SocketKind = "bun" | "node";

export function defaultSocketKind(): SocketKind {
  return isBunRuntime() ? "bun" : "node";
}

export function libraryTransport(kind: SocketKind): Transport {
  const trustedDirs = new Set<string>();
  return {
    dial: kind === "bun" ? dialBun : dialNode,
    checkPeer(path) {
      const ourUid = process.getuid?.() ?? 0;
      const dir = parentDir(path);
      if (!trustedDirs.has(dir)) {
        try {
          checkSocketDir(dir, ourUid);
        } catch (error) {
          if (error instanceof UntrustedPathError) throw new UntrustedPeerError(path, -1, ourUid, error.message);
          throw error;
        }
        trustedDirs.add(dir);
      }
      const stat = lstatSync(path);
      if (!stat.isSocket() || stat.uid !== ourUid) throw new UntrustedPeerError(path, stat.uid, ourUid);
    },
  };
}
