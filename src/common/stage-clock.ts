// Where the microseconds of one round trip go (issue 10, the bench's
// breakdown). A process that profiles (a worker started with
// --profile-stages, the bench's client) notes the time at named points of
// the hot path; one that does not pays one test of a boolean per point.
//
// Times are this process's own monotonic clock (Bun.nanoseconds(), or
// performance.now() under Node.js): they are only ever subtracted from one
// another within one process, never compared across processes.

let profiling = false;
const marks = new Map<string, number>();

const now: () => number = typeof Bun !== "undefined" ? () => Bun.nanoseconds() : () => Math.round(performance.now() * 1e6);

/** Turn stage marks on for this process (off by default: marking costs a clock read and a map write). */
export function enableStageClock(): void {
  profiling = true;
}

/** Back to no marks (the bench profiles one measure, then times the others unmarked). */
export function disableStageClock(): void {
  profiling = false;
  marks.clear();
}

export function stageClockEnabled(): boolean {
  return profiling;
}

/** Note that the hot path reached `stage` now (a later mark of the same name replaces it). */
export function markStage(stage: string): void {
  if (profiling) marks.set(stage, now());
}

/** When `stage` was last marked (ns), or undefined. */
export function stageTime(stage: string): number | undefined {
  return marks.get(stage);
}

/** Nanoseconds from `from` to `to`, or undefined if either was not marked. */
export function stageSpan(from: string, to: string): number | undefined {
  const start = marks.get(from);
  const end = marks.get(to);
  return start === undefined || end === undefined ? undefined : end - start;
}
