// The job table: background lists started with `&`, their pid for `$!`,
// `wait` and `kill`, and their processes. Job numbers are dash's slots: a
// number is used again once its job is gone.
//
// A job that is one external command gets that process's real pid. Any other
// job runs in-process and gets a pid above the kernel's maximum (2^22), so it
// can never name a real process.
//
// Imports nothing from the executor.

import type { Subprocess } from "bun";
import type { ShellProcess } from "./shell-process.ts";
import type { CancelToken } from "./session.ts";

const FIRST_SYNTHETIC_PID = 4_194_305;

export interface Job {
  readonly id: number;
  pid: number;
  readonly command: string;
  /** Processes dash would have made for it: a pipeline's stages (its `jobs` lists one per stage). */
  readonly stages: number;
  /**
   * The pids `jobs -l` lists, one per stage, first to last; `jobs -p` shows the
   * first. `pid` is the last one, as dash's `$!` and `wait pid` name a pipeline by its last process.
   */
  stagePids: readonly number[];
  /** Exit status once done. */
  status: number | undefined;
  readonly done: Promise<number>;
  /** External processes the job started (to signal them). */
  readonly processes: Set<Subprocess>;
  readonly cancel: CancelToken;
  /** The traps of the job's shell (a signal it traps or ignores does not end it). */
  readonly traps: ReadonlyMap<string, string>;
  /** The signal that ended the job, if one did: `wait` then says so ("Terminated"), as dash does. */
  signal: number | undefined;
  /** `wait` has waited for it (dash's `waited`): once done, the next fork may free it (JobTable.forked). */
  isWaited: boolean;
  /** When it started, counted in the table: the most recent job is the current one (`%+`). */
  readonly order: number;
  /**
   * The shell has seen the job end (dash has reaped it): `wait` for it says
   * nothing more. dash reaps a finished job while it waits for a foreground
   * command, in `jobs`, and in `wait`.
   */
  isNoticed: boolean;
  /** Where signals for the job's in-process shell wait (the trapped ones: its traps run them). */
  inbox?: ShellProcess;
}

/** Whether a job's pid is one given to an in-process job (no process has it). */
export function isSyntheticPid(pid: number): boolean {
  return pid >= FIRST_SYNTHETIC_PID;
}

/** Pids for in-process jobs, unique in the session. */
export class SyntheticPids {
  private next = FIRST_SYNTHETIC_PID;

  take(): number {
    return this.next++;
  }
}

/** The jobs of one shell (a subshell starts with none: its `wait` and `jobs` see only its own). */
export class JobTable {
  private readonly jobs = new Map<number, Job>();
  private started = 0;

  add(command: string, stages: number, cancel: CancelToken, processes: Set<Subprocess>, traps: ReadonlyMap<string, string>, start: () => Promise<number>): Job {
    const id = this.freeSlot();
    let resolveDone: (status: number) => void = () => undefined;
    const done = new Promise<number>((resolve) => {
      resolveDone = resolve;
    });
    const job: Job = { id, pid: 0, command, stages, stagePids: [], status: undefined, done, processes, cancel, traps, signal: undefined, isWaited: false, order: this.started++, isNoticed: false };
    this.jobs.set(id, job);
    start().then(
      (status) => {
        job.status = status;
        resolveDone(status);
      },
      (error: unknown) => {
        // The job's shell already reported what it could; an escaped error is a bug, keep it visible.
        console.error("rushd: background job failed:", error);
        job.status = 2;
        resolveDone(2);
      },
    );
    return job;
  }

  byPid(pid: number): Job | undefined {
    for (const job of this.jobs.values()) if (job.pid === pid) return job;
    return undefined;
  }

  byId(id: number): Job | undefined {
    return this.jobs.get(id);
  }

  all(): Job[] {
    return [...this.jobs.values()];
  }

  /** A foreground command was waited for: jobs that ended before are reaped silently (dash's dowait). */
  noticeFinished(): void {
    if (this.jobs.size === 0) return;
    for (const job of this.jobs.values()) if (job.status !== undefined) job.isNoticed = true;
  }

  /**
   * The shell forks a foreground process (an external command, `( )`, `$( )`,
   * a pipeline): dash's makejob gives it a slot of the table, as it does a
   * background job, and on the way frees the first finished job `wait` waited for.
   */
  forked(): void {
    if (this.jobs.size > 0) this.freeSlot();
  }

  /**
   * A job number as dash's makejob finds its slot: the first unused one, or
   * the first job before it that is done and waited for (freed for it).
   */
  private freeSlot(): number {
    for (let id = 1; ; id++) {
      const job = this.jobs.get(id);
      if (job === undefined) return id;
      if (job.status !== undefined && job.isWaited) {
        this.jobs.delete(id);
        return id;
      }
    }
  }

  remove(job: Job): void {
    this.jobs.delete(job.id);
  }
}
