// Shared by cli, client and daemon (src/common/: process-level helpers that know nothing of the shell).
// How to start this same program again (for workers and a background daemon):
// the compiled executable is its own entry; under `bun src/cli/main.ts` the
// runtime needs the script path too.

export function selfCommand(): string[] {
  const main = Bun.main;
  const isCompiled = main.startsWith("/$bunfs/") || main.startsWith("B:/~BUN/");
  return isCompiled ? [process.execPath] : [process.execPath, main];
}
