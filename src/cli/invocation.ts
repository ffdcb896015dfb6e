// What the user asked for on the command line, parsed like `sh` parses its
// arguments (POSIX sh: -c, -s, option letters, -o name, `--`), plus rushd's
// own subcommands and long options.

import { DAEMON_OPTION_SPECS, parseDaemonOptions, UsageError, type DaemonOptions } from "../daemon/options.ts";

export type Invocation =
  | { readonly kind: "help" }
  | { readonly kind: "version" }
  | { readonly kind: "worker"; readonly socketPath: string; readonly maxSessions: number; readonly verifyReset: boolean; readonly profileStages: boolean; readonly requestTimeoutS: number; readonly maxGrowthMb: number }
  | { readonly kind: "daemon"; readonly options: DaemonOptions; readonly notifyReady: boolean }
  | { readonly kind: "control"; readonly command: "start" | "stop" | "restart" | "status"; readonly options: DaemonOptions; readonly json: boolean }
  | ShellInvocation;

export interface ShellInvocation {
  readonly kind: "shell";
  /** -c: the script is the first operand; otherwise a file, or stdin (-s / no operand). */
  readonly source: { readonly from: "command"; readonly script: string } | { readonly from: "file"; readonly path: string } | { readonly from: "stdin" };
  readonly argv0: string | undefined;
  readonly args: readonly string[];
  readonly flags: readonly string[];
  readonly longOptions: readonly string[];
  readonly noDaemon: boolean;
  readonly daemonOptions: DaemonOptions;
}

const SHELL_FLAG_LETTERS = new Set("eufvxCanbhm".split(""));
const CONTROL_COMMANDS = new Set(["start", "stop", "restart", "status"]);

/** `stdinIsTty` is asked only when it matters (it is costly to answer at start-up). */
export function parseInvocation(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, stdinIsTty: () => boolean): Invocation {
  const first = argv[0];
  if (first === "__worker") return parseWorker(argv.slice(1));
  if (first === "--help" || first === "-h") return { kind: "help" };
  if (first === "--version" || first === "-V") return { kind: "version" };
  if (first === "daemon") {
    const { options, rest } = parseDaemonOptions(withoutFlag(argv.slice(1), "--notify-ready"), env);
    if (rest.length > 0) throw new UsageError(`daemon: unexpected argument '${rest[0]}'`);
    return { kind: "daemon", options, notifyReady: argv.includes("--notify-ready") };
  }
  if (first !== undefined && CONTROL_COMMANDS.has(first)) {
    const { options, rest } = parseDaemonOptions(withoutFlag(argv.slice(1), "--json"), env);
    if (rest.length > 0) throw new UsageError(`${first}: unexpected argument '${rest[0]}'`);
    return { kind: "control", command: first as "start", options, json: argv.includes("--json") };
  }
  // Long options come first (`rushd --socket S --no-daemon -c …`); the rest is sh's syntax.
  let noDaemon = false;
  const daemonArgs: string[] = [];
  let at = 0;
  for (; at < argv.length; at++) {
    const arg = argv[at] as string;
    if (arg === "--no-daemon") noDaemon = true;
    else if (arg === "--") break;
    else if (arg.startsWith("--")) {
      const spec = DAEMON_OPTION_SPECS.find((candidate) => arg === candidate.flag || arg.startsWith(`${candidate.flag}=`));
      if (spec === undefined) throw new UsageError(`unknown option ${arg}`);
      daemonArgs.push(arg);
      if (!arg.includes("=") && spec.kind !== "switch") daemonArgs.push(argv[++at] ?? "");
    } else break;
  }
  const { options: daemonOptions } = parseDaemonOptions(daemonArgs, env);
  const shell = parseShellArgs(argv.slice(at));
  if (shell.command === undefined && shell.operands.length === 0 && !shell.readStdin && stdinIsTty()) {
    // Plain `rushd` at a terminal: run the daemon in the foreground (DESIGN §2).
    return { kind: "daemon", options: daemonOptions, notifyReady: false };
  }
  const base = { kind: "shell" as const, flags: shell.flags, longOptions: shell.longOptions, noDaemon, daemonOptions };
  if (shell.command !== undefined) {
    return { ...base, source: { from: "command", script: shell.command }, argv0: shell.operands[0], args: shell.operands.slice(1) };
  }
  if (!shell.readStdin && shell.operands.length > 0) {
    const path = shell.operands[0] as string;
    return { ...base, source: { from: "file", path }, argv0: path, args: shell.operands.slice(1) };
  }
  return { ...base, source: { from: "stdin" }, argv0: undefined, args: shell.operands };
}

interface ShellArgs {
  command: string | undefined;
  readStdin: boolean;
  flags: string[];
  longOptions: string[];
  operands: string[];
}

/** sh's own syntax: `[-abCefhmnuvx] [-o opt] [-c string | -s] [--] [operands]`. */
function parseShellArgs(argv: readonly string[]): ShellArgs {
  const result: ShellArgs = { command: undefined, readStdin: false, flags: [], longOptions: [], operands: [] };
  let wantsCommand = false;
  let at = 0;
  for (; at < argv.length; at++) {
    const arg = argv[at] as string;
    if (arg === "--" || arg === "-") {
      at++;
      break;
    }
    if (!/^[-+][a-zA-Z]+$/.test(arg)) break;
    const enable = arg[0] === "-";
    for (const letter of arg.slice(1)) {
      if (letter === "c") wantsCommand = true;
      else if (letter === "s") result.readStdin = true;
      else if (letter === "i") continue; // interactive is not supported; accepted like dash -i with a script
      else if (letter === "o") {
        const name = argv[++at];
        if (name === undefined) throw new UsageError("-o needs an option name");
        if (enable) result.longOptions.push(name);
      } else if (SHELL_FLAG_LETTERS.has(letter)) {
        if (enable) result.flags.push(letter);
      } else {
        throw new UsageError(`-${letter}: invalid option`);
      }
    }
  }
  result.operands = argv.slice(at) as string[];
  if (wantsCommand) {
    const command = result.operands.shift();
    if (command === undefined) throw new UsageError("-c requires an argument");
    result.command = command;
  }
  return result;
}

function parseWorker(argv: readonly string[]): Invocation {
  const value = (flag: string): string | undefined => {
    const at = argv.indexOf(flag);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const socketPath = value("--worker-socket");
  const maxSessions = Number(value("--max-sessions") ?? "1000");
  const requestTimeoutS = Number(value("--request-timeout") ?? "0");
  const maxGrowthMb = Number(value("--max-growth-mb") ?? "0");
  const counts = [maxSessions, requestTimeoutS, maxGrowthMb];
  if (socketPath === undefined || !counts.every((count) => Number.isInteger(count) && count >= 0) || maxSessions < 1) {
    throw new UsageError("__worker is started by the daemon: --worker-socket PATH --max-sessions N [--request-timeout S] [--max-growth-mb MB] [--verify-reset] [--profile-stages]");
  }
  return { kind: "worker", socketPath, maxSessions, verifyReset: argv.includes("--verify-reset"), profileStages: argv.includes("--profile-stages"), requestTimeoutS, maxGrowthMb };
}

function withoutFlag(argv: readonly string[], flag: string): string[] {
  return argv.filter((arg) => arg !== flag);
}
