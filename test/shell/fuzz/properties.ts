// The properties of the parser fuzz, shared by the short run in
// `npm test` (test/shell/fuzz-parser.test.ts) and the long one
// (scripts/fuzz-parser.ts):
// - parse() returns a Program or throws ShellSyntaxError, nothing else, in
//   bounded time; the error's position lies inside the text;
// - the incremental Parser agrees with parse() (same commands, same error);
// - generated valid scripts parse, and cut at a blank they parse or are
//   `incomplete` (an interactive shell would ask for more, not fail);
// - Shell.run() resolves with a status 0..255 and reports no internal error:
//   valid scripts run to their end in bounded time, mutated ones end or stop
//   when the shell is disposed.

import fc from "fast-check";
import * as fs from "node:fs";
import type { ListItem } from "../../../src/shell/ast.ts";
import { ShellSyntaxError } from "../../../src/shell/errors.ts";
import type { Handlers } from "../../../src/shell/exec/handlers.ts";
import type { Interp } from "../../../src/shell/exec/executor.ts";
import { FdError } from "../../../src/shell/exec/fds.ts";
import { Shell } from "../../../src/shell/index.ts";
import type { OutputSink } from "../../../src/shell/io.ts";
import { parse, Parser, type ParseOptions } from "../../../src/shell/parser/index.ts";
import { mutatedScript, shellish, validPrefix, validScript } from "./generators.ts";

/** Generous for inputs of a few KB: a parse this slow is a hang or a blow-up. */
export const PARSE_LIMIT_MS = 1000;
export const RUN_LIMIT_MS = 5000;
/** How long a mutated script (which may loop forever) runs before the shell is disposed. */
const MUTATED_RUN_MS = 200;
/** After dispose, a running script stops at its next command. */
const STOP_LIMIT_MS = 2000;

/** A failed check, with what was seen. */
export class PropertyFailure extends Error {}

export type Outcome = { readonly ok: true; readonly items: readonly ListItem[] } | { readonly ok: false; readonly error: ShellSyntaxError };

/** parse() with the checks every input must pass: the only error is a ShellSyntaxError, at a position inside the text. */
export function checkParse(source: string, options: ParseOptions = {}): Outcome {
  const started = performance.now();
  let outcome: Outcome;
  try {
    outcome = { ok: true, items: parse(source, options).body.items };
  } catch (error) {
    if (!(error instanceof ShellSyntaxError)) {
      const name = error instanceof Error ? error.name : typeof error;
      throw new PropertyFailure(`parse threw ${name}, not ShellSyntaxError: ${String(error)}`, { cause: error });
    }
    checkPosition(source, error);
    outcome = { ok: false, error };
  }
  const elapsedMs = performance.now() - started;
  if (elapsedMs > PARSE_LIMIT_MS) throw new PropertyFailure(`parse took ${elapsedMs.toFixed(0)} ms (limit ${PARSE_LIMIT_MS} ms)`);
  return outcome;
}

/** 1 ≤ line ≤ lines of the text, 1 ≤ column ≤ that line's length + 1 (end of input counts). */
export function checkPosition(source: string, error: ShellSyntaxError): void {
  const lines = source.split("\n");
  const text = lines[error.line - 1];
  const where = `line ${error.line}, column ${error.column} (${lines.length} lines)`;
  if (!Number.isInteger(error.line) || !Number.isInteger(error.column)) throw new PropertyFailure(`position is not integral: ${where}`);
  if (text === undefined || error.line < 1) throw new PropertyFailure(`line outside the text: ${where}: ${error.detail}`);
  if (error.column < 1 || error.column > text.length + 1) {
    throw new PropertyFailure(`column outside line ${error.line} (${text.length} characters): ${where}: ${error.detail}`);
  }
  if (error.detail === "" || error.message !== `line ${error.line}: ${error.detail}`) {
    throw new PropertyFailure(`bad message ${JSON.stringify(error.message)} for detail ${JSON.stringify(error.detail)}`);
  }
}

