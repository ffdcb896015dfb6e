// Control messages between the daemon and its workers, over Bun's IPC
// channel. Off the hot path: a request's bytes never travel here, only
// lease bookkeeping and counters.

export type WorkerToDaemon =
  /** Listening on `socket`; the next client must present `token`. */
  | { readonly kind: "ready"; readonly socket: string; readonly token: string }
  /** A client presented the token: the lease is in use. */
  | { readonly kind: "leased" }
  /**
   * Sessions finished and reset since the last report, batched so the daemon
   * is not woken per request: one reset time per session, and the problems
   * of any reset that failed verification.
   */
  | { readonly kind: "served"; readonly resetUs: readonly number[]; readonly failures: readonly (readonly string[])[] }
  /** The lease ended; the worker is clean and waits for a client with this new token. */
  | { readonly kind: "idle"; readonly token: string }
  /**
   * The worker should retire (its memory grew, it nears its session count)
   * but serves on: the daemon starts its replacement first and sends
   * `retire` once that one is ready, so the worker's client moves to a warm
   * worker without waiting for a start.
   */
  | { readonly kind: "retire-soon"; readonly reason: string }
  /** The worker is leaving (served its last session, or a reset failed). */
  | { readonly kind: "retiring"; readonly reason: string }
  | { readonly kind: "pong" };

export type DaemonToWorker =
  /** A granted lease was never used: forget its token and issue a new one. */
  | { readonly kind: "revoke" }
  /** Clients are queued for a worker: end the current lease at the next session boundary. */
  | { readonly kind: "yield" }
  /** After `retire-soon`: a replacement is ready (or none can start): retire at the next session boundary. */
  | { readonly kind: "retire" }
  | { readonly kind: "ping" }
  | { readonly kind: "shutdown" };

export function isWorkerToDaemon(value: unknown): value is WorkerToDaemon {
  return typeof value === "object" && value !== null && typeof (value as { kind?: unknown }).kind === "string";
}

export function isDaemonToWorker(value: unknown): value is DaemonToWorker {
  return typeof value === "object" && value !== null && typeof (value as { kind?: unknown }).kind === "string";
}
