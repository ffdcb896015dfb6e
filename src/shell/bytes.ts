// Bytes inside the shell's strings. A shell moves bytes, but the
// interpreter's values are JS strings (UTF-16). Text that is valid UTF-8 is
// decoded as usual; every byte that is not part of valid UTF-8 is carried as
// the lone surrogate U+DC00+byte (U+DC80…U+DCFF: Python's "surrogateescape",
// PEP 383), and encoded back to that same byte. Valid UTF-8 never decodes to
// a lone surrogate, so the mapping is lossless both ways:
//
//   printf '\377'                    → "\uDCFF" → the byte 0xFF
//   x=$(printf '\377'); printf %s "$x" → 0xFF captured, kept, written back
//
// Only the edges pay for it: `encodeText` checks `isWellFormed()` (native)
// before taking the plain TextEncoder path, and `decodeBytes` tries a strict
// TextDecoder first. Every edge converts: output and here-documents are
// written as `encodeText`'s bytes, file names reach node:fs as a Buffer
// (`fsPath`), directory entries come back through `decodeBytes`. Bun.spawn
// alone takes only strings (it encodes them as UTF-8, a Buffer too, so an
// escape would reach a child as U+FFFD): a command whose argv, environment or
// cwd holds an escape is started through /bin/sh, which is given the bytes
// as octal escapes (exec/sh-start.ts).
//
// Imports nothing.

const encoder = new TextEncoder();
// ignoreBOM: a leading U+FEFF is text like any other (TextDecoder drops it by default).
const strictDecoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

const ESCAPE_BASE = 0xdc00;

/** The shell character for one byte: itself below 0x80, else its escape. */
export function byteChar(byte: number): string {
  const b = byte & 0xff;
  return String.fromCharCode(b < 0x80 ? b : ESCAPE_BASE + b);
}

/** The bytes a shell string stands for. */
export function encodeText(text: string): Uint8Array {
  if (text.isWellFormed()) return encoder.encode(text);
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= ESCAPE_BASE + 0x80 && code <= ESCAPE_BASE + 0xff) {
      out.push(code - ESCAPE_BASE);
      continue;
    }
    // A valid pair, or any other lone surrogate (which TextEncoder writes as U+FFFD).
    const isPair = code >= 0xd800 && code < 0xdc00 && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    const unit = isPair ? text.slice(i, i + 2) : text[i] ?? "";
    if (isPair) i++;
    for (const byte of encoder.encode(unit)) out.push(byte);
  }
  return Uint8Array.from(out);
}

/** Length of the valid UTF-8 sequence at `i`, or 0 if the byte there does not start one. */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const lead = bytes[i] ?? 0;
  let length: number;
  let min: number;
  if (lead >= 0xc2 && lead <= 0xdf) [length, min] = [2, 0x80];
  else if (lead >= 0xe0 && lead <= 0xef) [length, min] = [3, 0x800];
  else if (lead >= 0xf0 && lead <= 0xf4) [length, min] = [4, 0x10000];
  else return 0;
  if (i + length > bytes.length) return 0;
  let code = lead & (0xff >> (length + 1));
  for (let k = 1; k < length; k++) {
    const next = bytes[i + k] ?? 0;
    if ((next & 0xc0) !== 0x80) return 0;
    code = (code << 6) | (next & 0x3f);
  }
  // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not valid UTF-8.
  if (code < min || (code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff) return 0;
  return length;
}

const NUL = 0;

/**
 * Bytes that become shell text (a script, the output of `$(…)`): NUL bytes
 * are dropped, as dash drops them, since no shell string, argument or
 * environment value can hold one; the rest as decodeBytes.
 */
export function decodeShellText(bytes: Uint8Array): string {
  return decodeBytes(bytes.includes(NUL) ? bytes.filter((byte) => byte !== NUL) : bytes);
}

/** The shell string for bytes: UTF-8 where valid, escapes for the other bytes. */
export function decodeBytes(bytes: Uint8Array): string {
  try {
    return strictDecoder.decode(bytes);
  } catch (error) {
    // TypeError: not valid UTF-8; decode sequence by sequence below.
    if (!(error instanceof TypeError)) throw error;
  }
  let text = "";
  let from = 0; // start of the current run of valid UTF-8
  let i = 0;
  while (i < bytes.length) {
    const byte = bytes[i] ?? 0;
    if (byte < 0x80) {
      i++;
      continue;
    }
    const length = sequenceLength(bytes, i);
    if (length > 0) {
      i += length;
      continue;
    }
    text += strictDecoder.decode(bytes.subarray(from, i)) + byteChar(byte);
    i++;
    from = i;
  }
  return text + strictDecoder.decode(bytes.subarray(from));
}

/** Holds the text bytes that are not UTF-8 (escapes)? Native: `isWellFormed()`. */
export function hasRawBytes(text: string): boolean {
  return !text.isWellFormed();
}

/** A file name for node:fs: the string when it is plain UTF-8 (the common case), else its exact bytes. */
export function fsPath(text: string): string | Buffer {
  return text.isWellFormed() ? text : Buffer.from(encodeText(text));
}
