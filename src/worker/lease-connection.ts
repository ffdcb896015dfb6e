// One leased client connection to a worker: a sequence of sessions.
//
//   attach (first SessionInit carries the lease token)
//   → SessionInit → Execute … (one, or several if persistent) → end of session
//   → reset of WorkerState → next SessionInit … until the client hangs up.
//
// Each session gets a fresh Shell, so shell variables, functions, aliases,
// options and $? never carry over; process-wide state is reset by
// WorkerState after each one.

import { Connection, message, ProtocolError, PROTOCOL_VERSION, type Message } from "../protocol/index.ts";
import { closeSync, readlinkSync } from "node:fs";
import type { ReceivedFds } from "../common/fd-passing.ts";
import { ParseCache, Shell, type ShellCheckpoint } from "../shell/index.ts";
import type { ResourceLimits, ShellOptions } from "../shell/io.ts";
import type { CallerAttributes } from "./caller-attributes.ts";
import { FrameSink, RemoteInput } from "./remote-io.ts";
import { exportSessionState, parseSessionState } from "./session-state.ts";
import type { WorkerState } from "./state.ts";
import { PackedEnvironments } from "./packed-env.ts";
import { CallerEnvironmentError } from "./caller-environment.ts";
import { attachedControllingTerminal } from "./caller-terminal.ts";
import { markStage, stageClockEnabled, stageSpan } from "../common/stage-clock.ts";

export interface SessionOutcome {
  readonly resetUs: number;
  readonly problems: readonly string[];
  /**
   * Background jobs of the session still running in this process (`( … ) &`):
   * they run to completion as under `sh -c`, so the worker serves no more
   * sessions and exits once this settles. Undefined when there are none.
   */
  readonly jobsRunning: Promise<void> | undefined;
}

export type AttachOutcome = "attached" | "busy" | "bad-token";

export interface LeaseHooks {
  /** Validates the token of the first SessionInit; only one connection is attached at a time. */
  attach(lease: LeaseConnection, token: string | undefined): AttachOutcome;
  /** A session ended and the worker state was reset. */
  sessionDone(outcome: SessionOutcome): void;
  /** Why the lease must end after the current session (fork mode, max requests, failed reset, daemon asked to yield), or undefined. */
  leaseEndReason(): string | undefined;
  /** A request ran past the request timeout and did not end when cancelled: kill its tree; the worker must go. */
  requestTimedOut(processes: ReadonlySet<number>): void;
  /** The client hung up and every session is finished. `attached`: it had presented the token. */
  leaseEnded(attached: boolean): void;
}

/** A connection must present its lease token this soon, or it is dropped. */
const ATTACH_TIMEOUT_MS = 10_000;

/** After a request timeout killed a command's tree, the run must end this soon or the worker goes. */
const TIMEOUT_GRACE_MS = 2_000;

/** After the client vanished and its session got SIGHUP, what still runs after this long is killed. */
const HANGUP_GRACE_MS = 2_000;

interface ActiveSession {
  readonly shell: Shell;
  readonly input: RemoteInput;
  readonly persistent: boolean;
  readonly tag: { requestId: number };
  /** Every process the session started (roots of its process tree). */
  readonly processes: Set<number>;
  /** Those the command under way started: a Cancel ends their tree (a persistent session's earlier jobs live on). */
  readonly command: { processes: Set<number> };
  /** A Cancel ended the command under way. */
  cancelled: boolean;
  /** The client's fds passed to this session (worker fds): closed when it ends, before the reset. */
  readonly passedFds: readonly number[];
  /** With --verify-reset: what each passed fd pointed to (/proc/self/fd), to prove it is gone after the session. */
  readonly passedTargets: ReadonlyMap<number, string> | undefined;
  running: Promise<void> | undefined;
}

/** The process on the other end of the lease, and the fds it passed. */
export interface ClientProcess {
  /** The fds a client passed with this nonce (SCM_RIGHTS on the worker's fd socket), if they arrived. */
  takePassedFds(nonce: string): ReceivedFds | undefined;
  /**
   * The limits, nice value and ignored signals a `rushd -c` session
   * inherits: those of the process on the other end (SO_PEERCRED), read from
   * its /proc entry once per connection (caller-attributes.ts).
   */
  callerAttributes(): CallerAttributes | undefined;
  /** The environment the process on the other end was started with (SessionInit.envFromCaller); throws CallerEnvironmentError. */
  callerEnvironment(): Readonly<Record<string, string>>;
}

