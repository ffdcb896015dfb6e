// The pumps between an external command's pipes and the shell's JS
// endpoints: its output into a sink (with backpressure, stopped when a
// session sink closes), an input source (the session's stdin, a
// here-document) into its fd 0 or any other fd it reads.
//
// Imports sibling executor modules and Bun.

import type { FileSink } from "bun";
import type { OutputSink } from "../io.ts";
import { BrokenPipeFlow } from "./control-flow.ts";
import type { Interp } from "./executor.ts";
import { type ByteSource, closeOsFd, FdError, writeTarget } from "./fds.ts";
import { isSystemError } from "./errno.ts";
import { isReadableNow } from "./libc.ts";
import { SessionSink } from "./session-sink.ts";

/** How much a pump reads of its source, or of a pipe, at a time. */
export const PUMP_CHUNK_BYTES = 65536;

/** Copies a kernel pipe's read end into a sink until end of input, a broken pipe, or `stop`; then closes the fd. */
class OutputPump {
  private readonly reader;
  private isStopped = false;
  private isDone = false;
  private wakeWait: (() => void) | undefined = undefined;
  /** Waiting for the next read from the pipe: everything read so far has gone to the sink. */
  private isWaitingForInput = false;
  private idleWaiters: (() => void)[] = [];
  readonly done: Promise<void>;

  constructor(
    private readonly fd: number,
    private readonly sink: OutputSink,
  ) {
    this.reader = Bun.file(fd).stream().getReader();
    this.done = this.copy().finally(() => {
      this.isDone = true;
      this.wakeIdleWaiters();
      closeOsFd(fd);
    });
  }

  /**
   * Resolves once everything the pipe holds now has gone to the sink: at end
   * of input, or when the pump waits for input and the pipe is empty (a
   * writer is left: a background child of the command that exited). A
   * macrotask turn confirms it, in case the stream had a chunk queued.
   */
  async drained(): Promise<void> {
    for (;;) {
      if (this.isDone) return;
      if (this.isWaitingForInput && !isReadableNow(this.fd)) {
        await new Promise((resolve) => setImmediate(resolve));
        if (this.isDone || (this.isWaitingForInput && !isReadableNow(this.fd))) return;
      }
      await new Promise<void>((resolve) => {
        this.idleWaiters.push(resolve);
        // A poll that found data: the read under way takes it; look again once the next read waits.
        if (this.isWaitingForInput) setImmediate(() => this.wakeIdleWaiters());
      });
    }
  }

  private wakeIdleWaiters(): void {
    for (const wake of this.idleWaiters.splice(0)) wake();
  }

  /** Stop now: a read waiting for the writer ends at once, and so does a wait for the sink. Resolves once the fd is closed. */
  async stop(): Promise<void> {
    this.isStopped = true;
    this.wakeWait?.();
    await Promise.all([this.reader.cancel(), this.done]);
  }

  private async copy(): Promise<void> {
    for (;;) {
      this.isWaitingForInput = true;
      this.wakeIdleWaiters();
      const { done, value } = await this.reader.read();
      this.isWaitingForInput = false;
      if (done || this.isStopped) break;
      try {
        const wait = this.sink.write(value);
        if (wait !== undefined) await this.unlessStopped(wait);
      } catch (error) {
        if (!(error instanceof BrokenPipeFlow)) throw error;
        break;
      }
      if (this.isStopped) break;
    }
    // The reader is gone (a stage that ended, a session that ended): our end closes next, so
    // the writer gets SIGPIPE, as with a real pipe.
    await this.reader.cancel();
  }

  /** A fresh promise per wait: nothing accumulates on a long-lived one while chunks flow. */
  private unlessStopped(wait: Promise<void>): Promise<void> {
    const stopped = new Promise<void>((resolve) => {
      this.wakeWait = resolve;
    });
    return Promise.race([wait, stopped]).finally(() => {
      this.wakeWait = undefined;
    });
  }
}

export interface OutputPumping {
  /** End of input (or a stop): the fd is closed. */
  readonly done: Promise<void>;
  /**
   * When the command that wrote may be taken as finished with its output
   * once it exited. Into the session's own output (SessionSink): when what
   * the pipe holds has been passed on, as dash does not wait for a
   * background child that keeps its stdout open (`sh -c 'sleep 9 & echo x'`
   * returns at once); the pump goes on for what that child writes until the
   * session ends. Anywhere else (a command substitution): end of input, as
   * dash reads `$(…)` to its end.
   */
  settled(): Promise<void>;
}

/** Pump the read end of a kernel pipe into a sink, chunk by chunk as produced; closes the fd. */
export function pumpOut(fd: number, sink: OutputSink): OutputPumping {
  const pump = new OutputPump(fd, sink);
  if (!(sink instanceof SessionSink)) return { done: pump.done, settled: () => pump.done };
  // The session may end first: its sink then stops the pump and closes the pipe.
  const finished = sink.addPump(() => pump.stop());
  const done = pump.done.finally(finished);
  return { done, settled: () => pump.drained() };
}

/** Where `pumpIn` writes a source: Bun's pipe to a child's stdin, or the write end of a kernel pipe at another fd. */
export interface InputPipe {
  write(chunk: Uint8Array): Promise<void>;
  /** End of input: the reader sees EOF. */
  end(): void | Promise<void>;
  /** The pump is done (ended, or the command exited first): let go of what it holds. */
  release(): void;
}

/** Bun's pipe to a child's fd 0. */
export function fileSinkPipe(stdin: FileSink): InputPipe {
  return {
    async write(chunk) {
      const written = stdin.write(chunk);
      if (written instanceof Promise) await written;
      await stdin.flush();
    },
    end: async () => {
      await stdin.end();
    },
    release: () => undefined,
  };
}

/**
 * The write end of a kernel pipe that a child reads at some fd (a
 * here-document on fd 3): written on the thread pool, since the child may
 * take its time; closed at the end.
 */
export function kernelPipe(fd: number): InputPipe {
  let isOpen = true;
  const close = (): void => {
    if (isOpen) closeOsFd(fd);
    isOpen = false;
  };
  return { write: async (chunk) => writeTarget({ kind: "os", fd, isFifo: true }, chunk), end: close, release: close };
}

/** Did the command close its end (EPIPE), or the fd fail under us? It wants no more input. */
export function isInputRefused(error: unknown): boolean {
  return isSystemError(error) || error instanceof BrokenPipeFlow || error instanceof FdError;
}

export async function pumpIn(source: ByteSource, pipe: InputPipe, exited: Promise<number>, interp: Interp): Promise<void> {
  const exitedMarker = exited.then(() => "exited" as const);
  try {
    for (;;) {
      const pending = source.read(PUMP_CHUNK_BYTES);
      const chunk = await Promise.race([pending, exitedMarker]);
      if (chunk === "exited") {
        // Bytes that arrive after the command ended belong to the next reader.
        if (source === interp.session.input) interp.session.input.adopt(pending);
        return;
      }
      try {
        if (chunk === null) {
          await pipe.end();
          return;
        }
        await pipe.write(chunk);
      } catch (error) {
        if (isInputRefused(error)) return;
        throw error;
      }
    }
  } finally {
    pipe.release();
  }
}
