// The client's side of a leased worker: the one socket a request crosses.
// Runs sessions one after another on the same connection.

import { message, PROTOCOL_VERSION, type Connection, type Message, type ProtocolError } from "../protocol/index.ts";
import { FdPassingError, newNonce, sendFds } from "../common/fd-passing.ts";
import { openLink } from "./daemon-link.ts";

export interface SessionSpec {
  readonly cwd: string;
  /** Omit to reuse the previous session's environment on this connection (saves encoding it). */
  readonly env?: Readonly<Record<string, string>>;
  readonly argv0: string;
  readonly args: readonly string[];
  readonly umask: number;
  /** The session's $PPID: the pid of the program that asked for the command. */
  readonly ppid?: number;
  /** The caller's resource limits, nice value and ignored signals (client/caller-attributes.ts). */
  readonly limits?: Readonly<Record<string, string>>;
  readonly nice?: number;
  readonly ignoredSignals?: readonly number[];
  /**
   * This process's fds to hand to the session (SCM_RIGHTS): it then runs on
   * them, and its output and input never cross the socket. Absent: streamed
   * stdio (the library).
   */
  readonly passFds?: readonly number[];
  readonly flags?: readonly string[];
  readonly longOptions?: readonly string[];
}

export interface SessionIO {
  stdout(data: Uint8Array): void | Promise<void>;
  stderr(data: Uint8Array): void | Promise<void>;
  /** The command wants input: at most maxBytes, null at end of input. */
  stdin(maxBytes: number): Promise<Uint8Array | null>;
}

export interface SessionResult {
  readonly status: number;
  /** The signal that ended the session's shell itself (`kill $$`), if one did: the caller dies of it too. */
  readonly signal?: string;
  readonly durationUs: number;
}

/** The worker ended the lease before running the session: nothing ran; retry on a new lease. */
export class LeaseEndedError extends Error {
  override readonly name = "LeaseEndedError";
}

/** The worker went away or broke the protocol mid-session. */
export class WorkerLostError extends Error {
  override readonly name = "WorkerLostError";
  constructor(message: string, readonly code: string) {
    super(message);
  }
}

interface Running {
  readonly io: SessionIO;
  resolve(result: SessionResult): void;
  reject(error: Error): void;
  /** Output writes still in progress (the socket is paused meanwhile). */
  outputBusy: Promise<void> | undefined;
  /** Something of this session has arrived (so it ran, at least in part). */
  started: boolean;
  /**
   * The ExecutionResult, once it arrived: the session is over and only our
   * own output writes are pending. Losing the connection now is no failure
   * (the worker closes a lease right after its last result).
   */
  result: SessionResult | undefined;
}

export class WorkerLink {
  private nextId = 1;
  private running: Running | undefined;
  private token: string | undefined;
  private lostError: WorkerLostError | undefined;
  private leaseEnded = false;
  private connection!: Connection;

  private constructor(
    /** Sessions this lease still allows; ask the daemon for a new lease after that. */
    public sessionsLeft: number,
    readonly workerPid: number,
    private readonly fdSocket: string | undefined,
  ) {}

  static async open(grant: Message<"LeaseGrant">): Promise<WorkerLink> {
    const link = new WorkerLink(grant.sessions, grant.workerPid, grant.fdSocket);
    link.token = grant.token;
    link.connection = await openLink(grant.socket, {
      onMessage: (id, msg) => link.handleMessage(id, msg),
      onClose: (error) => link.handleClose(error),
    });
    return link;
  }

  get isUsable(): boolean {
    return this.lostError === undefined && !this.leaseEnded && !this.connection.isClosed && this.sessionsLeft > 0;
  }

  /** Run one script as a one-shot session. Rejects with WorkerLostError if the worker goes away. */
  run(spec: SessionSpec, script: string, io: SessionIO): Promise<SessionResult> {
    if (this.lostError !== undefined) return Promise.reject(this.lostError);
    if (this.running !== undefined) return Promise.reject(new Error("a session is already running on this worker link"));
    this.sessionsLeft -= 1;
    const id = this.nextId++;
    const result = new Promise<SessionResult>((resolve, reject) => {
      this.running = { io, resolve, reject, outputBusy: undefined, started: false, result: undefined };
    });
    const passed = this.passFds(spec.passFds);
    const init = message("SessionInit", {
      version: PROTOCOL_VERSION,
      token: this.token,
      cwd: spec.cwd,
      env: spec.env === undefined ? undefined : { ...spec.env },
      argv0: spec.argv0,
      args: [...spec.args],
      umask: spec.umask,
      ppid: spec.ppid,
      limits: spec.limits === undefined ? undefined : { ...spec.limits },
      nice: spec.nice,
      ignoredSignals: spec.ignoredSignals === undefined ? undefined : [...spec.ignoredSignals],
      passedFds: passed?.fds,
      fdNonce: passed?.nonce,
      persistent: false,
      flags: spec.flags === undefined ? undefined : [...spec.flags],
      longOptions: spec.longOptions === undefined ? undefined : [...spec.longOptions],
    });
    this.token = undefined; // only the first session shows the lease token
    this.connection.sendAll(id, [init, message("Execute", { script })]);
    return result;
  }

