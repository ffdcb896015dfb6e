// The process a script without #! runs in (script-shell.ts), as dash's exec
// of /bin/sh would make it: its own `$$` (a pid no real process has, from
// the session's synthetic pids), `$PPID` the shell that ran it, and the
// signals `kill $$` sends it, which that shell handles itself (its traps,
// or its death) instead of the session's shell.
//
// Imports nothing.

export class ShellProcess {
  /** Signal numbers sent to this process, not yet acted on. */
  readonly pending: number[] = [];
  /** The signal that ended it, for the message its parent writes as for any command killed so. */
  diedOf: number | undefined = undefined;

  constructor(
    readonly pid: number,
    readonly ppid: number,
  ) {}
}
