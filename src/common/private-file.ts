// Open the daemon's own files beside its socket (log, pid file) without
// following a symlink and only if they are the user's: a symlink planted at
// `s.sock.log` would otherwise make the client or daemon append to, or
// truncate, a file of the attacker's choosing.

import { closeSync, constants, fstatSync, openSync } from "node:fs";

export class PrivateFileError extends Error {
  override readonly name = "PrivateFileError";
}

/** Open `path` with `flags` (plus O_NOFOLLOW), mode 0600 if created; refuse a file of another user. */
export function openPrivateFile(path: string, flags: "append" | "truncate"): number {
  const base = constants.O_WRONLY | constants.O_CREAT | constants.O_NOFOLLOW; // fds are close-on-exec in Node and Bun
  let fd: number;
  try {
    fd = openSync(path, base | (flags === "append" ? constants.O_APPEND : constants.O_TRUNC), 0o600);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ELOOP") throw new PrivateFileError(`refusing ${path}: it is a symbolic link`, { cause: error });
    if (code !== undefined) throw new PrivateFileError(`cannot open ${path}: ${code}`, { cause: error });
    throw error;
  }
  const stat = fstatSync(fd);
  const uid = process.getuid?.();
  if (!stat.isFile() || (uid !== undefined && stat.uid !== uid)) {
    closeSync(fd);
    throw new PrivateFileError(`refusing ${path}: ${stat.isFile() ? `owned by uid ${stat.uid}, not by you` : "not a regular file"}`);
  }
  return fd;
}
