// How many samples each measure takes: the default run (about 2–4 minutes
// on a 2-core machine) and `--quick` (well under 40 s).

export interface Plan {
  readonly name: "default" | "quick";
  /** Rounds the contenders of one measure are interleaved in. */
  readonly rounds: number;
  readonly roundTrip: { readonly held: number; readonly coprocess: number; readonly spawn: number; readonly fork: number; readonly socketEcho: number };
  readonly wholeProcess: number;
  readonly external: number;
  readonly throughput: { readonly rounds: number; readonly seconds: number; readonly clients: number };
  readonly loop: { readonly maxSamples: number; readonly minSamples: number; readonly budgetS: number };
  readonly bulk: { readonly bytes: number; readonly samples: number };
  /** `rushd -c 'head -c BYTES /dev/zero'` to the caller's stdout, vs dash -c. */
  readonly passedStdout: { readonly bytes: number; readonly samples: number };
  /** `while read l; do :; done` over a file of LINES lines on the caller's stdin, vs dash -c. */
  readonly readLoop: { readonly lines: number; readonly samples: number };
  /** Mixed sessions on one worker whose RSS is followed (measures-memory.ts). */
  readonly memorySessions: number;
}

const DEFAULT_PLAN: Plan = {
  name: "default",
  rounds: 20,
  roundTrip: { held: 20_000, coprocess: 20_000, spawn: 1000, fork: 300, socketEcho: 20_000 },
  wholeProcess: 600,
  external: 3000,
  throughput: { rounds: 3, seconds: 3, clients: 4 },
  loop: { maxSamples: 10, minSamples: 3, budgetS: 40 },
  bulk: { bytes: 2 ** 30, samples: 3 },
  // Each sample is one short run (~50 ms to /dev/null) whose fixed start-up is most of the gap: enough of them for a steady median.
  passedStdout: { bytes: 2 ** 30, samples: 24 },
  readLoop: { lines: 20_000, samples: 200 },
  memorySessions: 100_000,
};

const QUICK_PLAN: Plan = {
  name: "quick",
  rounds: 5,
  roundTrip: { held: 1500, coprocess: 1500, spawn: 60, fork: 20, socketEcho: 1500 },
  wholeProcess: 40,
  external: 200,
  throughput: { rounds: 1, seconds: 1, clients: 4 },
  loop: { maxSamples: 3, minSamples: 1, budgetS: 6 },
  bulk: { bytes: 2 ** 28, samples: 1 },
  passedStdout: { bytes: 2 ** 28, samples: 1 },
  readLoop: { lines: 20_000, samples: 20 },
  memorySessions: 10_000,
};

export function choosePlan(argv: readonly string[]): Plan {
  const unknown = argv.filter((arg) => arg !== "--quick");
  if (unknown.length > 0) throw new Error(`unknown argument ${unknown[0]}; usage: bun scripts/bench.ts [--quick]`);
  return argv.includes("--quick") ? QUICK_PLAN : DEFAULT_PLAN;
}

/** Untimed runs before timing: a tenth of the samples, at least 3, at most 500. */
export function warmupFor(samples: number): number {
  return Math.min(500, Math.max(3, Math.round(samples / 10)));
}