  /** Send the fds before the SessionInit that names them; undefined (streamed stdio) if they cannot go. */
  private passFds(fds: readonly number[] | undefined): { fds: number[]; nonce: string } | undefined {
    if (fds === undefined || fds.length === 0 || this.fdSocket === undefined) return undefined;
    const nonce = newNonce();
    try {
      sendFds(this.fdSocket, nonce, fds);
    } catch (error) {
      if (error instanceof FdPassingError) return undefined;
      throw error;
    }
    return { fds: [...fds], nonce };
  }

  signal(name: string): void {
    if (this.running !== undefined) this.connection.send(this.nextId - 1, message("Signal", { signal: name }));
  }

  close(): void {
    this.connection.end();
  }

  private handleMessage(id: number, msg: Message): void {
    if (msg.type === "LeaseEnded") return this.handleLeaseEnded();
    const running = this.running;
    if (running === undefined) return;
    running.started = true;
    switch (msg.type) {
      case "Stdout":
      case "Stderr": {
        const write = msg.type === "Stdout" ? running.io.stdout : running.io.stderr;
        try {
          const pending = running.outputBusy === undefined ? write(msg.data) : running.outputBusy.then(() => write(msg.data));
          if (pending !== undefined) this.holdOutput(running, pending);
        } catch (error) {
          this.abandon(running, error);
        }
        return;
      }
      case "StdinWanted":
        void running.io.stdin(msg.maxBytes).then(
          (data) => this.connection.send(id, data === null ? message("StdinEnd", {}) : message("Stdin", { data })),
          (error: unknown) => {
            this.connection.send(id, message("StdinEnd", {}));
            void Promise.resolve(running.io.stderr(new TextEncoder().encode(`rushd: cannot read stdin: ${String(error)}\n`)));
          },
        );
        return;
      case "ExecutionResult": {
        const result: SessionResult = { status: msg.status, signal: msg.signal, durationUs: msg.durationUs };
        running.result = result;
        const finish = (): void => {
          if (this.running === running) this.running = undefined;
          running.resolve(result);
        };
        // Output still being written keeps its place before the result (an abandoned write rejects instead).
        if (running.outputBusy === undefined) finish();
        else void running.outputBusy.then(finish, () => undefined);
        return;
      }
      case "SessionInitAck":
        return;
      case "Error":
        this.lose(new WorkerLostError(msg.code === "TIMEOUT" ? msg.message : `worker error: ${msg.message}`, msg.code));
        this.connection.end();
        return;
      default:
        return;
    }
  }

  /** Keep output in order while a write is pending: pause the socket until it is done. */
  private holdOutput(running: Running, pending: void | Promise<void>): void {
    if (pending === undefined) return;
    this.connection.pauseReading();
    const busy = pending.then(
      () => {
        if (running.outputBusy === busy) {
          running.outputBusy = undefined;
          this.connection.resumeReading();
        }
      },
      (error: unknown) => this.abandon(running, error),
    );
    running.outputBusy = busy;
  }

  /** Our side cannot take the output (stdout closed): end the session with that error. */
  private abandon(running: Running, error: unknown): void {
    if (this.running === running) this.running = undefined;
    running.reject(error instanceof Error ? error : new Error(String(error)));
    this.lostError ??= new WorkerLostError("session abandoned by the client", "INTERNAL");
    this.connection.end();
  }

  /** The worker ends the lease between sessions; a session we sent after that never ran. */
  private handleLeaseEnded(): void {
    this.leaseEnded = true;
    const running = this.running;
    if (running !== undefined && !running.started) {
      this.running = undefined;
      running.reject(new LeaseEndedError("the worker ended the lease before running the session"));
    }
  }

  private handleClose(error: ProtocolError | undefined): void {
    this.lose(new WorkerLostError(
      error !== undefined ? `connection to the worker lost: ${error.message}` : "connection to the worker lost (the worker exited)",
      error?.code ?? "WORKER_LOST",
    ));
  }

  private lose(error: WorkerLostError): void {
    this.lostError ??= error;
    const running = this.running;
    // A session whose result has arrived is complete: it finishes once its output is written.
    if (running === undefined || running.result !== undefined) return;
    this.running = undefined;
    running.reject(this.lostError);
  }
}
