// WorkerState: the process-wide state of a worker (cwd, environment, umask),
// captured once at start and restored after every session.
//
// This is the only module that writes process.env, calls process.chdir or
// process.umask. Everything a session changes goes through the tracked
// setters below, so reset() does work proportional to what the session
// touched, not to the size of the environment. verify() is the full
// comparison against the snapshot (--verify-reset): it catches changes that
// bypassed the setters.

export interface Snapshot {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly umask: number;
}

export class StateCaptureError extends Error {
  override readonly name = "StateCaptureError";
}

export class WorkerState {
  /** Env keys the session set or deleted (restored from the snapshot on reset). */
  private readonly touchedEnv = new Set<string>();
  private cwdTouched = false;
  private umaskTouched = false;

  private constructor(readonly snapshot: Snapshot) {}

  /** Capture the current process state. Throws StateCaptureError if it cannot be read. */
  static capture(): WorkerState {
    try {
      const env: Record<string, string> = {};
      for (const [key, value] of Object.entries(process.env)) {
        if (value !== undefined) env[key] = value;
      }
      return new WorkerState(Object.freeze({ cwd: process.cwd(), env: Object.freeze(env), umask: readUmask() }));
    } catch (error) {
      throw new StateCaptureError("cannot capture the worker's start state", { cause: error });
    }
  }

  // --- tracked setters (the session's only way to change process state) ---

  chdir(dir: string): void {
    this.cwdTouched = true;
    process.chdir(dir);
  }

  setUmask(mask: number): void {
    this.umaskTouched = true;
    process.umask(mask);
  }

  getUmask(): number {
    return readUmask();
  }

  setEnv(key: string, value: string | undefined): void {
    this.touchedEnv.add(key);
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }

  /**
   * Bind the process to a session: its umask, which children inherit. The
   * session's cwd is not bound: the executor keeps its own and passes it to
   * every child, which saves two chdir(2) calls (~5 µs) per session.
   */
  enterSession(umask: number): void {
    if (umask !== this.snapshot.umask) this.setUmask(umask);
  }

  /** Restore what the session touched. Returns the time it took in microseconds. */
  reset(): number {
    const startNs = Bun.nanoseconds();
    if (this.cwdTouched) {
      process.chdir(this.snapshot.cwd);
      this.cwdTouched = false;
    }
    if (this.umaskTouched) {
      process.umask(this.snapshot.umask);
      this.umaskTouched = false;
    }
    if (this.touchedEnv.size > 0) {
      for (const key of this.touchedEnv) {
        const original = this.snapshot.env[key];
        if (original === undefined) delete process.env[key];
        else if (process.env[key] !== original) process.env[key] = original;
      }
      this.touchedEnv.clear();
    }
    return (Bun.nanoseconds() - startNs) / 1000;
  }

  /** Full comparison with the snapshot; each mismatch described. Empty means clean. */
  verify(): string[] {
    const problems: string[] = [];
    const cwd = process.cwd();
    if (cwd !== this.snapshot.cwd) problems.push(`cwd is ${cwd}, expected ${this.snapshot.cwd}`);
    const umask = readUmask();
    if (umask !== this.snapshot.umask) problems.push(`umask is ${octal(umask)}, expected ${octal(this.snapshot.umask)}`);
    for (const [key, value] of Object.entries(process.env)) {
      const original = this.snapshot.env[key];
      if (original === undefined) problems.push(`env ${key} was added`);
      else if (original !== value) problems.push(`env ${key} was changed`);
    }
    for (const key of Object.keys(this.snapshot.env)) {
      if (process.env[key] === undefined) problems.push(`env ${key} was deleted`);
    }
    return problems;
  }
}

// process.umask() without an argument is deprecated in Node because reading
// requires a write; set-and-restore is the portable way to read it.
function readUmask(): number {
  const mask = process.umask(0);
  process.umask(mask);
  return mask;
}

function octal(mask: number): string {
  return mask.toString(8).padStart(4, "0");
}
