// `Shell`: one shell session for an embedding (CLI in-process, a worker
// serving a client, tests). It owns the session's state and stdio; all
// process-wide effects go through `options.host`.
//
// Imports the executor; nothing from daemon, worker, protocol or client.

import type { ShellHost, ShellOptions, StdioEndpoint } from "./io.ts";
import { captureCheckpoint, type SessionBaseline } from "./checkpoint/capture.ts";
import { CheckpointError, type ShellCheckpoint } from "./checkpoint/format.ts";
import { restoreCheckpoint, type ResumedState } from "./checkpoint/restore.ts";
import { isControlFlow } from "./exec/control-flow.ts";
import { Interp } from "./exec/executor.ts";
import { toExitStatus } from "./exec/control-flow.ts";
import { defaultHandlers, type Handlers } from "./exec/handlers.ts";
import { encodeText, type FdTable, type FdTarget, NULL_TARGET, SessionInput, writeTarget } from "./exec/fds.ts";
import { CancelToken, Session } from "./exec/session.ts";
import { SessionSink } from "./exec/session-sink.ts";
import { defaultOptions, optionForLetter, setOption, ShellState } from "./exec/state.ts";
import { signalName, signalNumber } from "./exec/signals.ts";
import { endsMainShell } from "./exec/traps.ts";
import { sessionLimits } from "./exec/limits.ts";
import { Variables } from "./exec/vars.ts";
import { setStartupVariables } from "./exec/startup-vars.ts";

const SIGKILL = 9;
const SIGSTOP = 19;

/** A signal number a process can ignore (not KILL or STOP, not EXIT, not past 64). */
function isIgnorable(signal: number): boolean {
  return signal !== SIGKILL && signal !== SIGSTOP && signal > 0 && signalName(signal) !== undefined;
}

export interface RunOptions {
  /** The script is a file's (or stdin's) content rather than a `-c` string: only such input is echoed by `set -v`. */
  readonly isFileInput?: boolean;
  /**
   * More runs follow in this shell (a persistent session): the EXIT trap
   * runs only when the shell exits (`exit`, a fatal error, a signal), and
   * the output of an earlier run's background jobs does not reach this run.
   */
  readonly continues?: boolean;
}

export class Shell {
  private readonly session: Session;
  private readonly interp: Interp;
  private readonly sinks: SessionSink[] = [];
  private running = 0;
  private isDisposed = false;
  private runs = 0;
  /** interrupt() was called for the run under way. */
  private isInterrupted = false;
  private hasExitedNow = false;
  /** The fds and limits the session started with: a checkpoint reports what `exec` and `ulimit` changed. */
  private readonly baseline: SessionBaseline;

  /** `handlers` replaces the outside effects (spawning, opening, listing directories), for tests. */
  constructor(options: ShellOptions, { handlers = defaultHandlers }: { handlers?: Handlers } = {}) {
    // First, so that a malformed checkpoint fails before anything is set up.
    const resumed = options.checkpoint === undefined ? undefined : restoreCheckpoint(options.checkpoint);
    const input = options.stdin.kind === "source" && options.passedFds === undefined ? new SessionInput(options.stdin.source) : null;
    this.session = new Session(options.argv0, options.host, input, handlers);
    if (options.ignoredSignals !== undefined) this.session.ignoredOnEntry = new Set(options.ignoredSignals.filter(isIgnorable));
    if (options.nice !== undefined) this.session.niceValue = options.nice;
    this.session.parseCache = options.parseCache;
    const fds: FdTable = options.passedFds !== undefined
      ? new Map<number, FdTarget>([...options.passedFds].map(([fd, osFd]) => [fd, { kind: "os", fd: osFd }]))
      : new Map<number, FdTarget>([
        [0, input !== null ? { kind: "source", source: input } : this.endpoint(options.stdin, "in")],
        [1, this.endpoint(options.stdout, "out")],
        [2, this.endpoint(options.stderr, "out")],
      ]);
    const state = resumed === undefined ? freshState(options, fds) : resumedState(resumed, fds, options.host);
    // A plain variable set at start-up, as dash's PPID is: whatever the environment said is
    // replaced (the export flag stays), and a script may assign or unset it. A worker's
    // sessions are given their client's, sparing a system call.
    state.vars.set("PPID", String(options.ppid ?? process.ppid));
    if (options.limits !== undefined) state.limits = sessionLimits(options.limits);
    this.baseline = { fds: new Map(fds), limits: state.limits };
    this.interp = new Interp(this.session, state, new CancelToken());
    this.session.endsMainShell = (signal) => endsMainShell(this.interp, signal);
  }

