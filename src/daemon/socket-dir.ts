// The socket directory is the daemon's security boundary: only its owner may
// enter it (0700), so only the owner can reach the daemon and its workers.

import { mkdirSync, statSync } from "node:fs";

export class SocketDirError extends Error {
  override readonly name = "SocketDirError";
}

/** Create `dir` 0700 if missing; refuse one owned by someone else or open to group/others. */
export function prepareSocketDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = statSync(dir);
  if (!stat.isDirectory()) throw new SocketDirError(`${dir} is not a directory`);
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid) {
    throw new SocketDirError(`refusing socket directory ${dir}: owned by uid ${stat.uid}, not by you (uid ${uid})`);
  }
  if ((stat.mode & 0o077) !== 0) {
    throw new SocketDirError(`refusing socket directory ${dir}: mode ${(stat.mode & 0o777).toString(8)} lets group or others in (want 700)`);
  }
}
