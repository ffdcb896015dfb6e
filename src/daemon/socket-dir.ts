// The socket directory is the daemon's security boundary: only its owner may
// enter it (0700), so only the owner can reach the daemon and its workers.
// The rule for the directory and the path above it is in common/path-trust.ts.

import { mkdirSync } from "node:fs";
import { checkSocketDir, UntrustedPathError } from "../common/path-trust.ts";

export class SocketDirError extends Error {
  override readonly name = "SocketDirError";
}

/** Create `dir` 0700 if missing; refuse one that is not safely the user's. Throws SocketDirError. */
export function prepareSocketDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    checkSocketDir(dir, process.getuid?.() ?? 0);
  } catch (error) {
    if (error instanceof UntrustedPathError) throw new SocketDirError(error.message, { cause: error });
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== undefined) throw new SocketDirError(`cannot use socket directory ${dir}: ${describeErrno(code)}`, { cause: error });
    throw error;
  }
}

function describeErrno(code: string): string {
  switch (code) {
    case "ENOTDIR": return "a component of the path is not a directory";
    case "EACCES": return "permission denied";
    case "EROFS": return "read-only file system";
    case "ENOSPC": return "no space left on device";
    case "EEXIST": return "exists and is not a directory";
    default: return code;
  }
}