/** What the worker does with a session's processes (worker/main.ts, process-tree.ts). */
export interface ProcessControl {
  /** A process the session started (also recorded as one the worker must not reap itself). */
  started(pid: number): void;
  signalTree(roots: ReadonlySet<number>, signal: NodeJS.Signals): void;
  killTree(roots: ReadonlySet<number>): void;
}

export class LeaseConnection {
  private attached = false;
  private leaseEnded = false;
  private session: ActiveSession | undefined;
  private sessionCount = 0;
  /** Signals and cancels for a command that has not started yet (see deliverSignal). */
  private readonly earlySignals: { readonly id: number; readonly signal: string; readonly tree: boolean }[] = [];
  private readonly earlyCancels = new Set<number>();
  private previousEnv: Record<string, string>;
  /** Serializes message handling that must wait for a session to finish. */
  private queue: Promise<void> = Promise.resolve();
  /** Steps started and not finished: while there are none, a step runs at once (see enqueue). */
  private pendingSteps = 0;
  private readonly attachTimer: Timer;
  /** --profile-stages: the previous session's stages after its result was sent (reported with the next result). */
  private previousTail: Record<string, number> = {};

  constructor(
    readonly connection: Connection,
    private readonly state: WorkerState,
    private readonly hooks: LeaseHooks,
    private readonly limits: { readonly verifyReset: boolean; readonly requestTimeoutMs: number },
    private readonly processes: ProcessControl,
    private readonly client: ClientProcess,
    /** Parsed scripts, shared by every session of the worker (not only of this lease). */
    private readonly parseCache = new ParseCache(),
    /** Environments unpacked from envPacked, shared likewise. */
    private readonly packedEnvironments = new PackedEnvironments(),
  ) {
    this.previousEnv = { ...state.snapshot.env };
    this.attachTimer = setTimeout(() => {
      if (!this.attached) this.connection.fail(new ProtocolError("TIMEOUT", `no SessionInit within ${ATTACH_TIMEOUT_MS} ms`));
    }, ATTACH_TIMEOUT_MS);
  }

  /** A session is open (a command may be running): not the time to collect garbage. */
  get inSession(): boolean {
    return this.session !== undefined;
  }

  handleMessage(id: number, msg: Message): void {
    // After LeaseEnded the client knows nothing more runs here; what it had already sent is dropped.
    if (this.leaseEnded) return;
    switch (msg.type) {
      case "SessionInit":
        this.enqueue(() => this.startSession(id, msg));
        return;
      case "Execute":
        this.enqueue(() => this.execute(id, msg.script, msg.noStdin === true));
        return;
      // Input for the command under way only (a late StdinEnd of an earlier command must not end the next one's input).
      case "Stdin":
        if (this.session?.tag.requestId === id) this.session.input.deliver(msg.data);
        return;
      case "StdinEnd":
        if (this.session?.tag.requestId === id) this.session.input.end();
        return;
      case "Signal":
        this.deliverSignal(id, msg.signal, msg.tree === true);
        return;
      case "Cancel":
        this.cancel(id);
        return;
      case "ExportState":
        this.enqueue(() => this.exportState(id));
        return;
      case "Close":
        this.enqueue(() => this.finishSession());
        return;
      default:
        this.connection.fail(new ProtocolError("UNKNOWN_TYPE", `a worker does not accept ${msg.type}`), id);
    }
  }

  /**
   * The client went away: hang up the session (SIGHUP to its shell and its
   * whole process tree, as a terminal hangup would), kill what still runs
   * after a grace period (`trap '' HUP; yes` would otherwise run for ever),
   * finish the session, end the lease.
   */
  handleClose(): void {
    clearTimeout(this.attachTimer);
    const session = this.session;
    if (session !== undefined) {
      session.input.end();
      if (session.running !== undefined) {
        session.shell.signal("SIGHUP");
        this.processes.signalTree(session.processes, "SIGHUP");
        unlessRunEnds(session, HANGUP_GRACE_MS, () => {
          session.shell.signal("SIGKILL");
          this.processes.killTree(session.processes);
        });
      }
    }
    this.enqueue(async () => {
      await this.finishSession();
      this.hooks.leaseEnded(this.attached);
    });
  }

  /** The client will send nothing more: no more stdin; close once the running session is done. */
  handlePeerEnd(): void {
    this.session?.input.end();
    this.enqueue(() => this.connection.end());
  }

