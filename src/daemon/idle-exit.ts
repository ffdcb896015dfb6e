// --idle-exit: a daemon nobody uses stops itself, so an auto-started one
// does not hold its workers' memory (~260 MiB) for ever. Policy only: the
// daemon says what counts as work and what stopping is.
//
// Idle means no lease granted, held or queued, no retired worker still
// running a session's background jobs, and no client connection, for the
// whole period. Rather than sample that every so often (a short session
// between two samples would be missed), the daemon keeps a clock of its
// last activity (a lease asked for, granted or ended, a worker started or
// gone, a connection opened or closed; every kind of work ends with one of
// these): the period counts from it, and the timer wakes about once per
// period.

export interface IdleProbe {
  /** Is anything running or waiting now? */
  hasWork(): boolean;
  /** Date.now() of the last activity. */
  lastActiveAt(): number;
}

export class IdleExit {
  private timer: Timer | undefined;
  private isStopped = false;

  /** `idleExitS` 0: never. */
  constructor(private readonly idleExitS: number, private readonly probe: IdleProbe, private readonly onIdle: (idleS: number) => void) {}

  start(): void {
    if (this.idleExitS > 0) this.schedule(this.idleExitS * 1000);
  }

  stop(): void {
    this.isStopped = true;
    clearTimeout(this.timer);
  }

  private schedule(delayMs: number): void {
    if (this.isStopped) return;
    this.timer = setTimeout(() => this.check(), delayMs);
    // The listener keeps the daemon alive; this timer must not be what does.
    this.timer.unref();
  }

  private check(): void {
    const periodMs = this.idleExitS * 1000;
    // Busy now: whenever the work ends, that moves the activity clock, so look again a period later.
    if (this.probe.hasWork()) return this.schedule(periodMs);
    const dueInMs = this.probe.lastActiveAt() + periodMs - Date.now();
    if (dueInMs > 0) return this.schedule(dueInMs);
    this.stop();
    this.onIdle(this.idleExitS);
  }
}
