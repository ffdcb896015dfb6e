// `read [-r] [-p prompt] name…`: one line from stdin, one byte at a time so
// that nothing after the line is consumed, split by IFS into the names.

import { isatty } from "node:tty";
import type { Interp } from "../exec/executor.ts";
import { FdError, readTarget } from "../exec/fds.ts";
import { type Maybe, recover, then } from "../exec/maybe.ts";
import { decodeBytes } from "../bytes.ts";
import { defineBuiltin, isName } from "./define.ts";

interface Line {
  readonly bytes: number[];
  /** The input ended before the delimiter. */
  readonly eof: boolean;
}

const NEWLINE = 10;

const BACKSLASH = 92;

/** Without `-r`, a line ending in an unescaped backslash continues on the next line. */
function continues(bytes: number[], raw: boolean): boolean {
  if (raw) return false;
  let count = 0;
  for (let i = bytes.length - 1; i >= 0 && bytes[i] === BACKSLASH; i--) count++;
  if (count % 2 === 0) return false;
  bytes.pop();
  return true;
}

/** Read bytes up to the delimiter; synchronous while the source is. */
function readLine(interp: Interp, delimiter: number, raw: boolean, bytes: number[] = []): Maybe<Line> {
  const target = interp.fd(0);
  for (;;) {
    const chunk = readTarget(target, 1);
    if (chunk instanceof Promise) {
      return chunk.then((c) => {
        if (c === null) return { bytes, eof: true };
        if (c[0] === delimiter && !continues(bytes, raw)) return { bytes, eof: false };
        if (c[0] !== delimiter) pushByte(bytes, c);
        return readLine(interp, delimiter, raw, bytes);
      });
    }
    if (chunk === null) return { bytes, eof: true };
    if (chunk[0] === delimiter) {
      if (!continues(bytes, raw)) return { bytes, eof: false };
      continue;
    }
    pushByte(bytes, chunk);
  }
}

function pushByte(bytes: number[], chunk: Uint8Array): number[] {
  bytes.push(chunk[0] ?? 0);
  return bytes;
}

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
    let end = n;
    while (end > i && isWs(end - 1)) end--;
    // A single trailing non-whitespace separator is dropped with the last field too.
    let rest = chars.slice(i, end).join("");
    if (fields.length === count - 1 && end > i && isSep(end - 1) && !isWs(end - 1)) {
      const inner = chars.slice(i, end - 1);
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
    const line = recover(
      () => (ready instanceof Promise ? ready.then(() => readLine(interp, delimiter, raw)) : readLine(interp, delimiter, raw)),
      (error) => {
        // A closed or unreadable stdin is just end of input to read (status 1), as in dash.
        if (error instanceof FdError) return null;
        throw error;
      },
    );
    return then(line, (line) => {
      if (line === null) return 1;
      const text = decodeBytes(new Uint8Array(line.bytes));
      const { chars, escaped } = raw ? { chars: [...text], escaped: [] as boolean[] } : unescape(text);
      const ifs = interp.get("IFS") ?? " \t\n";
      const fields = names.length === 1 ? [trimIfsWhitespace(chars, escaped, ifs)] : splitForRead(chars, escaped, ifs, names.length);
      names.forEach((name, i) => interp.setVar(name, fields[i] ?? ""));
      return line.eof ? 1 : 0;
    });
  },
});

function trimIfsWhitespace(chars: readonly string[], escaped: readonly boolean[], ifs: string): string {
  const isWs = (i: number) => !escaped[i] && ifs.includes(chars[i] ?? "") && " \t\n".includes(chars[i] ?? "");
  let start = 0;
  let end = chars.length;
  while (start < end && isWs(start)) start++;
  while (end > start && isWs(end - 1)) end--;
  return chars.slice(start, end).join("");
}
