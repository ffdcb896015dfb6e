// The session's own output: the embedding's stdout/stderr sinks, as every
// (sub)shell and job of the session writes to them. When the session ends
// they close like a pipe whose reader went away (sh -c's stdout once its
// reader is gone): background jobs that outlive the session keep running,
// but a write ends the writer as SIGPIPE would (BrokenPipeFlow, 141), and the
// kernel pipes pumped into them are closed, so their writers get EPIPE.
//
// Imports `io.ts` types and `control-flow.ts` only.

import type { OutputSink } from "../io.ts";
import { BrokenPipeFlow } from "./control-flow.ts";

/** Stops a pump of an external command's pipe into the sink; resolves once its read end is closed. */
export type StopPump = () => Promise<void>;

export class SessionSink implements OutputSink {
  private isOpenNow = true;
  /** Writes succeed and go nowhere (an earlier run's output in a persistent session: Shell.run's `continues`). */
  private isDetached = false;
  private readonly pumps = new Set<StopPump>();

  constructor(readonly sink: OutputSink) {}

  get isOpen(): boolean {
    return this.isOpenNow;
  }

  write(chunk: Uint8Array): void | Promise<void> {
    // Thrown, not returned as a rejection: the writer stops at once, and the embedding's sink is never reached again.
    if (!this.isOpenNow) throw new BrokenPipeFlow();
    if (this.isDetached) return;
    return this.sink.write(chunk);
  }

  /**
   * A later run of a persistent session has its own sink: what the earlier
   * run's background jobs still write is dropped, so it never shows up as
   * another run's output. The writers go on undisturbed.
   */
  detach(): void {
    this.isDetached = true;
  }

  /** A pump starts feeding this sink; `stop` is called when the sink closes. Returns the pump's way to say it is done. */
  addPump(stop: StopPump): () => void {
    this.pumps.add(stop);
    return () => this.pumps.delete(stop);
  }

  /**
   * The session ended: later writes break, and every pump still running is
   * stopped (its read end closed); the promise says when. Undefined when no
   * pump ran (most sessions): nothing to wait for.
   */
  close(): Promise<void> | undefined {
    this.isOpenNow = false;
    if (this.pumps.size === 0) return undefined;
    const stopping = [...this.pumps].map((stop) => stop());
    this.pumps.clear();
    return Promise.all(stopping).then(() => undefined);
  }
}
