// One command on a worker link, from its Execute to its ExecutionResult:
// its output goes to the caller's callbacks in order (the socket is paused
// while a callback's write is pending, so a slow consumer slows the
// command), its stdin is read from the caller only when the command asks.

import { message, type Connection, type Message } from "../protocol/index.ts";

export interface SessionIO {
  stdout(data: Uint8Array): void | Promise<void>;
  stderr(data: Uint8Array): void | Promise<void>;
  /** The command wants input: at most maxBytes, null at end of input. */
  stdin(maxBytes: number): Promise<Uint8Array | null>;
  /** The command has no input at all (stdin would answer null at once): the Execute says so, and the worker never asks. */
  readonly noStdin?: boolean;
}

export interface SessionResult {
  readonly status: number;
  /** The signal that ended the session's shell itself (`kill $$`), if one did: the caller dies of it too. */
  readonly signal?: string;
  readonly durationUs: number;
  /** The command was ended by a Cancel (a timeout or an abort), with its whole process tree. */
  readonly cancelled: boolean;
  /** A persistent session's shell exited in this command (`exit`): the session is over. */
  readonly sessionEnded: boolean;
  /** The worker's stage times (ns), from a daemon started with --profile-stages. */
  readonly stages?: Readonly<Record<string, number>>;
}

export class CommandRun {
  /** Output writes still in progress (the socket is paused meanwhile). */
  private outputBusy: Promise<void> | undefined;
  /** Something of this command has arrived (so it ran, at least in part). */
  started = false;
  /** A Signal or Cancel went after the Execute (a write that can fail on its own). */
  sentMore = false;
  /**
   * The ExecutionResult, once it arrived: the command is over and only our
   * own output writes are pending. Losing the connection now is no failure
   * (the worker closes a lease right after its last result).
   */
  result: SessionResult | undefined;
  private settled = false;
  private resolveResult!: (result: SessionResult) => void;
  private rejectResult!: (error: Error) => void;
  readonly done = new Promise<SessionResult>((resolve, reject) => {
    this.resolveResult = resolve;
    this.rejectResult = reject;
  });

  constructor(
    readonly id: number,
    private readonly io: SessionIO,
    private readonly connection: Connection,
    /** The caller cannot take the output (its stdout closed): the link gives up on the worker. */
    private readonly onAbandon: (error: Error) => void,
  ) {}

  get isSettled(): boolean {
    return this.settled;
  }

  /** A message carrying this command's id. */
  handle(msg: Message): void {
    this.started = true;
    switch (msg.type) {
      case "Stdout":
      case "Stderr":
        return this.output(msg.type === "Stdout" ? this.io.stdout : this.io.stderr, msg.data);
      case "StdinWanted":
        return this.readStdin(msg.maxBytes);
      case "ExecutionResult":
        return this.finish({
          status: msg.status,
          signal: msg.signal,
          durationUs: msg.durationUs,
          cancelled: msg.cancelled === true,
          sessionEnded: msg.sessionEnded === true,
          stages: msg.stages as Record<string, number> | undefined,
        });
      default:
        return;
    }
  }

  fail(error: Error): void {
    if (this.settled) return;
    this.settled = true;
    this.rejectResult(error);
  }

  private output(write: (data: Uint8Array) => void | Promise<void>, data: Uint8Array): void {
    if (this.settled) return;
    try {
      const busy = this.outputBusy;
      const pending = busy === undefined ? write(data) : busy.then(() => write(data));
      if (pending !== undefined) this.holdOutput(pending);
    } catch (error) {
      this.abandon(error);
    }
  }

  /** Keep output in order while a write is pending: pause the socket until it is done. */
  private holdOutput(pending: Promise<void>): void {
    this.connection.pauseReading();
    const busy: Promise<void> = pending.then(
      () => {
        if (this.outputBusy === busy) {
          this.outputBusy = undefined;
          this.connection.resumeReading();
        }
      },
      (error: unknown) => this.abandon(error),
    );
    this.outputBusy = busy;
  }

  private abandon(error: unknown): void {
    const reason = error instanceof Error ? error : new Error(String(error));
    this.fail(reason);
    this.onAbandon(reason);
  }

  private readStdin(maxBytes: number): void {
    void this.io.stdin(maxBytes).then(
      (data) => this.connection.send(this.id, data === null ? message("StdinEnd", {}) : message("Stdin", { data })),
      (error: unknown) => {
        this.connection.send(this.id, message("StdinEnd", {}));
        void Promise.resolve(this.io.stderr(new TextEncoder().encode(`rushd: cannot read stdin: ${String(error)}\n`)));
      },
    );
  }

  private finish(result: SessionResult): void {
    this.result = result;
    const settle = (): void => {
      if (this.settled) return;
      this.settled = true;
      this.resolveResult(result);
    };
    // Output still being written keeps its place before the result (an abandoned write rejects instead).
    if (this.outputBusy === undefined) settle();
    else void this.outputBusy.then(settle, () => undefined);
  }
}
