// client.spawn(): a command handed back at once, with its output as async
// iterables, a writable stdin, kill() for its whole process tree and
// `exited` for its result (whose stdout/stderr are empty: they were
// streamed).

import type { CommandTarget, AnyRunResult } from "./command.ts";
import type { CommandOptions, RunOptions, RunResult } from "./run-options.ts";
import { CommandStdin, OutputStream } from "./streams.ts";

export interface SpawnOptions extends Omit<CommandOptions, "maxOutputBytes" | "onOutputLimit"> {}

/** Starts the command; `bind` receives the handle to signal it once it has a worker. */
export type CommandStarter = (options: RunOptions, bind: (target: CommandTarget) => void) => Promise<AnyRunResult>;

export class RunningCommand {
  readonly stdout = new OutputStream();
  readonly stderr = new OutputStream();
  /** Write to it and end() it; absent when the `stdin` option gave the input. */
  readonly stdin: CommandStdin | undefined;
  /** The result, once the command ended (status, signal, timedOut, …). */
  readonly exited: Promise<RunResult<Uint8Array>>;
  private target: CommandTarget | undefined;
  private readonly pendingSignals: string[] = [];

  constructor(start: CommandStarter, options: SpawnOptions) {
    this.stdin = options.stdin === undefined ? new CommandStdin() : undefined;
    const runOptions: RunOptions = {
      ...options,
      stdin: options.stdin ?? this.stdin,
      onStdout: (data) => this.stdout.push(data),
      onStderr: (data) => this.stderr.push(data),
    };
    this.exited = start(runOptions, (target) => {
      this.target = target;
      // After the command's Execute has gone (it is sent right after this, in the same turn).
      queueMicrotask(() => {
        for (const signal of this.pendingSignals.splice(0)) target.signal(signal);
      });
    }).then(
      (result) => {
        this.stdout.end();
        this.stderr.end();
        return result as RunResult<Uint8Array>;
      },
      (error: unknown) => {
        const failure = error instanceof Error ? error : new Error(String(error));
        this.stdout.end(failure);
        this.stderr.end(failure);
        throw failure;
      },
    );
    // A caller that only iterates the streams still sees the failure there; this keeps it from being unhandled too.
    this.exited.catch(() => undefined);
  }

  /** Send a signal (default SIGTERM) to the shell and every process the command started, setsid ones included. */
  kill(signal = "SIGTERM"): void {
    if (this.target === undefined) this.pendingSignals.push(signal);
    else this.target.signal(signal);
  }
}
