// `$0` of `rushd -c` without a name operand: the shell's own argv[0], as sh
// has it (`exec -a foo rushd -c 'echo $0'` prints foo; a symlink's name
// shows), so error messages name the shell as the caller invoked it. Under
// `bun src/cli/main.ts` (development) argv[0] is the runtime (`bun`, or
// its path): say rushd.

export function shellName(): string {
  const name = process.argv0;
  return name === "" || name === "bun" || name.endsWith("/bun") ? "rushd" : name;
}
