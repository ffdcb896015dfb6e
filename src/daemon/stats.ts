// Counters and latency samples the daemon reports in `rushd status`.

/** Keeps the most recent samples (bounded memory) and answers percentiles over them. */
export class SampleWindow {
  private readonly samples: Float64Array;
  private next = 0;
  private filled = 0;
  /** Every sample ever added, including those that fell out of the window. */
  count = 0;
  max = 0;

  constructor(capacity = 10_000) {
    this.samples = new Float64Array(capacity);
  }

  add(value: number): void {
    this.samples[this.next] = value;
    this.next = (this.next + 1) % this.samples.length;
    this.filled = Math.min(this.filled + 1, this.samples.length);
    this.count += 1;
    if (value > this.max) this.max = value;
  }

  summary(): { count: number; p50: number; p99: number; max: number } {
    const sorted = this.samples.slice(0, this.filled).sort();
    return {
      count: this.count,
      p50: round(percentile(sorted, 0.5)),
      p99: round(percentile(sorted, 0.99)),
      max: round(this.max),
    };
  }
}

function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? 0;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
