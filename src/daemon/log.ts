// The daemon's log: one line per event, on its stderr (the log file beside
// the socket when it runs in the background).
//
// Logging must never end the daemon (DESIGN §8): a full disk (ENOSPC), a
// closed or broken stderr are not the daemon's business. Lines are written
// synchronously (an async stream reports a failed write as an 'error' event,
// which nobody could handle and which killed the daemon), a failed write is
// dropped and counted, and a burst (a flood of bad frames) is rate-limited:
// what was dropped is reported by `rushd status` and, once writing works
// again, in one line.

import { writeSync } from "node:fs";

/** Lines that may be written back to back; then LINES_PER_SECOND refill. */
const BURST_LINES = 200;
const LINES_PER_SECOND = 20;

export class DaemonLog {
  written = 0;
  /** Lines not written: the rate limit, or a write that failed (full disk, closed fd). */
  dropped = 0;
  private reportedDropped = 0;
  private tokens = BURST_LINES;
  private refilledAt: number;

  constructor(private readonly fd = 2, private readonly clock: () => number = Date.now) {
    this.refilledAt = clock();
  }

  line(text: string): void {
    if (!this.takeToken()) {
      this.dropped += 1;
      return;
    }
    const missed = this.dropped - this.reportedDropped;
    if (missed > 0 && this.write(`(${missed} log line${missed === 1 ? "" : "s"} dropped: rate limit or failed writes)`)) {
      this.reportedDropped = this.dropped;
    }
    if (this.write(text)) this.written += 1;
    else this.dropped += 1;
  }

  private write(text: string): boolean {
    try {
      writeSync(this.fd, `${new Date(this.clock()).toISOString()} rushd[${process.pid}]: ${text}\n`);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== undefined) return false; // ENOSPC, EPIPE, EBADF, EIO …
      throw error;
    }
  }

  private takeToken(): boolean {
    const now = this.clock();
    const refill = ((now - this.refilledAt) / 1000) * LINES_PER_SECOND;
    if (refill >= 1) {
      this.tokens = Math.min(BURST_LINES, this.tokens + Math.floor(refill));
      this.refilledAt = now;
    }
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
