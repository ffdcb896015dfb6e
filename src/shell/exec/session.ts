// What all the (sub)shells of one session share: the embedding's host and
// name, the in-process background jobs (which outlive the session, as a
// forked subshell outlives `sh -c`), the foreground processes (for
// `Shell.signal`), signals waiting to be handled, the PATH lookup cache, and
// the dispose switch.
//
// Imports sibling executor modules only.

import type { Subprocess } from "bun";
import type { ShellHost } from "../io.ts";
import { type Job, SyntheticPids } from "./jobs.ts";
import type { SessionInput } from "./fds.ts";
import type { Handlers } from "./handlers.ts";
import { type FoundCommand, isExecutableFile } from "./command-path.ts";
import { ownNiceValue } from "./libc.ts";
import { limitCommands, type ResourceLimit } from "./limits.ts";
import { HeldDirectories } from "./held-dirs.ts";
import type { ParseCache } from "../parser/parse-cache.ts";

/** Where nice(1) is looked for (sh-start.ts runs it, by absolute path, for a caller's nice value). */
const NICE_PATHS = ["/usr/bin/nice", "/bin/nice"];

/** Cancels a tree of in-process shells (a background job that `kill` ended). */
export class CancelToken {
  cancelled = false;
}

export class Session {
  readonly syntheticPids = new SyntheticPids();
  /**
   * Background jobs that run in this process (not one external command),
   * started by any shell of the session, jobs included: the embedding waits
   * for them (`Shell.jobsSettled`) before it lets the process go.
   */
  private readonly inProcessJobs = new Set<Job>();
  private readonly settledWaiters: (() => void)[] = [];
  /** Processes of foreground commands: a signal to the whole session (`Shell.signal`) reaches these too. */
  readonly foreground = new Set<Subprocess>();
  /**
   * Signals received and not yet handled by the shell itself. `groupWide`
   * ones came through `Shell.signal` (the whole process group gets them, so
   * in-process subshells die of them too); others were sent to `$$`.
   */
  readonly pendingSignals: { readonly name: string; readonly groupWide: boolean }[] = [];
  /** PATH lookups, valid for `pathCacheKey` (the PATH they were made with). */
  readonly commandPaths = new Map<string, FoundCommand>();
  /** Directories entered with `cd`, held open for commands started after their removal (held-dirs.ts). */
  readonly heldDirectories = new HeldDirectories();
  pathCacheKey: string | undefined = undefined;
  /** Parsed scripts shared with the embedding's other sessions (ShellOptions.parseCache), if any. */
  parseCache: ParseCache | undefined = undefined;
  /** Commands run since the interpreter last let the event loop turn. */
  tick = 0;
  /** The main shell is gone (`Shell.dispose`): only background jobs still run. */
  disposed = false;
  readonly pid = process.pid;

  private readonly signalWaiters = new Set<() => void>();

  /**
   * Signals the caller had ignored when the session started (ShellOptions.ignoredSignals):
   * as for a non-interactive sh (XCU 2.11), they stay ignored for the shell and its children,
   * and `trap` records an action for them but never acts.
   */
  ignoredOnEntry: ReadonlySet<number> = new Set();
  /** The signal whose default action ended the main shell, if one did (Shell.terminatingSignal). */
  terminatingSignal: number | undefined = undefined;
  /** The caller's nice value (ShellOptions.nice), for every external command; undefined: this process's. */
  niceValue: number | undefined = undefined;
  /** `nice -n N`, computed once: undefined when the commands need none (or it cannot be given). */
  private nice: { readonly words: readonly string[] | undefined } | undefined = undefined;
  /** The `ulimit` commands for the last limits asked for: they change only with `ulimit`. */
  private limitsApplied: { readonly limits: ReadonlyMap<string, ResourceLimit>; readonly commands: string } | undefined = undefined;

  /** sh's commands that give a child `limits` (see limits.ts); "" when this process's already are. */
  limitCommands(limits: ReadonlyMap<string, ResourceLimit>): string {
    if (this.limitsApplied?.limits !== limits) this.limitsApplied = { limits, commands: limitCommands(limits) };
    return this.limitsApplied.commands;
  }

