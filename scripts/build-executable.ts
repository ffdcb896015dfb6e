// Builds the rushd executable: one file holding the client, the shell, the
// daemon and the worker (src/cli/main.ts, with src/cli/roles.ts embedded as
// a second entry point that only the non-client roles import).
//
//   bun scripts/build-executable.ts [--outfile PATH]   (default dist/rushd)
//
// Every flag here is about the executable behaving as `sh -c` and starting
// fast (`rushd -c` is a whole process per command):
// - --no-compile-autoload-dotenv, --no-compile-autoload-bunfig: a compiled
//   Bun program otherwise reads `.env` and `bunfig.toml` from the caller's
//   working directory at start-up. A `.env` there put its variables into
//   every command's environment (sh never reads such a file), and looking for
//   them read whole directories (slow in a large one such as /tmp).
// - --compile-jit-policy: the client's code runs once per process, so JIT
//   compiling any of it is time lost (measured in BENCHMARKS.md's
//   optimisation log). The roles that live long (daemon, worker, the
//   in-process shell) set the normal policy back when they load (main.ts).

import { join } from "node:path";

/** JavaScriptCore's tier-up thresholds are multiplied by this until a long-lived role resets it to 1. */
export const CLIENT_JIT_POLICY = 100;

const ROOT = join(import.meta.dir, "..");

export function buildExecutable(outfile: string, cwd = ROOT): void {
  const argv = [
    process.execPath, "build", "--compile", "--minify", "--bytecode",
    "--no-compile-autoload-dotenv", "--no-compile-autoload-bunfig",
    `--compile-jit-policy=${CLIENT_JIT_POLICY}`,
    "src/cli/main.ts", "src/cli/roles.ts", "--outfile", outfile,
  ];
  const built = Bun.spawnSync(argv, { cwd, stdout: "ignore", stderr: "inherit" });
  if (built.exitCode !== 0) throw new Error(`bun build --compile failed (status ${built.exitCode}) in ${cwd}`);
}

if (import.meta.main) {
  const at = process.argv.indexOf("--outfile");
  buildExecutable(at >= 0 ? (process.argv[at + 1] ?? "") : join(ROOT, "dist/rushd"));
}
