// Names rushd knows that dash does not: the `[[ … ]]` and `function`
// keywords and the `source` builtin, bash extensions kept because dash
// rejects them (docs/COMPATIBILITY.md). A script that only asks about them
// (`type source`, `command -v [[`, `hash source`) is one dash accepts, so
// those lookups answer as dash does: such a name is looked for in PATH only.
//
// Imports nothing.

const BASH_ONLY_NAMES: ReadonlySet<string> = new Set(["[[", "]]", "function", "source"]);

export function isBashOnlyName(name: string): boolean {
  return BASH_ONLY_NAMES.has(name);
}
