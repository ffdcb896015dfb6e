// Starting an external command through /bin/sh, for what a child of dash
// inherits and Bun.spawn cannot give:
// - closed standard fds (`cat <&-`: Bun opens /dev/null for them);
// - ignored signals (`trap '' USR1`, and those the caller ignored: Bun
//   resets every signal to its default in the child);
// - the session's resource limits (`ulimit`, the caller's), which must not
//   touch this process;
// - the caller's nice value, when it is above this process's (nice(1));
// - bytes that are not UTF-8 in argv, environment values or the cwd: Bun
//   encodes its strings as UTF-8 (U+FFFD for them). Those go to sh as octal
//   escapes of one `printf`, whose output `eval` runs.
// sh sets them up, then execs the command: one more exec, paid only by the
// commands that need it (measured on this machine: a spawn of /bin/true
// takes 0.39 ms, through sh 0.70 ms, with the bytes route's `$(printf …)`
// 0.98 ms; nice alone is nice(1) without sh, 0.73 ms). The name is passed as
// typed so the child's argv[0] stays what it was, unless the child's PATH
// would not find the same file.
//
// Imports sibling executor modules.

import { hasRawBytes } from "../bytes.ts";
import { findCommand } from "./command-path.ts";
import type { Interp } from "./executor.ts";
import { decodeSignal } from "./signals.ts";
import { anyEnvironmentValue } from "./environment-test.ts";

/** The POSIX shell that starts the commands Bun.spawn cannot start as asked. */
const SH = "/bin/sh";
const SIGKILL = 9;
const SIGSTOP = 19;

export interface ShellStart {
  readonly cmd: string[];
  /** The cwd for Bun.spawn: `/` when the real one is not UTF-8 (sh changes to it). */
  readonly cwd: string;
}

/** Signals the child must start with ignored: `trap ''` ones, and those ignored on entry. */
function ignoredSignals(interp: Interp): string {
  let ignores = "";
  for (const [name, action] of interp.state.traps) {
    const signal = action === "" ? decodeSignal(name, 1) : undefined;
    if (signal !== undefined && signal !== SIGKILL && signal !== SIGSTOP && !interp.session.ignoredOnEntry.has(signal)) ignores += ` ${signal}`;
  }
  for (const signal of interp.session.ignoredOnEntry) ignores += ` ${signal}`;
  return ignores;
}

const environmentHasRawBytes = anyEnvironmentValue(hasRawBytes);

/** A word for sh, single-quoted. */
function quote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

const ESCAPE_FIRST = 0xdc80;
const ESCAPE_LAST = 0xdcff;

/**
 * `text` as a printf format that prints its exact bytes, fit to be
 * single-quoted: `\` and `%` doubled, `'` and the escaped bytes (bytes.ts)
 * as three-digit octal escapes. Valid UTF-8 passes as it is.
 */
function printfFormat(text: string): string {
  let format = "";
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= ESCAPE_FIRST && code <= ESCAPE_LAST) format += `\\${(code - 0xdc00).toString(8).padStart(3, "0")}`;
    else if (code === 0x27) format += "\\047";
    else if (code === 0x5c) format += "\\\\";
    else if (code === 0x25) format += "%%";
    else format += text[i];
  }
  return format;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The command line for Bun.spawn when the command must start through sh; undefined when Bun.spawn can start it as it is. */
export function startThroughShell(
  interp: Interp,
  file: string,
  argv: readonly string[],
  env: Readonly<Record<string, string>>,
  closedStandard: readonly number[],
): ShellStart | undefined {
  const session = interp.session;
  const cwd = interp.state.cwd;
  const closes = closedStandard.map((fd) => ` ${fd}>&-`).join("");
  const ignores = ignoredSignals(interp);
  const limits = interp.state.limits === undefined ? "" : session.limitCommands(interp.state.limits);
  const nice = session.niceCommand();
  const isRaw = hasRawBytes(file) || hasRawBytes(cwd) || argv.some(hasRawBytes) || environmentHasRawBytes(env);
  if (closes === "" && ignores === "" && limits === "" && nice === undefined && !isRaw) return undefined;
  const name = argv[0] ?? "";
  const found = name.includes("/") || env.PATH === undefined ? undefined : findCommand(interp, name, env.PATH);
  const sameLookup = name.includes("/") ? interp.resolvePath(name) === file : found !== undefined && "path" in found && found.path === file;
  const words = [...(nice ?? []), sameLookup ? name : file, ...argv.slice(1)];
  const setup = `${limits}${ignores === "" ? "" : `trap ''${ignores}; `}`;
  // nice alone needs no sh: nice(1) execs the command itself.
  if (!isRaw && setup === "" && closes === "") return { cmd: words, cwd };
  if (!isRaw) return { cmd: [SH, "-c", `${setup}exec "$@"${closes}`, "sh", ...words], cwd };
  // Everything that has bytes goes through printf; the rest of the environment is Bun's.
  let line = hasRawBytes(cwd) ? `cd ${quote(cwd)} || exit 2; ` : "";
  for (const variable in env) {
    const value = env[variable] ?? "";
    if (hasRawBytes(value) && NAME.test(variable)) line += `export ${variable}=${quote(value)}; `;
  }
  line += `exec ${words.map(quote).join(" ")}${closes}`;
  return { cmd: [SH, "-c", `${setup}eval "$(printf '${printfFormat(line)}')"`, "sh"], cwd: hasRawBytes(cwd) ? "/" : cwd };
}