  private endpoint(endpoint: StdioEndpoint, direction: "in" | "out"): FdTarget {
    switch (endpoint.kind) {
      case "fd":
        return { kind: "os", fd: endpoint.fd };
      case "null":
        return NULL_TARGET;
      case "sink": {
        if (direction === "in") return NULL_TARGET;
        const sink = new SessionSink(endpoint.sink);
        this.sinks.push(sink);
        return { kind: "sink", sink };
      }
      case "source":
        return direction === "in" ? { kind: "source", source: new SessionInput(endpoint.source) } : NULL_TARGET;
    }
  }

  /**
   * Parse and run a script; resolves with its exit status. The EXIT trap runs at the end
   * (with `continues`: when the shell exits). See RunOptions.
   */
  async run(source: string, { isFileInput = false, continues = false }: RunOptions = {}): Promise<number> {
    if (this.isDisposed) throw new Error("Shell.run after dispose");
    if (this.hasExitedNow) throw new Error("Shell.run after the shell exited");
    const interp = this.interp;
    this.session.terminatingSignal = undefined;
    if (continues && this.runs > 0) {
      this.freshOutput();
      // Each run has its own input: what the last one's commands left unread is not this one's.
      this.session.input?.forget();
    }
    this.runs++;
    this.running++;
    let status: number;
    try {
      let exited = !continues;
      // Awaited only when asynchronous: `true` or `echo hi` then costs no promise hop here.
      try {
        const ran = interp.runSource(source, isFileInput);
        status = ran instanceof Promise ? await ran : ran;
        // Signals that arrived during the last command still get their trap (or end the shell).
        interp.state.lastStatus = status;
        const delivered = interp.deliverSignals();
        if (delivered instanceof Promise) await delivered;
      } catch (error) {
        status = interp.exitStatusOf(error);
        exited = !this.isInterrupted;
      }
      if (this.isInterrupted) {
        status = 128 + SIGKILL;
      } else if (exited) {
        this.hasExitedNow = continues;
        try {
          const trapped = interp.runExitTrap(status);
          status = trapped instanceof Promise ? await trapped : trapped;
        } catch (error) {
          status = interp.exitStatusOf(error);
        }
      }
    } catch (error) {
      if (isControlFlow(error)) throw error;
      if (error instanceof RangeError && error.message.includes("call stack")) {
        // Runaway recursion of shell functions: an error of the script, not of the interpreter.
        await writeTarget(interp.fd(2), encodeText(`${this.session.argv0}: ${interp.currentLine}: maximum recursion depth exceeded\n`));
      } else {
        // A bug in the interpreter: say so once, on the session's stderr, with sh's status for errors.
        const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
        await writeTarget(interp.fd(2), encodeText(`${this.session.argv0}: internal error: ${message}\n`));
      }
      status = 2;
    } finally {
      this.running--;
      if (this.isInterrupted) {
        this.isInterrupted = false;
        interp.cancel.cancelled = false;
      }
    }
    status = toExitStatus(status);
    interp.state.lastStatus = status;
    return status;
  }

  /**
   * End the run under way at once (a library timeout or abort): its
   * foreground commands and in-process jobs are killed (SIGKILL), the run
   * resolves with 137 without running the EXIT trap, and the shell stays
   * usable for the next run. The embedding kills the rest of the command's
   * process tree (its background and setsid processes).
   */
  interrupt(): void {
    if (this.running === 0) return;
    this.isInterrupted = true;
    this.interp.cancel.cancelled = true;
    for (const child of this.session.foreground) child.kill(SIGKILL);
    this.session.killJobs();
    this.session.wakeSignalWaiters();
  }

  /** A run with `continues` ended the shell (`exit`, a fatal error, a signal): it runs nothing more. */
  get hasExited(): boolean {
    return this.hasExitedNow;
  }

  /**
   * A later run of a persistent session writes to sinks of its own: the
   * earlier runs' sinks are detached (their background jobs' output is
   * dropped, never shown as this run's).
   */
  private freshOutput(): void {
    const fds = this.interp.state.fds;
    this.sinks.forEach((old, index) => {
      const fresh = new SessionSink(old.sink);
      const target: FdTarget = { kind: "sink", sink: fresh };
      old.detach();
      // The baseline too, with the same target: a checkpoint compares them to see what `exec` changed.
      for (const table of [fds, this.baseline.fds]) {
        for (const [fd, was] of table) if (was.kind === "sink" && was.sink === old) table.set(fd, target);
      }
      this.sinks[index] = fresh;
    });
  }

