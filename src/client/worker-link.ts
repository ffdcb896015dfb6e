// The client's side of a leased worker: the one socket a request crosses.
// Runs sessions one after another on the same connection: one-shot sessions
// (`run`: SessionInit + Execute in one write, no ack awaited) and persistent
// ones (`openSession`, then `execute` any number of times, `exportState`,
// `closeSession`). One command runs at a time; the library queues the rest.

import { message, type Connection, type Message, type ProtocolError } from "../protocol/index.ts";
import { CommandRun, type SessionIO, type SessionResult } from "./command-run.ts";
import { openLink, type Transport } from "./link.ts";
import { sessionInitMessage, type SessionSpec } from "./session-init.ts";
import { workerErrorText } from "./client-outcome.ts";

export type { SessionIO, SessionResult } from "./command-run.ts";
export type { SessionSpec } from "./session-init.ts";

/** The Execute for one command: it says when the command has no input, so the worker need not ask for any. */
function executeMessage(script: string, io: SessionIO): Message<"Execute"> {
  return io.noStdin === true ? message("Execute", { script, noStdin: true }) : message("Execute", { script });
}

/**
 * Sends fds to the worker's fd socket ahead of the SessionInit naming them
 * (common/fd-passing.ts, which needs bun:ffi: the CLI gives it, the library
 * does not). Undefined when they cannot go (stdio is streamed then).
 */
export type FdPasser = (fdSocket: string, fds: readonly number[]) => { fds: number[]; nonce: string } | undefined;

export interface LinkOptions {
  readonly transport: Transport;
  readonly passFds?: FdPasser;
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

interface Reply {
  readonly expects: Message["type"];
  resolve(msg: Message): void;
  reject(error: Error): void;
}

export class WorkerLink {
  private nextId = 1;
  private command: CommandRun | undefined;
  private readonly replies = new Map<number, Reply>();
  private token: string | undefined;
  private lostError: WorkerLostError | undefined;
  private leaseEnded = false;
  private inSession = false;
  private connection!: Connection;

  private constructor(
    /** Sessions this lease still allows; ask the daemon for a new lease after that. */
    public sessionsLeft: number,
    readonly workerPid: number,
    private readonly fdSocket: string | undefined,
    private readonly passer: FdPasser | undefined,
  ) {}

  static async open(grant: Message<"LeaseGrant">, options: LinkOptions): Promise<WorkerLink> {
    const link = new WorkerLink(grant.sessions, grant.workerPid, grant.fdSocket, options.passFds);
    link.token = grant.token;
    ({ connection: link.connection } = await openLink(grant.socket, {
      onMessage: (id, msg) => link.handleMessage(id, msg),
      onClose: (error) => link.handleClose(error),
    }, options.transport));
    return link;
  }

  /** A new session can start here. */
  get isUsable(): boolean {
    return this.lostError === undefined && !this.leaseEnded && !this.connection.isClosed && this.sessionsLeft > 0;
  }

  /** The connection broke or the worker ended the lease: nothing more runs here. */
  get isGone(): boolean {
    return this.lostError !== undefined || this.leaseEnded || this.connection.isClosed;
  }

  /** Run one script as a one-shot session. Rejects with WorkerLostError if the worker goes away. */
  run(spec: SessionSpec, script: string, io: SessionIO): Promise<SessionResult> {
    const refused = this.refusal();
    if (refused !== undefined) return Promise.reject(refused);
    const init = this.sessionInit(spec, false);
    const id = this.nextId++;
    const command = this.startCommand(id, io);
    this.connection.sendAll(id, [init, executeMessage(script, io)]);
    return command.done;
  }

  /** Start a persistent session; resolves once the worker acknowledged it. */
  async openSession(spec: SessionSpec): Promise<void> {
    const refused = this.refusal();
    if (refused !== undefined) throw refused;
    const init = this.sessionInit(spec, true);
    this.inSession = true;
    await this.request(init, "SessionInitAck");
  }

  /** Run a script in the open persistent session. */
  execute(script: string, io: SessionIO): Promise<SessionResult> {
    if (this.lostError !== undefined) return Promise.reject(this.lostError);
    if (!this.inSession) return Promise.reject(new Error("no persistent session is open on this worker link"));
    if (this.command !== undefined) return Promise.reject(new Error("a command is already running on this worker link"));
    const id = this.nextId++;
    const command = this.startCommand(id, io);
    this.connection.send(id, executeMessage(script, io));
    return command.done.then((result) => {
      if (result.sessionEnded) this.inSession = false;
      return result;
    });
  }

