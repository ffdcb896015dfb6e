// Directories a session `cd`ed into, held open by fd so that a command
// started after the directory was removed still starts in it. In dash the
// shell's process cwd is the directory itself, which outlives its name:
// `cd d; rmdir ../d; ls` lists nothing and succeeds. rushd keeps the cwd as
// a path (a worker serves many sessions) and a removed path cannot be
// entered again, but /proc/<pid>/fd/<n> of an fd open on the directory can.
//
// Only directories entered with `cd` are held (the session's first cwd
// would cost an open per session on the hot path), at most MAX_HELD of them,
// and only looked at when a spawn finds its cwd gone.
//
// Imports node:fs and bytes.ts only.

import { closeSync, constants, existsSync, openSync } from "node:fs";
import { fsPath } from "../bytes.ts";

const MAX_HELD = 8;

export class HeldDirectories {
  /** Path → fd, oldest first. */
  private readonly held = new Map<string, number>();

  /** Hold `dir` (just entered with cd); a directory that cannot be opened (no read permission) is not held. */
  hold(dir: string): void {
    if (this.held.has(dir)) return;
    let fd: number;
    try {
      fd = openSync(fsPath(dir), constants.O_RDONLY | constants.O_DIRECTORY);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== undefined) return;
      throw error;
    }
    this.held.set(dir, fd);
    if (this.held.size > MAX_HELD) {
      const [oldest, oldestFd] = this.held.entries().next().value as [string, number];
      this.held.delete(oldest);
      closeSync(oldestFd);
    }
  }

  /** Where a child can start in `dir`: the path itself, or, if it was removed and is held, its fd's /proc link. */
  spawnable(dir: string): string {
    if (this.held.size === 0) return dir;
    const fd = this.held.get(dir);
    if (fd === undefined || existsSync(fsPath(dir))) return dir;
    return `/proc/${process.pid}/fd/${fd}`;
  }

  release(): void {
    for (const fd of this.held.values()) closeSync(fd);
    this.held.clear();
  }
}