  /**
   * Run `step` after the steps before it. With none under way it runs at
   * once, in the turn that delivered its message: a SessionInit is set up
   * and its Execute started within the same data event, with no promise hop
   * between them (they were two per message).
   */
  private enqueue(step: () => Promise<void> | void): void {
    if (this.pendingSteps > 0) {
      this.pendingSteps += 1;
      this.queue = this.queue.then(step).catch(this.stepFailed).finally(this.stepDone);
      return;
    }
    let result: Promise<void> | void;
    try {
      result = step();
    } catch (error) {
      return this.stepFailed(error);
    }
    if (result === undefined) return;
    this.pendingSteps += 1;
    this.queue = result.catch(this.stepFailed).finally(this.stepDone);
  }

  private readonly stepDone = (): void => {
    this.pendingSteps -= 1;
  };

  /** A bug in the session machinery: tell the client, keep the worker honest by retiring it. */
  private readonly stepFailed = (error: unknown): void => {
    console.error("rushd worker: session failure:", error);
    this.connection.fail(new ProtocolError("INTERNAL", `worker error: ${String(error)}`));
    this.hooks.sessionDone({ resetUs: this.state.reset(), problems: [`internal error: ${String(error)}`], jobsRunning: undefined });
  };

  private startSession(id: number, init: Message<"SessionInit">): void {
    markStage("setup-start");
    if (!this.attached) {
      const outcome = this.hooks.attach(this, init.token);
      if (outcome === "busy") return this.connection.refuse(new ProtocolError("BUSY", "this worker is serving another client"));
      if (outcome === "bad-token") {
        return this.connection.fail(new ProtocolError("BAD_TOKEN", "this worker is not leased to you (missing or stale token)"), id);
      }
      this.attached = true;
      clearTimeout(this.attachTimer);
    }
    if (!Number.isInteger(init.umask) || init.umask < 0 || init.umask > 0o777) {
      return this.connection.fail(new ProtocolError("BAD_FIELD", `SessionInit: umask ${init.umask} is not between 0 and 0777`), id);
    }
    if (init.version !== PROTOCOL_VERSION) {
      return this.connection.fail(new ProtocolError("VERSION_MISMATCH", `protocol version ${init.version} is not supported (this worker speaks ${PROTOCOL_VERSION})`), id);
    }
    if (this.session !== undefined) {
      return this.connection.fail(new ProtocolError("OUT_OF_ORDER", "SessionInit while a session is open (send Close first)"), id);
    }
    if (this.leaseEnded) return; // the client will see LeaseEnded and retry elsewhere: nothing of this ran
    let checkpoint: ShellCheckpoint | undefined;
    try {
      checkpoint = init.state === undefined ? undefined : parseSessionState(init.state);
    } catch (error) {
      if (error instanceof ProtocolError) return this.connection.fail(error, id);
      throw error;
    }
    const passed = this.receivePassedFds(init);
    if (passed === "missing") {
      return this.connection.fail(new ProtocolError("BAD_FIELD", "SessionInit names passed fds that did not arrive (fdNonce)"), id);
    }
    // Refused before anything ran: the client runs the command itself (cli/main.ts), and the caller's fds go back.
    const refuse = (error: ProtocolError): void => {
      if (passed !== undefined) closeAll(passed.fds);
      this.connection.fail(error, id);
    };
    const terminalFd = passed === undefined ? undefined : attachedControllingTerminal(passed.map, this.client.callerAttributes()?.controllingTerminal ?? 0);
    if (terminalFd !== undefined) {
      return refuse(new ProtocolError("CONTROLLING_TERMINAL", `the caller's fd ${terminalFd} is its controlling terminal, which only a process of its own session can give a command (/dev/tty)`));
    }
    let env: Readonly<Record<string, string>>;
    try {
      env = this.sessionEnvironment(init);
    } catch (error) {
      if (error instanceof ProtocolError) return refuse(error);
      if (error instanceof CallerEnvironmentError) return refuse(new ProtocolError("ENV_UNREADABLE", error.message));
      throw error;
    }
    this.previousEnv = env;
    this.state.enterSession(init.umask);
    // Output and stdin requests are tagged with the id of the Execute they belong to.
    const tag = { requestId: id };
    const processes = new Set<number>();
    const command = { processes: new Set<number>() };
    const control = this.processes;
    const state = this.state;
    const input = new RemoteInput(this.connection, () => tag.requestId, init.stdinReadAhead === true);
    const shell = new Shell({
      argv0: init.argv0,
      args: init.args,
      cwd: init.cwd,
      env,
      stdin: { kind: "source", source: input },
      stdout: { kind: "sink", sink: new FrameSink(this.connection, "Stdout", () => tag.requestId) },
      stderr: { kind: "sink", sink: new FrameSink(this.connection, "Stderr", () => tag.requestId) },
      host: {
        getUmask: () => state.getUmask(),
        setUmask: (mask) => state.setUmask(mask),
        processStarted(pid) {
          processes.add(pid);
          command.processes.add(pid);
          control.started(pid);
        },
      },
      ppid: init.ppid,
      passedFds: passed?.map,
      ...this.callerProcessAttributes(init, passed !== undefined),
      flags: init.flags,
      longOptions: init.longOptions,
      checkpoint,
      parseCache: this.parseCache,
    });
    const passedFds = passed?.fds ?? [];
    const passedTargets = this.limits.verifyReset && passedFds.length > 0 ? new Map(passedFds.map((fd) => [fd, fdTarget(fd) ?? ""])) : undefined;
    this.session = { shell, input, persistent: init.persistent, tag, processes, command, cancelled: false, passedFds, passedTargets, running: undefined };
    this.sessionCount += 1;
    markStage("setup-end");
    // A one-shot client learned the worker from its lease and waits only for the result:
    // an ack would be one more write and one more wake-up per request.
    if (init.persistent) this.connection.send(id, message("SessionInitAck", { sessionId: this.sessionCount, workerPid: process.pid }));
  }

