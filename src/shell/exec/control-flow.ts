// Typed non-local exits of the shell language. They are not `Error`s (no
// stack capture: `return` in a hot function must be cheap), and every
// generic `catch` in the executor rethrows them.
//
// Imports nothing.

export abstract class ControlFlow {
  abstract readonly kind: string;
}

/** `break N`: `levels` loops still to leave. */
export class BreakFlow extends ControlFlow {
  readonly kind = "break";
  constructor(readonly levels: number) {
    super();
  }
}

/** `continue N` */
export class ContinueFlow extends ControlFlow {
  readonly kind = "continue";
  constructor(readonly levels: number) {
    super();
  }
}

/** `return [N]` from a function or a sourced file. */
export class ReturnFlow extends ControlFlow {
  readonly kind = "return";
  constructor(readonly status: number) {
    super();
  }
}

/** `exit [N]`, a fatal error, or a deadly signal: leave the (sub)shell. */
export class ExitFlow extends ControlFlow {
  readonly kind = "exit";
  constructor(readonly status: number) {
    super();
  }
}

/**
 * A fatal error (dash's EXERROR: a syntax, expansion or special builtin
 * error), not `exit` or `set -e`: it ends the shell too, except inside
 * `command eval` and `command .`, which stop it as dash's evalcommand does
 * for a builtin that is not special (the command's status is then 2).
 */
export class ErrorFlow extends ExitFlow {}

/**
 * A fatal error whose message waits until the simple command that raised it
 * has undone its redirections: dash restores a call's locals (its
 * unwindlocalvars) after popredir, so `f 2>/dev/null` still shows the
 * `1x: bad variable name` of a `local 1x=2` in f. simple.ts reports it.
 */
export class DeferredErrorFlow extends ErrorFlow {
  constructor(readonly message: string) {
    super(2);
  }
}

/**
 * A signal's default action ended the (sub)shell: status 128+N, and unlike
 * `exit`, no EXIT trap runs (the process is gone, as in dash).
 */
export class SignalDeathFlow extends ExitFlow {
  constructor(readonly signal: number) {
    super(128 + signal);
  }
}

/** A write to a pipe whose reader is gone (the in-process SIGPIPE): ends the writing pipeline stage with 128+13. */
export class BrokenPipeFlow extends ControlFlow {
  readonly kind = "broken-pipe";
  readonly status = 141;
}

export function isControlFlow(value: unknown): value is ControlFlow {
  return value instanceof ControlFlow;
}

/** A (sub)shell exits with the low 8 bits of its status, as a process does (`return 300` in `$(…)` gives 44). */
export function toExitStatus(status: number): number {
  return status & 0xff;
}
