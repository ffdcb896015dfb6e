// Every message of the wire protocol (docs/PROTOCOL.md), with its schema.
// The schemas are data: one validator checks any decoded payload against
// them, so adding a message is adding a line here.
//
// Three peers: the client, the daemon (a broker that leases workers) and the
// worker (runs sessions). See docs/ARCHITECTURE.md for why the client talks
// to the worker directly.

export const PROTOCOL_VERSION = 1;

type FieldKind = "string" | "int" | "bool" | "bytes" | "stringMap" | "stringArray" | "intArray" | "map";
type Schema = Readonly<Record<string, FieldKind | `${FieldKind}?`>>;

const schemas = {
  // client → daemon
  Lease: { version: "int", wait: "bool?" }, // wait false: answer BUSY at once rather than queue (rushd -c then runs in process); absent: true
  Status: {},
  Shutdown: {},
  // daemon → client
  LeaseGrant: { socket: "string", token: "string", workerPid: "int", sessions: "int", fdSocket: "string?" }, // fdSocket: where to pass fds (SCM_RIGHTS datagrams)
  StatusReply: { status: "map" },
  ShutdownAck: {},
  // client → worker
  SessionInit: {
    version: "int",
    token: "string?", // required on the first session of a worker connection
    cwd: "string",
    env: "stringMap?", // absent (and no envPacked): the env of the previous session on this connection
    envPacked: "bytes?", // the env as a msgpack map of its own (codec.ts packEnvironment): a worker that unpacked the same bytes before reuses what it decoded
    envFromCaller: "bool?", // instead of env/envPacked: the client is the caller's own process (`rushd -c`); its environment is read from /proc/<its pid>/environ
    argv0: "string",
    args: "stringArray",
    umask: "int",
    passedFds: "intArray?", // the client's fd numbers, in the order of the fds it passed (fd-passing.ts); absent: streamed stdio
    fdNonce: "string?", // names the datagram on the worker's fdSocket that carries them
    limits: "stringMap?", // the caller's resource limits, `ulimit` letter → "soft:hard" (decimal or "unlimited")
    nice: "int?", // the caller's nice value, for the session's external commands
    ignoredSignals: "intArray?", // signals the caller ignored: they stay ignored in the session (POSIX: not trappable)
    ppid: "int?", // the calling client's pid: the session's $PPID (the daemon's pid would let a session signal the service)
    persistent: "bool", // false: one Execute, then the session ends
    flags: "stringArray?", // sh option letters: ["e", "x"]
    longOptions: "stringArray?", // -o names: ["pipefail"]
    state: "string?", // a persistent session resumes from this checkpoint: a SessionState's JSON text
    stdinReadAhead: "bool?", // the stdin is the session's alone (the library's): the worker may ask for more than a read needs and keep the rest
  },
  Execute: { script: "string", noStdin: "bool?" }, // noStdin: the command has no input (end of input at once), so the worker asks for none
  Stdin: { data: "bytes" },
  StdinEnd: {},
  Signal: { signal: "string", tree: "bool?" }, // tree: to every process of the session too, not only its foreground commands
  Cancel: { reason: "string" }, // end the running command and its whole process tree (a timeout, an abort); a persistent session stays
  ExportState: {}, // a persistent session's checkpoint, answered by SessionState
  Close: {},
  // worker → client
  SessionInitAck: { sessionId: "int", workerPid: "int" },
  Stdout: { data: "bytes" },
  Stderr: { data: "bytes" },
  StdinWanted: { maxBytes: "int" },
  // sessionEnded: a persistent session's shell exited. stages: only from a worker started with --profile-stages
  // (nanoseconds per stage of this session and the previous one's tail, common/stage-clock.ts; the bench's breakdown).
  ExecutionResult: { status: "int", signal: "string?", durationUs: "int", cancelled: "bool?", sessionEnded: "bool?", stages: "map?" },
  SessionState: { state: "string" }, // JSON (it escapes the lone surrogates that stand for non-UTF-8 bytes, which msgpack strings cannot carry)
  /** Sent between sessions before the worker closes the lease: nothing sent after it was run. */
  LeaseEnded: { reason: "string" },
  // either direction
  Error: { code: "string", message: "string" },
} as const satisfies Record<string, Schema>;

export type MessageType = keyof typeof schemas;

type FieldType<K> = K extends "string" ? string
  : K extends "int" ? number
  : K extends "bool" ? boolean
  : K extends "bytes" ? Uint8Array
  : K extends "stringMap" ? Readonly<Record<string, string>>
  : K extends "stringArray" ? readonly string[]
  : K extends "intArray" ? readonly number[]
  : K extends "map" ? Record<string, unknown>
  : never;

type RequiredKeys<S> = { [K in keyof S]: S[K] extends `${string}?` ? never : K }[keyof S];
type OptionalKeys<S> = { [K in keyof S]: S[K] extends `${string}?` ? K : never }[keyof S];
type Strip<K> = K extends `${infer B}?` ? B : K;
type Fields<S> =
  & { -readonly [K in RequiredKeys<S>]: FieldType<S[K]> }
  & { -readonly [K in OptionalKeys<S>]?: FieldType<Strip<S[K]>> };

export type Message<T extends MessageType = MessageType> = T extends MessageType
  ? { type: T } & Fields<(typeof schemas)[T]>
  : never;

/** Messages each peer may receive; anything else is UNKNOWN_TYPE for it. */
export const DAEMON_ACCEPTS = new Set<MessageType>(["Lease", "Status", "Shutdown"]);
export const WORKER_ACCEPTS = new Set<MessageType>(["SessionInit", "Execute", "Stdin", "StdinEnd", "Signal", "Cancel", "ExportState", "Close"]);
export const CLIENT_ACCEPTS = new Set<MessageType>([
  "LeaseGrant", "StatusReply", "ShutdownAck", "SessionInitAck", "Stdout", "Stderr", "StdinWanted", "ExecutionResult", "SessionState", "LeaseEnded", "Error",
]);

const MESSAGE_TYPES: ReadonlySet<string> = new Set(Object.keys(schemas));

export function isMessageType(name: string): name is MessageType {
  return MESSAGE_TYPES.has(name);
}

export function schemaOf(type: MessageType): Schema {
  return schemas[type];
}

/**
 * Build a message; the only place outside decoding where a `type` is
 * attached. It is attached to `fields` itself, a fresh object literal at
 * every call: copying the fields (a spread) cost more than encoding them, on
 * every request.
 */
export function message<T extends MessageType>(type: T, fields: Omit<Message<T>, "type">): Message<T> {
  const msg = fields as Message<T>;
  msg.type = type;
  return msg;
}