/** Parser.next() over the same text finds the same commands, or the same error at the same place. */
export function checkIncremental(source: string, outcome: Outcome, options: ParseOptions = {}): void {
  const parser = new Parser(source, options);
  const items: ListItem[] = [];
  const started = performance.now();
  let error: unknown;
  try {
    for (let list = parser.next(); list !== null; list = parser.next()) items.push(...list.items);
  } catch (e) {
    error = e;
  }
  const elapsedMs = performance.now() - started;
  if (elapsedMs > PARSE_LIMIT_MS) throw new PropertyFailure(`Parser.next took ${elapsedMs.toFixed(0)} ms (limit ${PARSE_LIMIT_MS} ms)`);
  if (error !== undefined && !(error instanceof ShellSyntaxError)) {
    throw new PropertyFailure(`Parser.next threw ${String(error)}, not ShellSyntaxError`, { cause: error });
  }
  if (outcome.ok) {
    if (error instanceof ShellSyntaxError) throw new PropertyFailure(`parse() succeeds, Parser.next() throws ${error.message}`);
    if (JSON.stringify(items) !== JSON.stringify(outcome.items)) throw new PropertyFailure("parse() and Parser.next() build different commands");
    return;
  }
  if (!(error instanceof ShellSyntaxError)) throw new PropertyFailure(`parse() throws ${outcome.error.message}, Parser.next() succeeds`);
  const a = outcome.error;
  if (a.line !== error.line || a.column !== error.column || a.detail !== error.detail) {
    throw new PropertyFailure(`parse() throws ${a.message} at column ${a.column}, Parser.next() ${error.message} at column ${error.column}`);
  }
}

/** Aliases for the parse properties: chains, trailing blanks, reserved words and operators as values. */
const ALIASES: Readonly<Record<string, string>> = {
  a: "b ", b: "echo ", echo: "echo -n", ll: "ls -l", x: "if", y: "then :; fi", w: "while", lp: "(", rp: ")", semi: ";",
  q: "'unterminated", heredoc: "cat <<EOF", loop: "loop", fna: "{ ", z: "z",
};
export const aliases = (name: string): string | undefined => ALIASES[name];

class Capture implements OutputSink {
  private readonly chunks: Uint8Array[] = [];
  write(chunk: Uint8Array): void {
    this.chunks.push(chunk);
  }
  text(): string {
    return Buffer.concat(this.chunks).toString("utf8");
  }
}

/** A program whose stdout cannot be written (`cmd 1<<EOF`) fails. */
function writeFailed(error: unknown): number {
  if (error instanceof FdError) return 1;
  throw error;
}

/** The directories of the fake file system: a small tree, so that deep globs stay small. */
const DIRECTORIES: Readonly<Record<string, readonly string[]>> = {
  "/tmp": ["a.txt", "b.md", ".hidden", "sub"],
  "/tmp/sub": ["x.txt"],
};

/** Nothing real runs: a command prints its argv; files are /dev/null; /tmp has a few names. */
const fakeHandlers: Handlers = {
  exec(argv: readonly string[], _env: Readonly<Record<string, string>>, shell: Interp) {
    const status = argv[0] === "grep" ? 1 : 0;
    try {
      const written = shell.write(1, `${argv.join(" ")}\n`);
      return written instanceof Promise ? written.then(() => status, writeFailed) : status;
    } catch (error) {
      return writeFailed(error);
    }
  },
  open: (_path, flags, mode) => fs.openSync("/dev/null", flags, mode),
  readDir: (dir) => DIRECTORIES[dir.replace(/\/+$/, "")] ?? null,
};

