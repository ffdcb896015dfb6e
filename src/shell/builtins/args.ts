// The one flag parser of all builtins (getopt rules): flags are declared as
// data, grouped `-abc`, values `-p x` or `-px`, `--` ends them, `-` alone
// is an operand. An undeclared flag is a usage error (status 2).
//
// Imports nothing.

/** `flag`: a switch; `value`: takes an argument. */
export type FlagSpec = Readonly<Record<string, "flag" | "value">>;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

const NO_FLAGS: ReadonlySet<string> = new Set();
const NO_VALUES: ReadonlyMap<string, string> = new Map();

export class ParsedArgs {
  constructor(
    private readonly flags: ReadonlySet<string>,
    private readonly values: ReadonlyMap<string, string>,
    /** Flags given as `+x` (only for builtins that accept them). */
    private readonly plusFlags: ReadonlySet<string>,
    readonly operands: readonly string[],
    /** The flags in the order given (`set -e +o x`: `{-, e}`, `{+, o, x}`). */
    readonly order: readonly { readonly sign: string; readonly letter: string; readonly value?: string }[],
    /** `--` ended the flags (`set --` clears the positional parameters). */
    readonly sawEndMarker = false,
  ) {}

  has(letter: string): boolean {
    return this.flags.has(letter);
  }

  hasPlus(letter: string): boolean {
    return this.plusFlags.has(letter);
  }

  value(letter: string): string | undefined {
    return this.values.get(letter);
  }

  /** Arguments handed over untouched (no flag parsing): shares empty, never-mutated flag sets. */
  static raw(operands: readonly string[]): ParsedArgs {
    return new ParsedArgs(NO_FLAGS, NO_VALUES, NO_FLAGS, operands, []);
  }
}

/** Parse `args` (without the command name) against `spec`. */
export function parseArgs(args: readonly string[], spec: FlagSpec, acceptPlus = false): ParsedArgs {
  // No flag at all, the usual call (`read line`, `cd dir`): no sets to build.
  const first = args[0];
  if (first === undefined || first.length < 2 || (first[0] !== "-" && !(first[0] === "+" && acceptPlus))) return ParsedArgs.raw(args.slice());
  const flags = new Set<string>();
  const plusFlags = new Set<string>();
  const values = new Map<string, string>();
  const order: { sign: string; letter: string; value?: string }[] = [];
  let sawEndMarker = false;
  let i = 0;
  for (; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (arg === "--") {
      sawEndMarker = true;
      i++;
      break;
    }
    const sign = arg[0];
    if (arg.length < 2 || (sign !== "-" && !(sign === "+" && acceptPlus))) break;
    for (let j = 1; j < arg.length; j++) {
      const letter = arg[j] ?? "";
      const kind = spec[letter];
      if (kind === undefined) throw new UsageError(`Illegal option ${sign}${letter}`);
      if (kind === "value") {
        const rest = arg.slice(j + 1);
        const value = rest !== "" ? rest : args[++i];
        if (value === undefined) throw new UsageError(`No arg for ${sign}${letter} option`);
        order.push({ sign, letter, value });
        values.set(letter, value);
        flags.add(letter);
        break;
      }
      order.push({ sign, letter });
      if (sign === "+") plusFlags.add(letter);
      else flags.add(letter);
    }
  }
  return new ParsedArgs(flags, values, plusFlags, args.slice(i), order, sawEndMarker);
}
