// A shell that stands for a process of its own: a background job (a forked
// subshell in dash) or a script without #! (script-shell.ts: dash execs
// /bin/sh on it). Signals sent to that process wait here until its shell
// acts on them at its next command (its traps, or its death). A script's
// shell also has its own `$$` (a pid no real process has, from the
// session's synthetic pids) and `$PPID` (the shell that ran it); a job
// keeps its parent's, as a subshell does.
//
// Imports nothing.

export interface ProcessIds {
  readonly pid: number;
  readonly ppid: number;
}

export class ShellProcess {
  /** Signal numbers sent to this process, not yet acted on. */
  readonly pending: number[] = [];
  /** The signal that ended it, for the message its parent writes as for any command killed so. */
  diedOf: number | undefined = undefined;

  constructor(
    /** A background job's shell (a forked subshell) or a script's (a process of its own: `exec` there keeps its pid). */
    readonly kind: "job" | "script",
    readonly ids: ProcessIds | undefined,
  ) {}
}
