// Backslash escapes shared by `echo`, `printf` and `printf %b`. Octal and
// hex escapes stand for bytes, not characters (`\377` writes the byte 0xFF).

import { byteChar } from "../bytes.ts";

/** Which escapes apply: `echo`'s, a printf format's, or printf `%b`'s. */
export type EscapeStyle = "echo" | "format" | "b";

export interface Decoded {
  readonly text: string;
  /** `\c` was seen: print nothing more. */
  readonly stop: boolean;
}

const SIMPLE: Readonly<Record<string, string>> = { a: "\x07", b: "\b", e: "\x1b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\" };

/** Decode the escape starting at `input[i]` (a backslash): its text and how many characters it used. */
export function decodeEscapeAt(input: string, i: number, style: EscapeStyle): { text: string; consumed: number; stop: boolean } {
  const next = input[i + 1];
  if (next === undefined) return { text: "\\", consumed: 1, stop: false };
  const simple = SIMPLE[next];
  if (simple !== undefined) return { text: simple, consumed: 2, stop: false };
  // `\c` ends echo/%b output; in a printf format dash keeps it as text.
  if (next === "c" && style !== "format") return { text: "", consumed: 2, stop: true };
  if (style === "format" && (next === '"' || next === "'")) return { text: next, consumed: 2, stop: false };
  const rest = input.slice(i + 1);
  // echo: `\0nnn`; a printf format: `\nnn`; `%b`: either.
  const octal = style === "echo" ? /^0([0-7]{0,3})/.exec(rest) : style === "format" ? /^([0-7]{1,3})/.exec(rest) : /^(?:0([0-7]{0,3})|([0-7]{1,3}))/.exec(rest);
  if (octal !== null && style === "b") return { text: byteChar(parseInt(octal[1] ?? octal[2] ?? "0", 8)), consumed: 1 + octal[0].length, stop: false };
  if (octal !== null) return { text: byteChar(parseInt(octal[1] || "0", 8)), consumed: 1 + octal[0].length, stop: false };
  const hex = /^x([0-9a-fA-F]{1,2})/.exec(rest);
  if (hex !== null) return { text: byteChar(parseInt(hex[1] ?? "0", 16)), consumed: 1 + hex[0].length, stop: false };
  return { text: "\\", consumed: 1, stop: false };
}

/**
 * Decode escapes. `echo`/`%b` style: octal is `\0nnn`; `printf` format style:
 * octal is `\nnn` and `\"` `\'` are accepted.
 */
export function decodeEscapes(input: string, style: EscapeStyle): Decoded {
  if (input.indexOf("\\") === -1) return { text: input, stop: false };
  let text = "";
  for (let i = 0; i < input.length; i++) {
    const ch = input[i] ?? "";
    if (ch !== "\\") {
      text += ch;
      continue;
    }
    const escape = decodeEscapeAt(input, i, style);
    if (escape.stop) return { text, stop: true };
    text += escape.text;
    i += escape.consumed - 1;
  }
  return { text, stop: false };
}
