// Backslash escapes shared by `echo`, `printf` and `printf %b`, as dash has
// them. Octal escapes stand for bytes, not characters (`\377` writes the
// byte 0xFF). There is no `\xHH`: dash prints it as it stands.

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
  // A printf format: `\nnn`, one to three digits. echo and `%b` (the same in dash):
  // `\0nnn` (a leading 0, then up to three digits) or `\nnn` starting 1-7.
  // Octal stands for a byte: `\400` wraps to NUL as in dash.
  const octal = style === "format" ? /^([0-7]{1,3})/.exec(input.slice(i + 1, i + 4)) : /^(?:0([0-7]{0,3})|([1-7][0-7]{0,2}))/.exec(input.slice(i + 1, i + 5));
  if (octal !== null) return { text: byteChar(parseInt(octal[1] || octal[2] || "0", 8)), consumed: 1 + octal[0].length, stop: false };
  // Anything else, `\x41`, `\"` and `\'` included, is a plain backslash (dash has no hex escapes).
  return { text: "\\", consumed: 1, stop: false };
}

/** Decode escapes in the given style (see decodeEscapeAt). */
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