  /** The open persistent session's checkpoint, as JSON text. */
  async exportState(): Promise<string> {
    if (!this.inSession) throw new Error("no persistent session is open on this worker link");
    const reply = await this.request(message("ExportState", {}), "SessionState");
    return (reply as Message<"SessionState">).state;
  }

  /** End the persistent session; the worker resets and the link can start another. */
  closeSession(): void {
    if (!this.inSession) return;
    this.inSession = false;
    this.connection.send(this.nextId++, message("Close", {}));
  }

  /** End the running command and its whole process tree (timeouts, aborts). */
  cancel(reason: string): void {
    if (this.command === undefined) return;
    this.command.sentMore = true;
    this.connection.send(this.command.id, message("Cancel", { reason }));
  }

  /** Signal the running command: its foreground processes and the shell, or (`tree`) every process it started. */
  signal(name: string, options: { readonly tree?: boolean } = {}): void {
    // The id of the command most recently sent: a Signal may overtake it (the worker keeps it for it).
    const id = this.command?.id ?? this.nextId - 1;
    if (this.command !== undefined) this.command.sentMore = true;
    this.connection.send(id, message("Signal", options.tree === true ? { signal: name, tree: true } : { signal: name }));
  }

  close(): void {
    this.connection.end();
  }

  private refusal(): Error | undefined {
    if (this.lostError !== undefined) return this.lostError;
    if (this.leaseEnded) return new LeaseEndedError("the worker ended the lease");
    if (this.command !== undefined || this.inSession) return new Error("a session is already running on this worker link");
    return undefined;
  }

  private sessionInit(spec: SessionSpec, persistent: boolean): Message<"SessionInit"> {
    this.sessionsLeft -= 1;
    const init = sessionInitMessage(spec, { token: this.token, passed: this.passFds(spec.passFds), persistent });
    this.token = undefined; // only the first session shows the lease token
    return init;
  }

  private passFds(fds: readonly number[] | undefined): { fds: number[]; nonce: string } | undefined {
    if (fds === undefined || fds.length === 0 || this.fdSocket === undefined || this.passer === undefined) return undefined;
    return this.passer(this.fdSocket, fds);
  }

  private startCommand(id: number, io: SessionIO): CommandRun {
    const command = new CommandRun(id, io, this.connection, () => {
      this.lostError ??= new WorkerLostError("session abandoned by the client", "INTERNAL");
      this.connection.end();
    });
    this.command = command;
    const clear = (): void => {
      if (this.command === command) this.command = undefined;
    };
    command.done.then(clear, clear);
    return command;
  }

  private request(msg: Message, expects: Message["type"]): Promise<Message> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.replies.set(id, { expects, resolve, reject });
      this.connection.send(id, msg);
    });
  }

  private handleMessage(id: number, msg: Message): void {
    if (msg.type === "LeaseEnded") return this.handleLeaseEnded();
    if (msg.type === "Error") {
      this.lose(new WorkerLostError(workerErrorText(msg.code, msg.message), msg.code));
      this.connection.end();
      return;
    }
    const reply = this.replies.get(id);
    if (reply !== undefined && reply.expects === msg.type) {
      this.replies.delete(id);
      return reply.resolve(msg);
    }
    const command = this.command;
    if (command !== undefined && command.id === id) command.handle(msg);
  }

  /** The worker ends the lease between sessions; a session we sent after that never ran. */
  private handleLeaseEnded(): void {
    this.leaseEnded = true;
    const ended = new LeaseEndedError("the worker ended the lease before running the session");
    const command = this.command;
    if (command !== undefined && !command.started) command.fail(ended);
    this.failReplies(ended);
  }

  private handleClose(error: ProtocolError | undefined): void {
    // EPIPE on the write that carried the session: the worker had closed (it ended the lease,
    // and the LeaseEnded it sent was lost with the connection): none of it arrived, nothing ran.
    const command = this.command;
    if (command !== undefined && !command.started && !command.sentMore && (error?.cause as { code?: unknown } | undefined)?.code === "EPIPE") {
      this.leaseEnded = true;
      command.fail(new LeaseEndedError("the worker had closed the lease before the session was sent"));
    }
    this.lose(new WorkerLostError(
      error !== undefined ? `connection to the worker lost: ${error.message}` : "connection to the worker lost (the worker exited)",
      error?.code ?? "WORKER_LOST",
    ));
  }

  private lose(error: WorkerLostError): void {
    this.lostError ??= error;
    this.inSession = false;
    this.failReplies(this.lostError);
    // A command whose result has arrived is complete: it finishes once its output is written.
    const command = this.command;
    if (command !== undefined && command.result === undefined) command.fail(this.lostError);
  }

  private failReplies(error: Error): void {
    for (const reply of this.replies.values()) reply.reject(error);
    this.replies.clear();
  }
}
