// What the numbers were measured on, and from which build (DESIGN §7:
// "the machine described").

import { readdirSync, readFileSync, statSync } from "node:fs";
import { availableParallelism, release, totalmem } from "node:os";
import { join } from "node:path";

export interface Machine {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly kernel: string;
  readonly memoryGb: number;
  readonly bun: string;
  readonly bash: string;
  readonly dash: string;
  readonly load: string;
}

export interface Build {
  /** HEAD and whether src/ had uncommitted changes, when the run started (others may be editing the tree). */
  readonly tree: string;
  readonly binaryBuilt: Date;
  /** Source files changed after the binary was built (the numbers may not be the tree's). */
  readonly newerSources: readonly string[];
}

export function describeMachine(): Machine {
  const cpuinfo = readFileSync("/proc/cpuinfo", "utf8");
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? "unknown";
  return {
    cpus: availableParallelism(),
    cpuModel: model.trim(),
    kernel: release(),
    memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    bun: Bun.version,
    bash: firstLine(["bash", "--version"]),
    dash: packageVersion("dash"),
    load: readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" "),
  };
}

export function describeBuild(root: string, binary: string): Build {
  const built = statSync(binary).mtime;
  const newer = listFiles(join(root, "src")).filter((file) => statSync(file).mtime > built).map((file) => file.slice(root.length + 1));
  const head = firstLine(["git", "-C", root, "rev-parse", "--short", "HEAD"]);
  const dirty = firstLine(["git", "-C", root, "status", "--porcelain", "--", "src"]) !== "";
  return { tree: `HEAD ${head}, ${dirty ? "with uncommitted changes in src/" : "src/ clean"}`, binaryBuilt: built, newerSources: newer };
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? listFiles(path) : [path];
  });
}

function firstLine(argv: readonly string[]): string {
  const result = Bun.spawnSync([...argv], { stdout: "pipe", stderr: "ignore" });
  return result.exitCode === 0 ? (result.stdout.toString().split("\n")[0] ?? "").trim() : "unknown";
}

/** dash has no --version; ask the package manager, if there is one. */
function packageVersion(name: string): string {
  const dpkg = Bun.spawnSync(["dpkg-query", "-W", "-f", "${Version}", name], { stdout: "pipe", stderr: "ignore" });
  return dpkg.exitCode === 0 ? `${name} ${dpkg.stdout.toString().trim()}` : name;
}