  private async execute(id: number, script: string, noStdin: boolean): Promise<void> {
    const session = this.session;
    if (session === undefined) {
      return this.connection.fail(new ProtocolError("OUT_OF_ORDER", "Execute before SessionInit"), id);
    }
    session.tag.requestId = id;
    session.command.processes = new Set();
    session.cancelled = false;
    if (session.persistent) session.input.reset();
    // No StdinWanted then: an external command's stdin pipe is ended at once, without a round trip to the client.
    if (noStdin) session.input.end();
    markStage("script-start");
    const startNs = Bun.nanoseconds();
    const running = session.shell.run(script, { continues: session.persistent });
    session.running = running.then(() => undefined);
    // Only those sent for this command (a late one for a finished command must not hit the next).
    for (const early of this.earlySignals.splice(0)) if (early.id === id) this.signalSession(session, early.signal, early.tree);
    if (this.earlyCancels.delete(id)) this.cancelCommand(session);
    this.earlyCancels.clear();
    const timer = this.limits.requestTimeoutMs > 0 ? setTimeout(() => this.timeOut(id, session), this.limits.requestTimeoutMs) : undefined;
    const status = await running;
    clearTimeout(timer);
    session.running = undefined;
    const durationUs = Math.round((Bun.nanoseconds() - startNs) / 1000);
    markStage("script-end");
    const sessionEnded = session.persistent && session.shell.hasExited;
    this.connection.send(id, message("ExecutionResult", {
      status,
      // A shell that died of a signal itself (`kill $$`): the client dies of it too, as `sh -c` would.
      signal: session.shell.terminatingSignal,
      durationUs,
      cancelled: session.cancelled ? true : undefined,
      sessionEnded: sessionEnded ? true : undefined,
      stages: stageClockEnabled() ? { ...sessionStages(), ...this.previousTail } : undefined,
    }));
    markStage("result-sent");
    if (!session.persistent || sessionEnded) await this.finishSession();
  }

  /** The environment SessionInit gives the session, in one of its three ways (docs/PROTOCOL.md). */
  private sessionEnvironment(init: Message<"SessionInit">): Readonly<Record<string, string>> {
    if (init.env !== undefined) return init.env;
    if (init.envPacked !== undefined) return this.packedEnvironments.unpack(init.envPacked);
    if (init.envFromCaller === true) return this.client.callerEnvironment();
    return this.previousEnv;
  }

  /** A persistent session's checkpoint (session-state.ts), after the commands before it. */
  private exportState(id: number): void {
    const session = this.session;
    if (session === undefined || !session.persistent) {
      return this.connection.fail(new ProtocolError("OUT_OF_ORDER", "ExportState outside a persistent session"), id);
    }
    this.connection.send(id, message("SessionState", { state: exportSessionState(session.shell) }));
  }