function after(ms: number): { readonly promise: Promise<"timeout">; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const promise = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

/**
 * Run `source` in a Shell with fake handlers. It must resolve with a status
 * 0..255 without an internal error; `mustFinish` scripts within
 * RUN_LIMIT_MS, others are stopped by dispose() after MUTATED_RUN_MS and
 * must then end within STOP_LIMIT_MS.
 */
export async function checkRun(source: string, { mustFinish }: { mustFinish: boolean }): Promise<void> {
  // A background job that fails is logged (jobs.ts); here that is a failure of the property.
  const logged: string[] = [];
  const consoleError = console.error;
  console.error = (...args: unknown[]) => {
    logged.push(args.map((arg) => (typeof arg === "string" ? arg : Bun.inspect(arg))).join(" "));
  };
  let status: number;
  let errors: string;
  try {
    ({ status, errors } = await runBounded(source, mustFinish));
  } finally {
    console.error = consoleError;
  }
  if (!Number.isInteger(status) || status < 0 || status > 255) throw new PropertyFailure(`status ${status} is not 0..255`);
  if (errors.includes("internal error")) throw new PropertyFailure(`the interpreter failed: ${errors}`);
  if (errors.includes("maximum recursion depth") && mustFinish) throw new PropertyFailure(`stack exhausted: ${errors}`);
  if (logged.length > 0) throw new PropertyFailure(`logged: ${logged.join("\n")}`);
}

async function runBounded(source: string, mustFinish: boolean): Promise<{ status: number; errors: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  const shell = new Shell(
    {
      argv0: "sh", args: ["a1", "b 2"], cwd: "/tmp", env: { PATH: "/nonexistent", HOME: "/root", IFS: " \t\n" },
      stdin: { kind: "null" }, stdout: { kind: "sink", sink: stdout }, stderr: { kind: "sink", sink: stderr },
      host: { getUmask: () => 0o22, setUmask() {} },
    },
    { handlers: fakeHandlers },
  );
  const run = shell.run(source);
  const limit = after(mustFinish ? RUN_LIMIT_MS : MUTATED_RUN_MS);
  let result = await Promise.race([run, limit.promise]);
  limit.cancel();
  if (result === "timeout") {
    await shell.dispose();
    if (mustFinish) throw new PropertyFailure(`Shell.run did not finish within ${RUN_LIMIT_MS} ms`);
    const stop = after(STOP_LIMIT_MS);
    result = await Promise.race([run, stop.promise]);
    stop.cancel();
    if (result === "timeout") throw new PropertyFailure(`Shell.run did not stop within ${STOP_LIMIT_MS} ms of dispose()`);
  } else {
    // Background jobs of a valid script end too: wait for them, so that what they log is seen here.
    if (mustFinish) await shell.run("wait");
    await shell.dispose();
  }
  return { status: result, errors: stderr.text() };
}

export interface FuzzProperty {
  readonly name: string;
  /** Runs in `npm test` (the long run takes its count from the command line). */
  readonly quickRuns: number;
  readonly inputs: fc.Arbitrary<string>;
  /** Throws (or rejects) when the property does not hold for `source`. */
  readonly check: (source: string) => void | Promise<void>;
}

/** The fast-check property; `onInput` sees each input first (the long run records it, to name a hang or crash). */
export function toProperty(p: FuzzProperty, onInput: (source: string) => void = () => {}): fc.IAsyncPropertyWithHooks<[string]> {
  return fc.asyncProperty(p.inputs, async (source) => {
    onInput(source);
    await p.check(source);
  });
}

function parseCheck(options: ParseOptions = {}) {
  return (source: string): void => {
    const outcome = checkParse(source, options);
    checkIncremental(source, outcome, options);
  };
}

export const properties: readonly FuzzProperty[] = [
  { name: "shell-ish strings: parse is total, positions inside the text, Parser agrees", quickRuns: 1000, inputs: shellish, check: parseCheck() },
  { name: "mutated scripts: parse is total, positions inside the text, Parser agrees", quickRuns: 500, inputs: mutatedScript, check: parseCheck() },
  { name: "with aliases: parse is total, Parser agrees", quickRuns: 300, inputs: fc.oneof(shellish, mutatedScript), check: parseCheck({ aliases }) },
  {
    name: "valid scripts parse, and Parser agrees",
    quickRuns: 300,
    inputs: validScript,
    check(source) {
      const outcome = checkParse(source);
      if (!outcome.ok) throw new PropertyFailure(`a valid script does not parse: ${outcome.error.message}`);
      checkIncremental(source, outcome);
    },
  },
  {
    // An interactive shell asks for more (PS2) where a valid script was cut at a token boundary, never reports an error.
    name: "valid scripts cut at a blank or newline parse or are incomplete",
    quickRuns: 300,
    inputs: validPrefix,
    check(source) {
      const outcome = checkParse(source);
      if (!outcome.ok && !outcome.error.incomplete) throw new PropertyFailure(`a cut valid script is not incomplete: ${outcome.error.message}`);
      checkIncremental(source, outcome);
    },
  },
  { name: "valid scripts run to the end with a status 0..255", quickRuns: 200, inputs: validScript, check: (source) => checkRun(source, { mustFinish: true }) },
  { name: "mutated scripts run or stop with a status 0..255", quickRuns: 200, inputs: mutatedScript, check: (source) => checkRun(source, { mustFinish: false }) },
];
