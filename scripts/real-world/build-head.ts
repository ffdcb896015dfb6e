// Build rushd from the committed HEAD alone, outside the work tree: others
// may be editing src/ at the same time, and a real-world report must name
// the exact code it checked. Shared by scripts/real-world-check.ts and
// scripts/real-world/configure-check.ts; imports nothing from src/.

import { mkdirSync, rmSync, symlinkSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

export interface HeadBuild {
  /** The built executable. */
  readonly rushd: string;
  /** `git rev-parse --short HEAD` of the tree it was built from. */
  readonly commit: string;
}

/**
 * `git archive HEAD` of the repository at `root`, compiled as `npm run build`
 * does, into ~/.cache/<cacheName> (not under /tmp or /var/tmp: the
 * real-world check's sandbox mounts fresh ones over those).
 */
export function buildHead(root: string, cacheName: string): HeadBuild {
  const dir = join(homedir(), ".cache", cacheName);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const commit = Bun.spawnSync(["git", "-C", root, "rev-parse", "--short", "HEAD"]).stdout.toString().trim();
  if (commit === "") throw new Error(`git rev-parse HEAD failed in ${root}`);
  const archive = Bun.spawnSync(["sh", "-c", `git -C "$1" archive HEAD | tar -x -C "$2"`, "sh", root, dir], { stderr: "inherit" });
  if (archive.exitCode !== 0) throw new Error("git archive HEAD failed");
  symlinkSync(join(root, "node_modules"), join(dir, "node_modules"));
  const rushd = join(dir, "rushd");
  // HEAD's own build script, with HEAD's flags.
  const build = Bun.spawnSync([process.execPath, "scripts/build-executable.ts", "--outfile", rushd], { cwd: dir, stdout: "ignore", stderr: "inherit" });
  if (build.exitCode !== 0) throw new Error("building HEAD failed");
  return { rushd, commit };
}
