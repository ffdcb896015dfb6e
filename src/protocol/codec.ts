// Messages to and from msgpack payloads: encoding (encode.ts), decoding
// (decode.ts) and the validation of what was decoded against the schemas.

import { decodePayload, MsgpackError } from "./decode.ts";
import { encodeMapPayload, encodeMessageFrame } from "./encode.ts";
import { ProtocolError } from "./errors.ts";
import { isMessageType, schemaOf, type Message, type MessageType } from "./messages.ts";

export { encodeOutputFrameHead } from "./encode.ts";

/** A whole frame (header + msgpack payload) for one message (encode.ts). */
export function encodeMessage(id: number, msg: Message): Uint8Array {
  return encodeMessageFrame(id, msg);
}

/**
 * Decode and validate one payload. `accepts` is the set of types the
 * receiving peer understands. Throws ProtocolError with the precise code.
 */
export function decodeMessage(payload: Uint8Array, accepts: ReadonlySet<MessageType>): Message {
  const value = decodeOrFail(payload, "BAD_MSGPACK", "payload is not valid msgpack");
  if (!isPlainObject(value) || typeof value.type !== "string") {
    throw new ProtocolError("BAD_MESSAGE", "payload is not a map with a string `type` field");
  }
  const type = value.type;
  if (!isMessageType(type) || !accepts.has(type)) {
    throw new ProtocolError("UNKNOWN_TYPE", `unknown message type ${JSON.stringify(type).slice(0, 64)}`);
  }
  for (const { field, kind, optional } of compiledSchema(type)) {
    const fieldValue = value[field];
    if (fieldValue === undefined || fieldValue === null) {
      if (optional) continue;
      throw new ProtocolError("BAD_FIELD", `${type}: missing field \`${field}\``);
    }
    if (!hasKind(fieldValue, kind)) {
      throw new ProtocolError("BAD_FIELD", `${type}: field \`${field}\` must be ${kind}`);
    }
  }
  // Validated field by field against the schema above.
  return value as Message;
}

/**
 * An environment as bytes of its own, for SessionInit.envPacked: a client
 * can pack it while it waits for its lease, and a worker that unpacked the
 * same bytes before need not decode them again (a `rushd -c` loop sends
 * the same ~1.5 KB every time).
 */
export function packEnvironment(env: Readonly<Record<string, string>>): Uint8Array {
  return encodeMapPayload(env);
}

/** The environment packed by packEnvironment; ProtocolError BAD_FIELD if the bytes are not one. */
export function unpackEnvironment(bytes: Uint8Array): Record<string, string> {
  const value = decodeOrFail(bytes, "BAD_FIELD", "SessionInit: envPacked is not valid msgpack");
  if (!hasKind(value, "stringMap")) throw new ProtocolError("BAD_FIELD", "SessionInit: envPacked must be a map of strings");
  return value as Record<string, string>;
}

/** The msgpack value that is all of `bytes`; anything malformed is a ProtocolError with `code`. */
function decodeOrFail(bytes: Uint8Array, code: "BAD_MSGPACK" | "BAD_FIELD", message: string): unknown {
  try {
    return decodePayload(bytes);
  } catch (error) {
    // RangeError: nesting deeper than the stack.
    if (!(error instanceof MsgpackError) && !(error instanceof RangeError)) throw error;
    throw new ProtocolError(code, message, { cause: error });
  }
}

interface FieldCheck {
  readonly field: string;
  readonly kind: string;
  readonly optional: boolean;
}

// Schemas flattened once: validation is on every request's path.
const compiledSchemas = new Map<MessageType, readonly FieldCheck[]>();

function compiledSchema(type: MessageType): readonly FieldCheck[] {
  let checks = compiledSchemas.get(type);
  if (checks === undefined) {
    checks = Object.entries(schemaOf(type)).map(([field, spec]) => ({
      field,
      kind: spec.endsWith("?") ? spec.slice(0, -1) : spec,
      optional: spec.endsWith("?"),
    }));
    compiledSchemas.set(type, checks);
  }
  return checks;
}

function hasKind(value: unknown, kind: string): boolean {
  switch (kind) {
    case "string": return typeof value === "string";
    case "int": return typeof value === "number" && Number.isInteger(value);
    case "bool": return typeof value === "boolean";
    case "bytes": return value instanceof Uint8Array;
    case "map": return isPlainObject(value);
    case "stringArray": return Array.isArray(value) && value.every((item) => typeof item === "string");
    case "intArray": return Array.isArray(value) && value.every((item) => typeof item === "number" && Number.isInteger(item));
    case "stringMap": return isPlainObject(value) && Object.values(value).every((item) => typeof item === "string");
    default: return false;
  }
}

/** A decoded map (not an array, bytes or an ext of another type). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}
