// Compare two directory trees file by file, byte for byte, for the
// configure check: which files one run made that the other did not, and
// which differ (with the first lines of a unified diff, to read, not to
// parse). Imports nothing from src/.

import { lstatSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { join } from "node:path";

export interface FileDifference {
  readonly path: string;
  /** `diff -u` of the two files, cut to its first lines ("" for a binary or type difference). */
  readonly excerpt: string;
  /** Lines that differ (added plus removed) in the whole diff. */
  readonly changedLines: number;
}

export interface TreeDifference {
  readonly onlyInFirst: readonly string[];
  readonly onlyInSecond: readonly string[];
  readonly differing: readonly FileDifference[];
}

/** Every path under `root` (relative, sorted), with what it is: a file's bytes, a link's target, or a directory. */
function listTree(root: string): Map<string, { kind: "file" | "link" | "dir"; bytes?: Buffer; target?: string }> {
  const entries = new Map<string, { kind: "file" | "link" | "dir"; bytes?: Buffer; target?: string }>();
  const walk = (relative: string): void => {
    for (const name of readdirSync(join(root, relative)).sort()) {
      const path = relative === "" ? name : `${relative}/${name}`;
      const full = join(root, path);
      const stat = lstatSync(full);
      if (stat.isSymbolicLink()) entries.set(path, { kind: "link", target: readlinkSync(full) });
      else if (stat.isDirectory()) {
        entries.set(path, { kind: "dir" });
        walk(path);
      } else entries.set(path, { kind: "file", bytes: readFileSync(full) });
    }
  };
  walk("");
  return entries;
}

const EXCERPT_LINES = 12;

function diffExcerpt(first: string, second: string): { excerpt: string; changedLines: number } {
  // diff exits 1 when the files differ; only 2 is trouble.
  const run = Bun.spawnSync(["diff", "-u", "--label", "dash", "--label", "rushd", first, second], { stdout: "pipe", stderr: "pipe" });
  if (run.exitCode === 2) throw new Error(`diff ${first} ${second} failed: ${run.stderr.toString()}`);
  const lines = run.stdout.toString().split("\n");
  const changedLines = lines.filter((line) => /^[-+](?![-+]{2} )/.test(line)).length;
  return { excerpt: lines.slice(0, EXCERPT_LINES).join("\n"), changedLines };
}

export function compareTrees(first: string, second: string): TreeDifference {
  const a = listTree(first);
  const b = listTree(second);
  const differing: FileDifference[] = [];
  for (const [path, entry] of a) {
    const other = b.get(path);
    if (other === undefined) continue;
    if (entry.kind !== other.kind) differing.push({ path, excerpt: `${entry.kind} vs ${other.kind}`, changedLines: 0 });
    else if (entry.kind === "link" && entry.target !== other.target) differing.push({ path, excerpt: `-> ${entry.target} vs -> ${other.target}`, changedLines: 0 });
    else if (entry.kind === "file" && entry.bytes !== undefined && other.bytes !== undefined && !entry.bytes.equals(other.bytes)) {
      differing.push({ path, ...diffExcerpt(join(first, path), join(second, path)) });
    }
  }
  return {
    onlyInFirst: [...a.keys()].filter((path) => !b.has(path)),
    onlyInSecond: [...b.keys()].filter((path) => !a.has(path)),
    differing,
  };
}
