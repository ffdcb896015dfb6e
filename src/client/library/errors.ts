// The library's exceptions. A command that fails is a result (its status),
// never an exception: these are for what kept a command from running or
// from finishing, each with a message that says what happened.

/** Base of every error the library throws. */
export class RushdError extends Error {
  override readonly name: string = "RushdError";
}

/** No daemon could be reached or started (the socket, the executable, the start itself). */
export class RushdConnectionError extends RushdError {
  override readonly name = "RushdConnectionError";
  constructor(message: string, readonly socket: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/**
 * The daemon or a worker refused or broke off: `code` is the protocol's
 * (BUSY, WORKER_LOST, TIMEOUT for the daemon's --request-timeout,
 * VERSION_MISMATCH, …; see docs/PROTOCOL.md).
 */
export class RushdProtocolError extends RushdError {
  override readonly name = "RushdProtocolError";
  constructor(readonly code: string, message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/** A run passed its `timeoutMs` and `throwOnTimeout` was asked for; `result` is what the killed command left. */
export class RushdTimeoutError extends RushdError {
  override readonly name = "RushdTimeoutError";
  constructor(readonly timeoutMs: number, readonly result: unknown) {
    super(`the command ran past its timeout of ${timeoutMs} ms; it was killed with its whole process tree`);
  }
}

/** A run's `signal` was aborted; the command was killed with its whole process tree. `result`: what it left. */
export class RushdAbortError extends RushdError {
  override readonly name = "AbortError";
  constructor(readonly reason: unknown, readonly result: unknown) {
    super(`the command was aborted${reason instanceof Error ? `: ${reason.message}` : reason !== undefined ? `: ${String(reason)}` : ""}; it was killed with its whole process tree`);
  }
}

/** The session (or the client) was closed, or its shell exited: no more commands run in it. */
export class RushdClosedError extends RushdError {
  override readonly name = "RushdClosedError";
}