  /**
   * The limits, nice value and ignored signals the session inherits: those
   * the client sent, else, for `rushd -c` (it passed its fds: it is the
   * caller's own process), read from its /proc entry.
   */
  private callerProcessAttributes(init: Message<"SessionInit">, isCallersProcess: boolean): Pick<ShellOptions, "limits" | "nice" | "ignoredSignals"> {
    const read = init.limits === undefined && isCallersProcess ? this.client.callerAttributes() : undefined;
    return {
      limits: init.limits !== undefined ? parseLimits(init.limits) : read?.limits,
      nice: init.nice ?? read?.nice,
      ignoredSignals: init.ignoredSignals ?? read?.ignoredSignals,
    };
  }

  /** The client's fds for this session, by the fd number it had them at; "missing" if they did not arrive. */
  private receivePassedFds(init: Message<"SessionInit">): { map: Map<number, number>; fds: number[] } | "missing" | undefined {
    if (init.passedFds === undefined || init.fdNonce === undefined) return undefined;
    const received = this.client.takePassedFds(init.fdNonce);
    if (received === undefined || received.fds.length !== init.passedFds.length) {
      if (received !== undefined) closeAll(received.fds);
      return "missing";
    }
    const map = new Map<number, number>();
    init.passedFds.forEach((clientFd, index) => map.set(clientFd, received.fds[index] as number));
    return { map, fds: [...received.fds] };
  }

  /**
   * A Signal that arrives before the command started (it can overtake
   * SessionInit and Execute, which wait their turn in the queue) is kept and
   * delivered when the command starts: the client sent it for this command.
   */
  private deliverSignal(id: number, signal: string, tree: boolean): void {
    const session = this.session;
    if (session?.running !== undefined && session.tag.requestId === id) return this.signalSession(session, signal, tree);
    this.earlySignals.push({ id, signal, tree });
  }

  /** A signal sent to this process (`kill $$` by a command, worker/stray-signals.ts): the running command's shell gets it, not its commands. */
  signalFromOutside(signal: string): void {
    const session = this.session;
    if (session?.running !== undefined) session.shell.signalShell(signal);
  }

  /** `tree`: every process the session started gets it too (the library's kill), not only its foreground commands. */
  private signalSession(session: ActiveSession, signal: string, tree: boolean): void {
    // The tree first, while it is whole: once the foreground child is gone its children belong to this process.
    if (tree) this.processes.signalTree(session.processes, signalName(signal));
    session.shell.signal(signal);
  }

  /** Cancel (a library timeout or abort): the command ends with its whole tree; a persistent session goes on. Kept if early. */
  private cancel(id: number): void {
    const session = this.session;
    if (session?.running !== undefined && session.tag.requestId === id) return this.cancelCommand(session);
    this.earlyCancels.add(id);
  }

  private cancelCommand(session: ActiveSession): void {
    session.cancelled = true;
    session.input.end();
    // The tree first, while it is whole: once the foreground child is gone its children belong to this process.
    this.processes.killTree(session.command.processes);
    session.shell.interrupt();
  }

  /**
   * Past --request-timeout: the client hears TIMEOUT, and the command ends
   * as a library Cancel ends it, with its whole tree (setsid children
   * included); the session then finishes and the worker is reset and
   * verified like after any session, so it is kept when clean. A run that
   * does not end even so (stuck where the interpreter cannot be
   * interrupted) takes the worker with it.
   */
  private timeOut(id: number, session: ActiveSession): void {
    const seconds = this.limits.requestTimeoutMs / 1000;
    this.connection.send(id, message("Error", { code: "TIMEOUT", message: `the command ran past the request timeout (${seconds} s) and was killed` }));
    this.cancelCommand(session);
    unlessRunEnds(session, TIMEOUT_GRACE_MS, () => {
      session.shell.signal("SIGKILL");
      this.hooks.requestTimedOut(session.processes);
    });
  }

