// May this user trust a socket directory (DESIGN §8)? Used by the daemon
// before it listens and by a client before it starts a daemon: a directory
// another user can write to lets that user put their own socket where the
// client looks, and a client would hand it its environment and script.
//
// The rule: the socket directory itself is a real directory (not a symlink),
// owned by the user, open to nobody else (0700 or stricter). Every directory
// above it, after symlinks are resolved, is owned by the user or root and not
// writable by group or others, unless it is sticky (like /tmp: others may
// create entries there but not rename or remove ours).
//
// The connection itself is checked with SO_PEERCRED on every connect
// (peer-credentials.ts); this check keeps a daemon from being started, or a
// socket from being created, where someone else could take it over.

import { lstatSync, realpathSync, statSync, type Stats } from "node:fs";

const S_ISVTX = 0o1000;

export class UntrustedPathError extends Error {
  override readonly name = "UntrustedPathError";
  constructor(readonly path: string, readonly reason: string) {
    super(`refusing socket directory ${path}: ${reason}`);
  }
}

/** Throws UntrustedPathError naming the first component that fails the rule. `dir` must exist. */
export function checkSocketDir(dir: string, uid: number): void {
  const own = lstatSync(dir);
  if (own.isSymbolicLink()) throw new UntrustedPathError(dir, "it is a symbolic link");
  if (!own.isDirectory()) throw new UntrustedPathError(dir, "it is not a directory");
  if (own.uid !== uid) throw new UntrustedPathError(dir, `owned by uid ${own.uid}, not by you (uid ${uid})`);
  if ((own.mode & 0o077) !== 0) throw new UntrustedPathError(dir, `mode ${octal(own.mode)} lets group or others in (want 700)`);
  const real = realpathSync(dir);
  for (let at = real.lastIndexOf("/"); at > 0; at = real.lastIndexOf("/", at - 1)) {
    checkAncestor(real.slice(0, at), uid, dir);
  }
  checkAncestor("/", uid, dir);
}

function checkAncestor(ancestor: string, uid: number, dir: string): void {
  const stat: Stats = statSync(ancestor);
  if (stat.uid !== uid && stat.uid !== 0) {
    throw new UntrustedPathError(dir, `${ancestor} is owned by uid ${stat.uid}, neither you (uid ${uid}) nor root`);
  }
  if ((stat.mode & 0o022) !== 0 && (stat.mode & S_ISVTX) === 0) {
    throw new UntrustedPathError(dir, `${ancestor} (mode ${octal(stat.mode)}) is writable by group or others and not sticky`);
  }
}

function octal(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(3, "0");
}
