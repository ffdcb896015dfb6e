// A persistent session: one shell, on a worker lease of its own, whose runs
// share cwd, variables, functions, aliases, options and traps, as a real
// shell does. Each run has its own stdin, output and timeout; a timeout or
// abort ends that run's process tree and the session goes on. `exit` in a
// run ends the session (the run's result says `sessionEnded`).
//
// exportState() is a JSON checkpoint of the shell (docs/CHECKPOINTS.md says
// what it carries); session({ state }) resumes from it, in another worker or
// another daemon.

import { LeaseEndedError, type WorkerLink } from "../worker-link.ts";
import { libraryError, runSessionCommand } from "./command.ts";
import { RushdClosedError } from "./errors.ts";
import { type CommandOptions, type Defaults, type RunOptions, type RunResult, type SessionResultExtras, sessionSpec } from "./run-options.ts";

export interface SessionOptions extends Pick<CommandOptions, "cwd" | "env" | "args" | "argv0" | "umask" | "shellFlags"> {
  /** Resume from a checkpoint made by exportState() (its cwd and variables win over cwd and env). */
  readonly state?: SessionCheckpoint;
}

/** Per-run options of a session: the shell's own state (cwd, env, …) is the session's. */
export type SessionRunOptions = Omit<RunOptions, "cwd" | "env" | "args" | "argv0" | "umask" | "shellFlags">;

/** A shell's state as JSON (docs/CHECKPOINTS.md). Treat it as opaque; it has a `version`. */
export type SessionCheckpoint = Readonly<Record<string, unknown>>;

export type SessionRunResult<Output> = RunResult<Output> & SessionResultExtras;

export class RushdSession {
  /** Runs wait their turn: one shell runs one script at a time. */
  private queue: Promise<unknown> = Promise.resolve();
  private endedWhy: string | undefined;

  private constructor(private readonly link: WorkerLink, private readonly onClose: () => void) {}

  static async open(lease: () => Promise<WorkerLink>, options: SessionOptions, defaults: Defaults, onClose: () => void): Promise<RushdSession> {
    const spec = { ...sessionSpec(options, defaults).spec, state: options.state === undefined ? undefined : JSON.stringify(options.state) };
    for (;;) {
      const link = await lease();
      try {
        await link.openSession(spec);
        return new RushdSession(link, onClose);
      } catch (error) {
        link.close();
        // The worker ended the lease before the session began: nothing ran; take another.
        if (!(error instanceof LeaseEndedError)) throw libraryError(error);
      }
    }
  }

  /** The session is over (closed, or its shell exited): runs are refused. */
  get isEnded(): boolean {
    return this.endedWhy !== undefined || this.link.isGone;
  }

  run(script: string, options: SessionRunOptions & { readonly encoding: "utf8" }): Promise<SessionRunResult<string>>;
  run(script: string, options?: SessionRunOptions & { readonly encoding?: "buffer" }): Promise<SessionRunResult<Uint8Array>>;
  run(script: string, options?: SessionRunOptions): Promise<SessionRunResult<Uint8Array | string>>;
  run(script: string, options: SessionRunOptions = {}): Promise<SessionRunResult<Uint8Array | string>> {
    return this.enqueue(async () => {
      const result = await runSessionCommand({
        start: (io) => this.link.execute(script, io),
        cancel: (reason) => this.link.cancel(reason),
        abandon: () => this.link.close(),
        signal: (name) => this.link.signal(name, { tree: true }),
      }, options);
      if (result.sessionEnded) this.end("its shell exited");
      return result;
    });
  }

  /** A JSON-serialisable checkpoint of the shell, taken after the runs before it. */
  exportState(): Promise<SessionCheckpoint> {
    return this.enqueue(async () => {
      try {
        return JSON.parse(await this.link.exportState()) as SessionCheckpoint;
      } catch (error) {
        throw libraryError(error);
      }
    });
  }

  /** End the session and release its worker (which is reset for its next client). */
  async close(): Promise<void> {
    if (this.endedWhy === undefined) this.end("it was closed");
    this.link.cancel("session closed"); // a run still going ends with its process tree
    await this.queue.catch(() => undefined);
    this.link.closeSession();
    this.link.close();
  }

  private end(why: string): void {
    this.endedWhy ??= why;
    this.onClose();
  }

  private enqueue<T>(step: () => Promise<T>): Promise<T> {
    const next = this.queue.then(() => {
      if (this.endedWhy !== undefined) throw new RushdClosedError(`the session is over: ${this.endedWhy}`);
      if (this.link.isGone) throw new RushdClosedError("the session is over: its worker connection was lost");
      return step();
    });
    this.queue = next.catch(() => undefined);
    return next;
  }
}
