// Daemon options (DESIGN §2): declared once as data, read from flags and
// their RUSHD_* environment equivalents.

export type WorkerMode = "pool" | "fork";

export interface DaemonOptions {
  socket: string | undefined;
  mode: WorkerMode;
  workers: number;
  maxWorkers: number;
  maxRequestsPerWorker: number;
  /** Retire a pooled worker whose RSS grew this many MB past its fresh size; 0: never. */
  maxWorkerGrowthMb: number;
  idleTimeoutS: number;
  /**
   * Stop after this many seconds with nothing to do (idle-exit.ts); 0: never.
   * Undefined when not given: 0 for a daemon started by hand, while a
   * client's auto-start passes AUTO_START_IDLE_EXIT_S (launcher.ts).
   */
  idleExitS: number | undefined;
  requestTimeoutS: number;
  maxQueue: number;
  maxConnections: number;
  connectionTimeoutS: number;
  verifyReset: boolean;
  /** Workers time the stages of each session and report them (the bench's round-trip breakdown). */
  profileStages: boolean;
}

type Kind = "string" | "count" | "seconds" | "mode" | "switch";

interface OptionSpec {
  readonly flag: string;
  readonly env: string;
  readonly key: keyof DaemonOptions;
  readonly kind: Kind;
  readonly help: string;
}

export const DAEMON_OPTION_SPECS: readonly OptionSpec[] = [
  { flag: "--socket", env: "RUSHD_SOCKET", key: "socket", kind: "string", help: "socket path" },
  { flag: "--mode", env: "RUSHD_MODE", key: "mode", kind: "mode", help: "pool (reuse reset workers, default) or fork (a fresh worker per session)" },
  { flag: "--workers", env: "RUSHD_WORKERS", key: "workers", kind: "count", help: "pool size (default 4)" },
  { flag: "--max-workers", env: "RUSHD_MAX_WORKERS", key: "maxWorkers", kind: "count", help: "grow up to this many when all are busy (default 2×workers)" },
  { flag: "--max-requests-per-worker", env: "RUSHD_MAX_REQUESTS_PER_WORKER", key: "maxRequestsPerWorker", kind: "count", help: "retire a worker after this many sessions (default 1000000: a backstop; memory growth is the usual reason)" },
  { flag: "--max-worker-growth-mb", env: "RUSHD_MAX_WORKER_GROWTH_MB", key: "maxWorkerGrowthMb", kind: "count", help: "retire a pooled worker whose memory (RSS) grew this many MB past its fresh size (default 64)" },
  { flag: "--idle-timeout", env: "RUSHD_IDLE_TIMEOUT", key: "idleTimeoutS", kind: "seconds", help: "retire idle workers above the pool size after S seconds (default 60)" },
  { flag: "--idle-exit", env: "RUSHD_IDLE_EXIT", key: "idleExitS", kind: "seconds", help: "stop the daemon after S seconds with no session, queued lease or connection (0 = never: the default when started by hand; 900 when a client started it)" },
  { flag: "--request-timeout", env: "RUSHD_REQUEST_TIMEOUT", key: "requestTimeoutS", kind: "seconds", help: "kill a lease that runs past S seconds (0 = none, default)" },
  { flag: "--max-queue", env: "RUSHD_MAX_QUEUE", key: "maxQueue", kind: "count", help: "lease requests waiting for a worker before 'busy' (default 100)" },
  { flag: "--max-connections", env: "RUSHD_MAX_CONNECTIONS", key: "maxConnections", kind: "count", help: "concurrent client connections (default 100)" },
  { flag: "--connection-timeout", env: "RUSHD_CONNECTION_TIMEOUT", key: "connectionTimeoutS", kind: "seconds", help: "close a client connection with no request in flight after S seconds (default 10)" },
  { flag: "--verify-reset", env: "RUSHD_VERIFY_RESET", key: "verifyReset", kind: "switch", help: "compare the whole worker state after every reset; retire on mismatch" },
  { flag: "--profile-stages", env: "RUSHD_PROFILE_STAGES", key: "profileStages", kind: "switch", help: "workers time each stage of a session and report it with its result (for the bench's breakdown)" },
];

/** --idle-exit of a daemon a client started (launcher.ts) unless the user gave one: 15 minutes. */
export const AUTO_START_IDLE_EXIT_S = 900;

export class UsageError extends Error {
  override readonly name = "UsageError";
}

export function defaultDaemonOptions(): DaemonOptions {
  return {
    socket: undefined,
    mode: "pool",
    workers: 4,
    maxWorkers: 0, // 0: derived as 2×workers
    // A backstop, not the usual reason to retire (ARCHITECTURE.md "Pool"): a worker's JIT takes
    // about 1,600 sessions to settle, and each retirement costs a cold start and a lease move.
    // At 100,000 a fully loaded worker (~17,000 sessions/s) retired every 6 s: 19% of throughput.
    maxRequestsPerWorker: 1_000_000,
    maxWorkerGrowthMb: 64,
    idleTimeoutS: 60,
    idleExitS: undefined,
    requestTimeoutS: 0,
    maxQueue: 100,
    maxConnections: 100,
    connectionTimeoutS: 10,
    verifyReset: false,
    profileStages: false,
  };
}

/**
 * Read daemon options from the environment, then from `argv` (flags win).
 * Returns the options and the arguments that are not daemon options.
 * Throws UsageError on a bad value or a flag missing its value.
 */
export function parseDaemonOptions(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): { options: DaemonOptions; rest: string[] } {
  const options = defaultDaemonOptions();
  for (const spec of DAEMON_OPTION_SPECS) {
    const value = env[spec.env];
    if (value !== undefined && value !== "" && spec.key !== "socket") assign(options, spec, value, spec.env);
  }
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const spec = DAEMON_OPTION_SPECS.find((candidate) => candidate.flag === flag);
    if (spec === undefined) {
      rest.push(arg);
      continue;
    }
    if (spec.kind === "switch") {
      assign(options, spec, inline ?? "1", spec.flag);
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new UsageError(`${spec.flag} needs a value`);
    assign(options, spec, value, spec.flag);
  }
  if (options.maxWorkers === 0) options.maxWorkers = Math.max(options.workers * 2, 1);
  if (options.maxWorkers < options.workers) throw new UsageError(`--max-workers (${options.maxWorkers}) is below --workers (${options.workers})`);
  return { options, rest };
}

function assign(options: DaemonOptions, spec: OptionSpec, value: string, source: string): void {
  const target = options as unknown as Record<string, unknown>;
  switch (spec.kind) {
    case "string":
      target[spec.key] = value;
      return;
    case "mode":
      if (value !== "pool" && value !== "fork") throw new UsageError(`${source}: mode must be pool or fork, not '${value}'`);
      target[spec.key] = value;
      return;
    case "count":
    case "seconds": {
      if (!/^\d+$/.test(value)) throw new UsageError(`${source}: expected a non-negative integer, got '${value}'`);
      const n = Number(value);
      if (spec.kind === "count" && n === 0 && spec.key !== "workers") throw new UsageError(`${source} must be at least 1`);
      target[spec.key] = n;
      return;
    }
    case "switch":
      target[spec.key] = value !== "0" && value !== "false";
      return;
  }
}

/** The same options as flags, to pass to a daemon started in the background. */
export function daemonOptionsToArgv(options: DaemonOptions): string[] {
  const argv: string[] = [];
  for (const spec of DAEMON_OPTION_SPECS) {
    const value = options[spec.key];
    if (value === undefined || value === false) continue;
    if (spec.kind === "switch") argv.push(spec.flag);
    else argv.push(spec.flag, String(value));
  }
  return argv;
}