  /**
   * The words that start a command at the caller's nice value (`/usr/bin/nice -n 5`), or
   * undefined when it is this process's. Only a higher value can be given unprivileged (nice(2)):
   * a lower one is left (docs/ARCHITECTURE.md), rather than have nice(1) warn on every command.
   */
  niceCommand(): readonly string[] | undefined {
    if (this.niceValue === undefined) return undefined;
    if (this.nice === undefined) {
      const increment = this.niceValue - ownNiceValue();
      const isAllowed = increment > 0 || (increment < 0 && process.getuid?.() === 0);
      // Looked for only when needed: the usual caller runs at the worker's own value.
      const nice = isAllowed ? NICE_PATHS.find((file) => isExecutableFile(file) === "yes") : undefined;
      this.nice = { words: nice !== undefined ? [nice, "-n", String(increment)] : undefined };
    }
    return this.nice.words;
  }

  /** Resolves at the next signal `Shell.signal` delivers (`wait` returns early on one, XCU wait). */
  nextSignal(): { readonly arrived: Promise<void>; cancel(): void } {
    let wake: () => void = () => undefined;
    const arrived = new Promise<void>((resolve) => {
      wake = resolve;
    });
    this.signalWaiters.add(wake);
    return { arrived, cancel: () => this.signalWaiters.delete(wake) };
  }

  /** Count an in-process job until it ends. */
  trackJob(job: Job): void {
    this.inProcessJobs.add(job);
    void job.done.then(() => {
      this.inProcessJobs.delete(job);
      if (this.inProcessJobs.size > 0) return;
      for (const wake of this.settledWaiters.splice(0)) wake();
    });
  }

  get hasRunningJobs(): boolean {
    return this.inProcessJobs.size > 0;
  }

  /** Kill every in-process job at its next command, as SIGKILL would kill a forked subshell (Shell.interrupt). */
  killJobs(): void {
    for (const job of this.inProcessJobs) {
      job.signal = 9;
      job.cancel.cancelled = true;
      for (const child of job.processes) child.kill(9);
    }
  }

  /** Resolves once no in-process job runs (at once if none does). */
  jobsSettled(): Promise<void> {
    if (this.inProcessJobs.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.settledWaiters.push(resolve));
  }

  /** Would the main shell die of this signal ("SIGTERM"): no trap, not ignored? Shell sets it, from the main shell's traps. */
  endsMainShell: (signal: string) => boolean = () => true;

  /**
   * A signal to the session's shell. `toForeground`: its foreground commands
   * get it too, as the members of a process group do (^C, `Shell.signal`),
   * and so do in-process subshells (`groupWide`).
   */
  deliverSignal(signal: string, number: number, toForeground: boolean): void {
    if (toForeground) for (const child of this.foreground) child.kill(number);
    // Ignored on entry: the shell ignores it, whatever its traps say (XCU 2.11).
    if (this.ignoredOnEntry.has(number)) return;
    this.pendingSignals.push({ name: signal, groupWide: toForeground });
    this.wakeSignalWaiters();
  }

  /**
   * A signal to the shell alone, as `kill $$` sends one. One the shell traps
   * or ignores is its own: the trap runs after the foreground command and
   * that command never gets it (under dash `sh -c "kill -USR1 $$"` ends with
   * its own status, not by SIGUSR1). One it does not trap ends it, and dash
   * would end at once, not after the command it waits for: so the foreground
   * commands get it too, and the shell ends as soon.
   */
  signalShell(signal: string, number: number): void {
    this.deliverSignal(signal, number, this.endsMainShell(signal));
  }

  wakeSignalWaiters(): void {
    const waiters = [...this.signalWaiters];
    this.signalWaiters.clear();
    for (const wake of waiters) wake();
  }

  constructor(
    readonly argv0: string,
    readonly host: ShellHost,
    /** The session's stdin when it is a JS source (null for an OS fd or /dev/null). */
    readonly input: SessionInput | null,
    readonly handlers: Handlers,
  ) {}
}
