// What a "character" is for the shell's string operations: `${#x}`, `?` and
// brackets in patterns (case, globs, `${x%?}` and friends, `${x:o:n}`), IFS
// splitting and printf's `'c` codes, `%c` and `%.Ns`.
//
// Under a UTF-8 locale (LC_ALL, else LC_CTYPE, else LANG names UTF-8) it is a
// character, as now. Otherwise (LC_ALL=C, POSIX, nothing set) it is a byte,
// as in bash: `x=é; echo ${#x}` prints 2. The decision is made by
// `Variables` once per change of those three variables, not per expansion.
//
// Bytes mode works on a string's *byte view*: every character that is not
// ASCII is replaced by its UTF-8 bytes, each carried as the escape that
// bytes.ts uses for a byte that is not UTF-8 (U+DC80…U+DCFF). One byte is
// then one UTF-16 unit and one regex code point, so the existing matchers
// count bytes; `fromByteView` joins what is still valid UTF-8 back into
// characters, and a byte cut from its sequence stays that byte.
//
// Imports only bytes.ts (so expansion may use it: it knows nothing of the shell).

import { byteChar, decodeBytes, encodeText } from "./bytes.ts";

export type TextMode = "chars" | "bytes";

/** The variables that decide the mode, in the order the C library reads them. */
export const LOCALE_VARIABLES: readonly string[] = ["LC_ALL", "LC_CTYPE", "LANG"];

/** The mode these variables give (`get` reads a shell variable). */
export function textModeOf(get: (name: string) => string | undefined): TextMode {
  for (const name of LOCALE_VARIABLES) {
    const value = get(name);
    if (value !== undefined && value !== "") return /utf-?8/i.test(value) ? "chars" : "bytes";
  }
  return "bytes";
}

/** Only ASCII (no character needs more than one byte)? */
export function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x80) return false;
  return true;
}

/** The byte view of `text` (see the header); ASCII text is itself. */
export function byteView(text: string): string {
  if (isAscii(text)) return text;
  const bytes = encodeText(text);
  let view = "";
  for (let i = 0; i < bytes.length; i++) view += byteChar(bytes[i] ?? 0);
  return view;
}

/** The shell string a byte view stands for. */
export function fromByteView(view: string): string {
  return view.isWellFormed() ? view : decodeBytes(encodeText(view));
}

/** The length of `text` in the mode's units. */
export function textLength(text: string, mode: TextMode): number {
  if (mode === "bytes") return isAscii(text) ? text.length : encodeText(text).length;
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/** The units of `text` (characters, or bytes of the byte view), for slicing. */
export function textUnits(text: string, mode: TextMode): string[] {
  return mode === "bytes" ? [...byteView(text)] : [...text];
}

/** Join units from `textUnits` back into a shell string. */
export function joinUnits(units: readonly string[], mode: TextMode): string {
  const joined = units.join("");
  return mode === "bytes" ? fromByteView(joined) : joined;
}

/**
 * Run a string operation in the mode's units: in bytes mode on the byte views
 * of its operands (when one is not ASCII), its result turned back.
 */
export function inUnits(mode: TextMode, operands: readonly string[], operation: (...views: string[]) => string): string {
  if (mode === "chars" || operands.every(isAscii)) return operation(...operands);
  return fromByteView(operation(...operands.map(byteView)));
}

/** Like `inUnits` for a test: no result to turn back. */
export function testInUnits(mode: TextMode, operands: readonly string[], test: (...views: string[]) => boolean): boolean {
  if (mode === "chars" || operands.every(isAscii)) return test(...operands);
  return test(...operands.map(byteView));
}
