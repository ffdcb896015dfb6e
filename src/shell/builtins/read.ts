// `read [-r] [-d delim] [-p prompt] name…`: one line from stdin (read so that
// nothing after the line is consumed: read-line.ts), split by IFS into the names.

import { isatty } from "node:tty";
import { FdError } from "../exec/fds.ts";
import { recover, then } from "../exec/maybe.ts";
import { defineBuiltin, isName } from "./define.ts";
import { interpWaits } from "../exec/interp-waits.ts";
import { readLine } from "./read-line.ts";
import { byteView, fromByteView, isAscii } from "../text-mode.ts";

const NEWLINE = 10;

/** Remove backslash escapes (`-r` not given): returns the characters and which are escaped. */
function unescape(text: string): { chars: string[]; escaped: boolean[] } {
  const chars: string[] = [];
  const escaped: boolean[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? "";
    if (ch === "\\" && i + 1 < text.length) {
      i++;
      chars.push(text[i] ?? "");
      escaped.push(true);
    } else if (ch !== "\\") {
      chars.push(ch);
      escaped.push(false);
    }
  }
  return { chars, escaped };
}

/** XCU read: split into at most `count` fields; the last takes the rest, trailing IFS whitespace removed. */
export function splitForRead(chars: readonly string[], escaped: readonly boolean[], ifs: string, count: number): string[] {
  const isSep = (i: number) => !escaped[i] && ifs.includes(chars[i] ?? "");
  const isWs = (i: number) => isSep(i) && " \t\n".includes(chars[i] ?? "");
  const fields: string[] = [];
  let i = 0;
  const n = chars.length;
  while (i < n && isWs(i)) i++;
  while (i < n && fields.length < count - 1) {
    let field = "";
    while (i < n && !isSep(i)) field += chars[i++];
    fields.push(field);
    // One delimiter: IFS whitespace around at most one non-whitespace separator.
    while (i < n && isWs(i)) i++;
    if (i < n && isSep(i) && !isWs(i)) {
      i++;
      while (i < n && isWs(i)) i++;
    }
  }
  if (i < n || fields.length < count) {
    const end = trailingCut(i, n, isWs, escaped);
    // A single trailing non-whitespace separator is dropped with the last field too.
    let rest = chars.slice(i, end).join("");
    if (fields.length === count - 1 && end > i && isSep(end - 1) && !isWs(end - 1)) {
      // With the whitespace before it (`b :`): the one delimiter after the last field.
      let innerEnd = end - 1;
      while (innerEnd > i && isWs(innerEnd - 1)) innerEnd--;
      const inner = chars.slice(i, innerEnd);
      if (!inner.some((_, k) => isSep(i + k))) rest = inner.join("");
    }
    if (i < n || rest !== "") fields.push(rest);
  }
  return fields;
}

export const read = defineBuiltin({
  name: "read",
  flags: { r: "flag", p: "value", d: "value" },
  run(ctx, args) {
    const interp = ctx.interp;
    const names = args.operands;
    // dash has no REPLY default: a name is required (before anything is read).
    if (names.length === 0) return ctx.fail("arg count", 2);
    for (const name of names) if (!isName(name)) return ctx.fail(`${name}: bad variable name`, 2);
    const prompt = args.value("p");
    const delimiterText = args.value("d");
    const delimiter = delimiterText === undefined ? NEWLINE : delimiterText === "" ? 0 : delimiterText.charCodeAt(0);
    // Like dash, the prompt is shown only when reading from a terminal.
    const input = interp.fd(0);
    const ready = prompt !== undefined && input?.kind === "os" && isatty(input.fd) ? ctx.err(prompt) : undefined;
    const raw = args.has("r");
    const waits = interpWaits(interp);
    const line = recover(
      () => (ready instanceof Promise ? ready.then(() => readLine(input, delimiter, raw, waits)) : readLine(input, delimiter, raw, waits)),
      (error) => {
        // A closed or unreadable stdin is just end of input to read (status 1), as in dash.
        if (error instanceof FdError) return null;
        throw error;
      },
    );
    return then(line, (line) => {
      if (line === null) return 1;
      const text = line.text;
      const ifs = interp.get("IFS") ?? " \t\n";
      const [only] = names;
      if (only !== undefined && names.length === 1 && (raw || !text.includes("\\"))) {
        // The usual `read line`: nothing escaped, so the string is trimmed as it is (no per-character arrays).
        interp.setVar(only, trimIfsWhitespaceText(text, ifs));
        return line.eof ? 1 : 0;
      }
      // In bytes mode (text-mode.ts) an IFS that is not ASCII separates on each of its bytes.
      const bytes = interp.textMode === "bytes" && !isAscii(ifs);
      const units = bytes ? byteView(text) : text;
      const { chars, escaped } = raw ? { chars: [...units], escaped: [] as boolean[] } : unescape(units);
      const separators = bytes ? byteView(ifs) : ifs;
      const fields = names.length === 1 ? [trimIfsWhitespace(chars, escaped, separators)] : splitForRead(chars, escaped, separators, names.length);
      names.forEach((name, i) => interp.setVar(name, bytes ? fromByteView(fields[i] ?? "") : (fields[i] ?? "")));
      return line.eof ? 1 : 0;
    });
  },
});

function trimIfsWhitespace(chars: readonly string[], escaped: readonly boolean[], ifs: string): string {
  const isWs = (i: number) => !escaped[i] && ifs.includes(chars[i] ?? "") && " \t\n".includes(chars[i] ?? "");
  let start = 0;
  const end = chars.length;
  while (start < end && isWs(start)) start++;
  return chars.slice(start, trailingCut(start, end, isWs, escaped)).join("");
}

/**
 * Where the last field ends: before its trailing IFS whitespace, and, as in
 * dash (whose field splitting never sees an escaped character), an escaped
 * character among that whitespace goes with it (`a \ ` gives `a`, `a\ ` keeps `a `).
 */
function trailingCut(start: number, end: number, isWs: (i: number) => boolean, escaped: readonly boolean[]): number {
  let cut = end;
  for (let k = end; k > start && (isWs(k - 1) || escaped[k - 1] === true); k--) if (isWs(k - 1)) cut = k - 1;
  return cut;
}

const SPACE = 32;
const TAB = 9;

function isIfsWhitespace(text: string, i: number, ifs: string): boolean {
  const code = text.charCodeAt(i);
  return (code === SPACE || code === TAB || code === NEWLINE) && ifs.includes(text.charAt(i));
}

/** `trimIfsWhitespace` for text without escapes. */
function trimIfsWhitespaceText(text: string, ifs: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isIfsWhitespace(text, start, ifs)) start++;
  while (end > start && isIfsWhitespace(text, end - 1, ifs)) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}