  /**
   * The session's state as plain JSON-serialisable data, to resume it with
   * `ShellOptions.checkpoint`, here or in another process (checkpoint/format.ts
   * says what is carried; `notCarried` names what the session had but the
   * checkpoint leaves out). Only between runs: while a script runs its state
   * is half-way (a function's locals, prefix assignments), and CheckpointError
   * says so.
   */
  checkpoint(): ShellCheckpoint {
    if (this.running > 0) throw new CheckpointError(undefined, "a script is running: take a checkpoint between runs");
    return captureCheckpoint(this.interp.state, this.session.host.getUmask(), this.baseline);
  }

  /**
   * A signal to the session as a terminal sends one to its foreground process
   * group (^C): the foreground commands get it, and the shell reacts (trap or
   * exit) at its next command.
   */
  signal(name: string): void {
    this.deliver(name, (signal, number) => this.session.deliverSignal(signal, number, true));
  }

  /** A signal to the shell alone, as `kill $$` sends one (Session.signalShell says who gets it). */
  signalShell(name: string): void {
    this.deliver(name, (signal, number) => this.session.signalShell(signal, number));
  }

  private deliver(name: string, send: (signal: string, number: number) => void): void {
    if (this.running === 0) return;
    const signal = name.startsWith("SIG") ? name : `SIG${name}`;
    const number = signalNumber(signal);
    if (number !== 0) send(signal, number);
  }

  /**
   * End of session, as when `sh -c` exits: close the fds the main shell
   * opened with `exec`, drop its traps, and close the session's output sinks
   * like a pipe whose reader went away. Background jobs that run in-process
   * go on to completion with their own variables, cwd and functions (see
   * `jobsSettled`); their writes to the session's sinks end the writer as
   * SIGPIPE would (status 141) and never reach the embedding, and the pipes
   * of external commands still writing there are closed (they get EPIPE).
   * Idempotent.
   */
  async dispose(): Promise<void> {
    if (this.isDisposed) return;
    this.isDisposed = true;
    this.session.disposed = true;
    this.interp.closeOwnedFds();
    this.interp.state.traps.clear();
    this.interp.cancel.cancelled = true;
    this.session.pendingSignals.length = 0;
    this.session.heldDirectories.release();
    const closing: Promise<void>[] = [];
    for (const sink of this.sinks) {
      const closed = sink.close();
      if (closed !== undefined) closing.push(closed);
    }
    if (closing.length > 0) await Promise.all(closing);
  }

  /**
   * The signal whose default action ended the shell in the last `run`
   * (`kill $$`, `kill -TERM $$` with no trap, or a `signal()` it does not
   * trap), as its name ("SIGTERM"); `run` then resolved with 128+N. An
   * embedding standing for `sh -c` ends itself by it. Undefined when the
   * shell exited: also when it exited with 128+N because a command it ran
   * died of a signal (`sh -c 'sh -c "kill \$\$"'` exits 143 normally).
   */
  get terminatingSignal(): string | undefined {
    const signal = this.session.terminatingSignal;
    return signal === undefined ? undefined : `SIG${signalName(signal) ?? signal}`;
  }

  /** Some in-process background job of the session (or of one of its jobs) is still running. */
  get hasRunningJobs(): boolean {
    return this.session.hasRunningJobs;
  }

  /**
   * Resolves when the last in-process background job of the session,
   * including jobs started by jobs, has ended; at once when none runs. The
   * embedding keeps its process alive until then (the jobs live in it).
   * Jobs that are one external command are not waited for: their process
   * goes on by itself, as it would after `sh -c`.
   */
  jobsSettled(): Promise<void> {
    return this.session.jobsSettled();
  }
}

/** dash's PATH when the environment has none (its `defpathvar`). */
const DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/** A new session's state: the environment, the variables sh sets itself, the option flags. */
function freshState(options: ShellOptions, fds: FdTable): ShellState {
  const vars = Variables.fromEnvironment(options.env);
  const cwd = setStartupVariables(vars, options.cwd);
  const state = new ShellState(vars, options.args.slice(), cwd, fds, new Map(), new Map(), new Map(), defaultOptions());
  for (const letter of options.flags ?? []) {
    const name = optionForLetter(letter);
    if (name !== undefined) setOption(state.options, name, true);
  }
  for (const name of options.longOptions ?? []) setOption(state.options, name, true);
  return state;
}

/** A resumed session's state: all of it from the checkpoint, none of sh's start-up defaults (an unset IFS stays unset). */
function resumedState(resumed: ResumedState, fds: FdTable, host: ShellHost): ShellState {
  const state = new ShellState(resumed.vars, resumed.positional, resumed.cwd, fds, resumed.functions, new Map(), resumed.aliases, resumed.options);
  state.lastStatus = resumed.lastStatus;
  host.setUmask(resumed.umask);
  return state;
}
