// Strings that are not UTF-8, carried losslessly. The shell holds bytes that
// are not UTF-8 as lone surrogates U+DC80…U+DCFF (src/shell/bytes.ts), but
// a msgpack str is UTF-8: such a string would reach the peer with U+FFFD in
// their place. So a string that is not well-formed is sent as ext type 1
// instead, whose payload is the bytes it stands for (encodeText), and read
// back as the same string (decodeBytes); old peers see an ext where a string
// belongs and answer BAD_FIELD rather than run something else.
//
// Strings one level deep are looked at (fields, items of arrays, keys and
// values of maps), one native isWellFormed() each; a message without such a
// string is sent as the very object it was, so a plain request is the same
// bytes on the wire as before. Map keys stay str: a key that is
// not well-formed goes with U+FFFD (no message has one: the client leaves out
// environment names that are not UTF-8, which no shell variable can have).
//
// Imports only the leaf bytes module of the shell (it imports nothing).

import { ExtensionCodec } from "@msgpack/msgpack";
import { decodeBytes, encodeText } from "../shell/bytes.ts";

/** The msgpack ext type of a string sent as its exact bytes (docs/PROTOCOL.md). */
export const RAW_TEXT_EXT_TYPE = 1;

/** A string field's value on its way to the encoder, as bytes. */
class RawText {
  constructor(readonly bytes: Uint8Array) {}
}

/** Encodes RawText as ext 1; decodes ext 1 to the shell's string for those bytes. */
export const rawTextCodec = new ExtensionCodec();
rawTextCodec.register({
  type: RAW_TEXT_EXT_TYPE,
  encode: (value) => (value instanceof RawText ? value.bytes : null),
  decode: (data) => decodeBytes(data),
});

/**
 * `msg` ready for the encoder: the same object when none of its strings
 * (fields, items of array fields, keys and values of map fields) is
 * ill-formed — the common case: nothing is copied —, else a shallow copy
 * where each string that is not well-formed is a RawText. No schema is
 * consulted: the first message a client sends must not pay to compile one.
 */
export function withRawText(msg: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  let copy: Record<string, unknown> | undefined;
  for (const field in msg) {
    const value = msg[field];
    const raw = typeof value === "string" ? rawString(value) : Array.isArray(value) ? rawArray(value) : isMap(value) ? rawMap(value) : value;
    if (raw === value) continue;
    copy ??= { ...msg };
    copy[field] = raw;
  }
  return copy ?? msg;
}

function rawString(text: string): string | RawText {
  return text.isWellFormed() ? text : new RawText(encodeText(text));
}

function rawArray(items: readonly unknown[]): readonly unknown[] {
  if (items.every((item) => typeof item !== "string" || item.isWellFormed())) return items;
  return items.map((item) => (typeof item === "string" ? rawString(item) : item));
}

function rawMap(map: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  let copy: Record<string, unknown> | undefined;
  for (const key in map) {
    const item = map[key];
    const isRawKey = !key.isWellFormed();
    if (!isRawKey && (typeof item !== "string" || item.isWellFormed())) continue;
    copy ??= { ...map };
    if (isRawKey) delete copy[key];
    copy[key.toWellFormed()] = typeof item === "string" ? rawString(item) : item;
  }
  return copy ?? map;
}

function isMap(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}
