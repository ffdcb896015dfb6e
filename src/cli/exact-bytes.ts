// This process's arguments, environment and cwd with their exact bytes, as
// the shell holds them (bytes that are not UTF-8 as escapes, src/shell/bytes.ts).
// The runtime decodes argv, environ and getcwd() as UTF-8, every byte that is
// not UTF-8 becoming U+FFFD: a value that holds a U+FFFD is taken again from
// /proc/self/cmdline, /proc/self/environ or /proc/self/cwd. When none does
// (nearly always) nothing is read and nothing awaited: the callers ask
// isLossy/isLossyEnvironment first, one includes() per string.
//
// Used by the client (`rushd -c` through a daemon sends the arguments and
// cwd this returns; a worker reads its environment from /proc itself) and
// the in-process shell; main.ts imports it on every start. The client's
// start-up is its whole cost, so this imports only bytes.ts (which imports
// nothing): no interpreter, no node: module, and no bun:ffi (~0.4 ms to load,
// measured; the modules that need it load it later). Bun.file reads /proc;
// only a lossy cwd loads node:fs, for its readlink.

import { decodeBytes } from "../shell/bytes.ts";

const REPLACEMENT = "\uFFFD";
const EQUALS = 0x3d;

/** What the runtime made of the bytes (a leading U+FEFF kept, as it keeps it in argv). */
const lossy = new TextDecoder("utf-8", { ignoreBOM: true });

/** Entries of a NUL-separated /proc file (cmdline, environ). */
async function procEntries(file: string): Promise<Uint8Array[]> {
  const bytes = await Bun.file(file).bytes();
  const entries: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] !== 0) continue;
    entries.push(bytes.subarray(start, i));
    start = i + 1;
  }
  return entries;
}

/** Some text holds U+FFFD: the runtime may have put it for bytes that are not UTF-8 (then ask exactArguments). */
export function isLossy(texts: readonly string[]): boolean {
  for (const text of texts) if (text.includes(REPLACEMENT)) return true;
  return false;
}

/**
 * The operands as the caller gave them. `argv` is process.argv after the
 * runtime's own two entries: its strings are the last entries of the
 * cmdline (before them come the executable and, under `bun main.ts`, the
 * script). Each is matched by position, so two arguments that differ only in
 * their bad bytes stay different; an entry that does not decode to the
 * runtime's string (something rewrote argv) leaves that string as it was.
 */
export async function exactArguments(argv: readonly string[]): Promise<readonly string[]> {
  const entries = await procEntries("/proc/self/cmdline");
  const offset = entries.length - argv.length;
  if (offset < 0) return argv;
  return argv.map((arg, index) => {
    const entry = entries[offset + index];
    return entry !== undefined && arg.includes(REPLACEMENT) && lossy.decode(entry) === arg ? decodeBytes(entry) : arg;
  });
}

/**
 * The environment with exact values. An entry whose name is not UTF-8 is
 * left out: no shell variable can have that name (dash drops every entry
 * whose name is not a name), and the runtime's copy of it is garbled.
 * Entries the runtime changed or added since exec keep the runtime's value.
 */
export async function exactEnvironment(env: Readonly<Record<string, string>>): Promise<Readonly<Record<string, string>>> {
  const exact: Record<string, string> = { ...env };
  for (const entry of await procEntries("/proc/self/environ")) {
    const equals = entry.indexOf(EQUALS);
    if (equals <= 0) continue;
    const nameBytes = entry.subarray(0, equals);
    const valueBytes = entry.subarray(equals + 1);
    const lossyName = lossy.decode(nameBytes);
    if (env[lossyName] !== lossy.decode(valueBytes)) continue;
    const name = decodeBytes(nameBytes);
    if (!name.isWellFormed()) {
      delete exact[lossyName];
      continue;
    }
    const value = decodeBytes(valueBytes);
    if (!value.isWellFormed()) exact[name] = value;
  }
  return exact;
}

/** Some name or value holds U+FFFD (then ask exactEnvironment). */
export function isLossyEnvironment(env: Readonly<Record<string, string>>): boolean {
  for (const name in env) if (name.includes(REPLACEMENT) || env[name]?.includes(REPLACEMENT)) return true;
  return false;
}

/** The working directory, exact: `cwd` is the runtime's (process.cwd()). */
export function exactCwd(cwd: string): string {
  if (!cwd.includes(REPLACEMENT)) return cwd;
  const fs = require("node:fs") as typeof import("node:fs");
  let bytes: Buffer;
  try {
    bytes = fs.readlinkSync("/proc/self/cwd", { encoding: "buffer" });
  } catch (error) {
    // No /proc (or it is not ours to read): the runtime's string is the best there is.
    if ((error as NodeJS.ErrnoException).code !== undefined) return cwd;
    throw error;
  }
  return lossy.decode(bytes) === cwd ? decodeBytes(bytes) : cwd;
}
