// What a builtin is (data: name, special or not, its flags, its run
// function), the context it runs with, and how the executor invokes one.
//
// Imports `args.ts` and executor types; builtins never import `exec/simple`.

import { ErrorFlow } from "../exec/control-flow.ts";
import type { Interp } from "../exec/executor.ts";
import { FdError } from "../exec/fds.ts";
import { recover, type Status } from "../exec/maybe.ts";
import { withCommandName } from "../exec/message-name.ts";
import { AssignmentError } from "../exec/vars.ts";
import { type FlagSpec, ParsedArgs, parseArgs, UsageError } from "./args.ts";

export interface Builtin {
  readonly name: string;
  /** POSIX special builtin (XCU 2.14): found before functions, keeps prefix assignments, errors end the shell. */
  readonly special: boolean;
  /** Declared flags; `null` hands the arguments over untouched (echo, test, printf, …). */
  readonly flags: FlagSpec | null;
  /** Accept `+x` as well as `-x`. */
  readonly plusFlags: boolean;
  run(ctx: BuiltinContext, args: ParsedArgs): Status;
}

export interface BuiltinSpec {
  readonly name: string;
  readonly special?: boolean;
  readonly flags: FlagSpec | null;
  readonly plusFlags?: boolean;
  run(ctx: BuiltinContext, args: ParsedArgs): Status;
}

export function defineBuiltin(spec: BuiltinSpec): Builtin {
  return { special: false, plusFlags: false, ...spec };
}

export class BuiltinContext {
  constructor(
    readonly interp: Interp,
    readonly builtin: Builtin,
    /** The whole command line, `argv[0]` being the builtin's name. */
    readonly argv: readonly string[],
    private readonly viaCommand = false,
  ) {}

  get name(): string {
    return this.builtin.name;
  }

  out(text: string | Uint8Array): void | Promise<void> {
    return this.interp.write(1, text);
  }

  err(text: string): void | Promise<void> {
    return this.interp.write(2, text);
  }

  /** `<argv0>: <line>: <name>: <message>` on stderr; yields `status`. */
  fail(message: string, status = 1): Status {
    return this.interp.fail(`${this.name}: ${message}`, status);
  }

  /** Whether an error of this builtin ends the shell: a special builtin's, unless run through `command`. */
  get errorsEndShell(): boolean {
    return this.builtin.special && !this.viaCommand;
  }

  /** An error that ends a non-interactive shell when the builtin is special (dash exits with 2). */
  fatal(message: string, status = 2): Status {
    if (!this.errorsEndShell) return this.fail(message, status);
    this.interp.report(`${this.name}: ${message}`);
    throw new ErrorFlow(status);
  }
}

/** Run a builtin; `viaCommand` (`command shift 5`) keeps a special builtin's errors from ending the shell. */
export function runBuiltin(interp: Interp, builtin: Builtin, argv: readonly string[], viaCommand = false): Status {
  // A builtin's messages name the builtin, not an enclosing `eval` or `.`; `command` is no
  // builtin to dash (what it runs is named as it would be without it).
  if (interp.commandName !== undefined && builtin.name !== "command") {
    return withCommandName(interp, undefined, () => runBuiltin(interp, builtin, argv, viaCommand));
  }
  const ctx = new BuiltinContext(interp, builtin, argv, viaCommand);
  return recover(
    () => {
      const args = builtin.flags === null ? ParsedArgs.raw(argv.slice(1)) : parseArgs(argv.slice(1), builtin.flags, builtin.plusFlags);
      return builtin.run(ctx, args);
    },
    (error) => {
      if (error instanceof UsageError) return ctx.fatal(error.message, 2);
      // dash names the builtin twice in a failed write: `echo: echo: I/O error`.
      if (error instanceof FdError) return ctx.fail(error.message === "I/O error" ? `${ctx.name}: I/O error` : error.message, 1);
      if (error instanceof AssignmentError) return ctx.fatal(error.message, 2);
      throw error;
    },
  );
}

/**
 * dash's number(), for `shift`, `exit`, `return`, `break`, `kill`, `wait`: decimal
 * digits as strtoimax reads them (blanks around, a sign) from 0 to INT_MAX;
 * undefined for anything else, which dash calls an "Illegal number".
 */
export function parseCount(text: string): number | undefined {
  const match = /^[ \t\n\v\f\r]*([+-]?\d+)[ \t\n\v\f\r]*$/.exec(text);
  const n = match?.[1] === undefined ? Number.NaN : Number(match[1]);
  return n >= 0 && n <= INT_MAX ? Math.abs(n) : undefined;
}

const INT_MAX = 2147483647;

/** A syntactically valid variable name. */
export function isName(text: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(text);
}

/** The status once a write is done (synchronously when the write was). */
export function afterWrite(write: void | Promise<void>, status: number): Status {
  return write instanceof Promise ? write.then(() => status) : status;
}
