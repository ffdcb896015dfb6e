// Typed protocol errors. Each code is what a peer sees in an `Error` message.

export type ProtocolErrorCode =
  | "FRAME_TOO_LARGE" // length prefix above MAX_FRAME_BYTES
  | "TRUNCATED" // the connection ended inside a frame
  | "BAD_MSGPACK" // payload is not one msgpack value
  | "BAD_MESSAGE" // not a map with a string `type`
  | "UNKNOWN_TYPE"
  | "BAD_FIELD" // a field is missing or has the wrong type
  | "OUT_OF_ORDER" // a valid message at the wrong time (Execute before SessionInit …)
  | "VERSION_MISMATCH"
  | "BAD_TOKEN" // a worker connection without a valid lease token
  | "BUSY" // queue full, or too many connections
  | "FORBIDDEN" // the peer is not this daemon's user (SO_PEERCRED)
  | "TIMEOUT" // no message in time, or request past --request-timeout
  | "WORKER_LOST" // the worker running the session died
  | "ENV_UNREADABLE" // SessionInit.envFromCaller, and the worker cannot read the client's /proc/<pid>/environ
  | "CONTROLLING_TERMINAL" // a passed fd 0, 1 or 2 is the client's controlling terminal: only a process of its session can give the command /dev/tty
  | "INTERNAL";

export class ProtocolError extends Error {
  override readonly name = "ProtocolError";
  constructor(
    readonly code: ProtocolErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
