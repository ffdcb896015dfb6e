// Runs contenders in rounds so that machine noise (a 2-core box shared with
// other work) hits all of them alike: every round gives each contender its
// share of samples, and the order rotates from round to round.
// Imports nothing from rushd.

export interface Contender {
  readonly name: string;
  /** Timed samples to take in all. */
  readonly samples: number;
  /** Untimed runs before the first round (JIT, caches, page faults). */
  readonly warmup: number;
  /** One run; throws if the result is wrong, so a broken contender is never timed as fast. */
  once(): Promise<void>;
}

export interface Outcome {
  /** Timed samples per contender, in microseconds. */
  readonly samples: ReadonlyMap<string, readonly number[]>;
  /** Contenders that threw: they are dropped from the later rounds, the others go on. */
  readonly failures: ReadonlyMap<string, string>;
}

export async function runInterleaved(contenders: readonly Contender[], rounds: number, onRound?: (round: number) => void): Promise<Outcome> {
  const entries = contenders.map((contender) => ({ contender, times: [] as number[] }));
  const failures = new Map<string, string>();
  const attempt = async (contender: Contender, step: () => Promise<void>): Promise<void> => {
    if (failures.has(contender.name)) return;
    try {
      await step();
    } catch (error) {
      if (!(error instanceof Error)) throw error;
      failures.set(contender.name, error.message);
    }
  };
  for (const { contender } of entries) {
    await attempt(contender, async () => {
      for (let i = 0; i < contender.warmup; i++) await contender.once();
    });
  }
  for (let round = 0; round < rounds; round++) {
    const shift = round % entries.length;
    for (const { contender, times } of [...entries.slice(shift), ...entries.slice(0, shift)]) {
      const batch = shareOf(contender.samples, rounds, round);
      await attempt(contender, async () => {
        for (let i = 0; i < batch; i++) times.push(await timeUs(() => contender.once()));
      });
    }
    onRound?.(round);
  }
  return { samples: new Map(entries.map(({ contender, times }) => [contender.name, times])), failures };
}

/** Microseconds one call takes, start to settled. */
export async function timeUs(run: () => Promise<unknown>): Promise<number> {
  const start = Bun.nanoseconds();
  await run();
  return (Bun.nanoseconds() - start) / 1000;
}

/** Round `round`'s part of `total` samples spread over `rounds` rounds (the parts sum to `total`). */
function shareOf(total: number, rounds: number, round: number): number {
  return Math.floor((total * (round + 1)) / rounds) - Math.floor((total * round) / rounds);
}
