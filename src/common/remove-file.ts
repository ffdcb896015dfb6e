// Remove a file that may already be gone (a stale socket, a lock, a pid file).

import { unlinkSync } from "node:fs";

export function removeIfPresent(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}