  private async finishSession(): Promise<void> {
    const session = this.session;
    if (session === undefined) return;
    this.session = undefined;
    await session.shell.dispose();
    markStage("dispose-end");
    if (session.shell.hasRunningJobs) {
      // The jobs still use the session's umask, fds and this process: no reset, the worker retires.
      const jobsRunning = session.shell.jobsSettled().then(() => closeAll(session.passedFds));
      this.hooks.sessionDone({ resetUs: 0, problems: [], jobsRunning });
    } else {
      // Before the reset: no later session can reach them (external children keep their own copies).
      closeAll(session.passedFds);
      const resetUs = this.state.reset();
      const problems = this.limits.verifyReset ? [...this.state.verify(), ...stillOpen(session.passedTargets)] : [];
      markStage("reset-end");
      this.hooks.sessionDone({ resetUs, problems, jobsRunning: undefined });
    }
    if (stageClockEnabled()) this.previousTail = tailStages();
    this.endLeaseIfDue();
  }

  /** Between sessions: if the lease must end, say so (the client retries what it sent after) and close. */
  endLeaseIfDue(): void {
    if (this.leaseEnded || this.session !== undefined || !this.attached) return;
    const reason = this.hooks.leaseEndReason();
    if (reason === undefined) return;
    this.leaseEnded = true;
    this.connection.send(0, message("LeaseEnded", { reason }));
    this.connection.end();
  }
}

/**
 * --profile-stages: this session's stages up to its result, in ns. "idle"
 * runs from the previous session's reset to this request's first byte
 * (the worker waited for the client).
 */
function sessionStages(): Record<string, number> {
  const spans: Record<string, number | undefined> = {
    "idle": stageSpan("reset-end", "chunk"),
    "decode": stageSpan("chunk", "decoded"),
    "queue to set-up": stageSpan("decoded", "setup-start"),
    "session set-up": stageSpan("setup-start", "setup-end"),
    "queue to script": stageSpan("setup-end", "script-start"),
    "script": stageSpan("script-start", "script-end"),
  };
  return definedSpans(spans);
}

/** The stages of a session after its result went: reported with the next result. */
function tailStages(): Record<string, number> {
  return definedSpans({
    // The connection marks "encoded" just before its socket write.
    "previous result encode": stageSpan("script-end", "encoded"),
    "previous result write": stageSpan("encoded", "result-sent"),
    "previous dispose": stageSpan("result-sent", "dispose-end"),
    "previous reset": stageSpan("dispose-end", "reset-end"),
  });
}

function definedSpans(spans: Record<string, number | undefined>): Record<string, number> {
  const defined: Record<string, number> = {};
  for (const [stage, ns] of Object.entries(spans)) if (ns !== undefined && ns >= 0) defined[stage] = ns;
  return defined;
}

/** Call `action` if the run under way has not ended within `ms`. */
function unlessRunEnds(session: ActiveSession, ms: number, action: () => void): void {
  const running = session.running;
  if (running === undefined) return;
  const timer = setTimeout(() => {
    if (session.running === running) action();
  }, ms);
  void running.finally(() => clearTimeout(timer));
}

function closeAll(fds: readonly number[]): void {
  for (const fd of fds) {
    try {
      closeSync(fd);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EBADF") throw error;
    }
  }
}

/** SessionInit's `letter → "soft:hard"` limits as the shell takes them; malformed entries are left out. */
function parseLimits(limits: Readonly<Record<string, string>>): ResourceLimits {
  const parsed: Record<string, { soft: bigint | "unlimited"; hard: bigint | "unlimited" }> = {};
  const value = (text: string | undefined): bigint | "unlimited" | undefined =>
    text === "unlimited" ? "unlimited" : text !== undefined && /^\d+$/.test(text) ? BigInt(text) : undefined;
  for (const [letter, pair] of Object.entries(limits)) {
    const [soft, hard] = pair.split(":").map(value);
    if (soft !== undefined && hard !== undefined) parsed[letter] = { soft, hard };
  }
  return parsed;
}

function fdTarget(fd: number): string | undefined {
  try {
    return readlinkSync(`/proc/self/fd/${fd}`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== undefined) return undefined;
    throw error;
  }
}

/** Passed fds that are still open to what the client gave (--verify-reset: a later session could reach them). */
function stillOpen(targets: ReadonlyMap<number, string> | undefined): string[] {
  if (targets === undefined) return [];
  const problems: string[] = [];
  for (const [fd, target] of targets) {
    if (fdTarget(fd) === target) problems.push(`fd ${fd} passed by the client (${target}) is still open`);
  }
  return problems;
}

/** "TERM" or "SIGTERM" → "SIGTERM", as process.kill takes it. */
function signalName(signal: string): NodeJS.Signals {
  return (signal.startsWith("SIG") ? signal : `SIG${signal}`) as NodeJS.Signals;
}
