// The pumps between an external command's pipes and the shell's JS
// endpoints: its output into a sink (with backpressure, stopped when a
// session sink closes), the session's input into its stdin.
//
// Imports sibling executor modules and Bun.

import type { FileSink } from "bun";
import type { OutputSink } from "../io.ts";
import { BrokenPipeFlow } from "./control-flow.ts";
import type { Interp } from "./executor.ts";
import { type ByteSource, closeOsFd } from "./fds.ts";
import { isSystemError } from "./errno.ts";
import { SessionSink } from "./session-sink.ts";

const PUMP_CHUNK_BYTES = 65536;

/** Copies a kernel pipe's read end into a sink until end of input, a broken pipe, or `stop`; then closes the fd. */
class OutputPump {
  private readonly reader;
  private isStopped = false;
  private wakeWait: (() => void) | undefined = undefined;
  readonly done: Promise<void>;

  constructor(
    fd: number,
    private readonly sink: OutputSink,
  ) {
    this.reader = Bun.file(fd).stream().getReader();
    this.done = this.copy().finally(() => closeOsFd(fd));
  }

  /** Stop now: a read waiting for the writer ends at once, and so does a wait for the sink. Resolves once the fd is closed. */
  async stop(): Promise<void> {
    this.isStopped = true;
    this.wakeWait?.();
    await Promise.all([this.reader.cancel(), this.done]);
  }

  private async copy(): Promise<void> {
    for (;;) {
      const { done, value } = await this.reader.read();
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

/** Pump the read end of a kernel pipe into a sink, chunk by chunk as produced; closes the fd. */
export function pumpOut(fd: number, sink: OutputSink): Promise<void> {
  const pump = new OutputPump(fd, sink);
  if (!(sink instanceof SessionSink)) return pump.done;
  // The session may end first: its sink then stops the pump and closes the pipe.
  const finished = sink.addPump(() => pump.stop());
  return pump.done.finally(finished);
}

export async function pumpIn(source: ByteSource, stdin: FileSink, exited: Promise<number>, interp: Interp): Promise<void> {
  const exitedMarker = exited.then(() => "exited" as const);
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
        await stdin.end();
        return;
      }
      const written = stdin.write(chunk);
      if (written instanceof Promise) await written;
      await stdin.flush();
    } catch (error) {
      // The command closed its stdin (EPIPE): it wants no more input.
      if (isSystemError(error)) return;
      throw error;
    }
  }
}
