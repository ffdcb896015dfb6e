// External commands: PATH lookup (cached per session), `Bun.spawn` with the
// shell's cwd and exported environment, and the wiring of each fd. OS fds
// are handed to the child as they are; JS sinks and sources get a pipe that
// is pumped chunk by chunk while the command runs (with backpressure).
//
// Imports sibling executor modules and Bun.

import type { Subprocess } from "bun";
import * as fs from "node:fs";
import * as path from "node:path";
import type { OutputSink } from "../io.ts";
import { ExitFlow } from "./control-flow.ts";
import type { Interp } from "./executor.ts";
import { closeOsFd, encodeText, type FdTarget, writeTarget } from "./fds.ts";
import type { Status } from "./maybe.ts";
import { deathMessage, decodeSignal, signalNumber } from "./signals.ts";
import { errnoCode, isSystemError } from "./errno.ts";
import { describeErrno, osPipe } from "./libc.ts";
import { limitCommands } from "./limits.ts";
import { SessionSink } from "./session-sink.ts";
import { pumpIn, pumpOut } from "./pumps.ts";
import { decodeBytes } from "../bytes.ts";

export type CommandLookup = { readonly path: string } | { readonly error: "not found" | "Permission denied"; readonly status: number };

function isExecutableFile(file: string): "yes" | "no-permission" | "missing" {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    if (isSystemError(error)) return "missing";
    throw error;
  }
  if (stat.isDirectory()) return "no-permission";
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return "yes";
  } catch (error) {
    if (isSystemError(error)) return "no-permission";
    throw error;
  }
}

/** Resolve a command name to a file, as execvp does, with a per-session cache of PATH hits. */
export function findCommand(interp: Interp, name: string, pathValue: string | undefined = interp.get("PATH")): CommandLookup {
  if (name.includes("/")) {
    const file = interp.resolvePath(name);
    const kind = isExecutableFile(file);
    if (kind === "yes") return { path: file };
    return kind === "missing" ? { error: "not found", status: 127 } : { error: "Permission denied", status: 126 };
  }
  // Like dash, an unset PATH searches nowhere.
  if (pathValue === undefined) return { error: "not found", status: 127 };
  const session = interp.session;
  if (session.pathCacheKey !== pathValue) {
    session.commandPaths.clear();
    session.pathCacheKey = pathValue;
  }
  const cached = session.commandPaths.get(name);
  if (cached !== undefined) return { path: cached };
  let denied = false;
  for (const dir of pathValue.split(":")) {
    const file = interp.resolvePath(path.join(dir === "" ? "." : dir, name));
    const kind = isExecutableFile(file);
    if (kind === "yes") {
      // Relative PATH entries depend on the cwd: never cache them.
      if (dir.startsWith("/")) session.commandPaths.set(name, file);
      return { path: file };
    }
    if (kind === "no-permission") denied = true;
  }
  // As in dash, a search that finds only non-executable files (or
  // directories, as `""` does) says "Permission denied" but gives 127: the
  // command was not found. A name with a slash, or `exec`, gives 126.
  return denied ? { error: "Permission denied", status: 127 } : { error: "not found", status: 127 };
}

type StdioOption = number | "pipe" | "ignore";

/** The POSIX shell that starts the commands Bun.spawn cannot start as asked (`startThroughShell`). */
const SH = "/bin/sh";
const SIGKILL = 9;
const SIGSTOP = 19;

/**
 * What dash's children inherit that Bun.spawn cannot give: a closed standard
 * fd (`cat <&-`: Bun opens /dev/null for "ignore"), ignored signals (`trap ''
 * USR1`: Bun resets every signal to its default in the child), and the
 * session's resource limits (`ulimit`, which must not touch this process).
 * Such a command is started through /bin/sh, which sets them up, then execs
 * it — one more exec, paid only by the commands that need it (the check is
 * two field reads and three lookups). The name is passed as typed so the
 * child's argv[0] stays what it was, unless the child's PATH would not find
 * the same file.
 */
function startThroughShell(interp: Interp, file: string, argv: readonly string[], env: Readonly<Record<string, string>>): string[] | undefined {
  const fds = interp.state.fds;
  let closes = "";
  for (let fd = 0; fd < 3; fd++) if (!fds.has(fd)) closes += ` ${fd}>&-`;
  let ignores = "";
  const traps = interp.state.traps;
  if (traps.size > 0) {
    for (const [name, action] of traps) {
      const signal = action === "" ? decodeSignal(name, 1) : undefined;
      if (signal !== undefined && signal !== SIGKILL && signal !== SIGSTOP) ignores += ` ${signal}`;
    }
  }
  const limits = interp.state.limits === undefined ? "" : limitCommands(interp.state.limits);
  if (closes === "" && ignores === "" && limits === "") return undefined;
  const name = argv[0] ?? "";
  const found = name.includes("/") || env.PATH === undefined ? undefined : findCommand(interp, name, env.PATH);
  const sameLookup = name.includes("/") ? interp.resolvePath(name) === file : found !== undefined && "path" in found && found.path === file;
  const script = `${limits}${ignores === "" ? "" : `trap ''${ignores}; `}exec "$@"${closes}`;
  return [SH, "-c", script, "sh", sameLookup ? name : file, ...argv.slice(1)];
}

/** Spawn `argv` (already resolved to `file`) and wait for it; the status as sh reports it. */
export async function spawnExternal(interp: Interp, file: string, argv: readonly string[], env: Readonly<Record<string, string>>): Promise<number> {
  const fds = interp.state.fds;
  const stdinTarget = fds.get(0);
  const stdoutTarget = fds.get(1);
  const stderrTarget = fds.get(2);
  // Output to a JS sink goes through a kernel pipe we pump: one per sink, so
  // `2>&1` keeps the order of the two streams, and a reader that goes away
  // gives the writer SIGPIPE (Bun's own "pipe" is a socket: ECONNRESET).
  // `read` is undefined for a session sink that is closed already: the child
  // gets a pipe nobody reads (EPIPE), as after `sh -c`'s reader went away.
  const sinkPipes = new Map<OutputSink, { read: number | undefined; write: number }>();
  const closePipes = (): void => {
    for (const pipe of sinkPipes.values()) {
      if (pipe.read !== undefined) closeOsFd(pipe.read);
      closeOsFd(pipe.write);
    }
  };
  const outputOption = (target: FdTarget | undefined): StdioOption => {
    if (target === undefined || target.kind === "null" || target.kind === "source") return "ignore";
    if (target.kind === "os") return target.fd;
    let pipe = sinkPipes.get(target.sink);
    if (pipe === undefined) {
      const { read, write } = osPipe();
      pipe = { read, write };
      sinkPipes.set(target.sink, pipe);
      if (target.sink instanceof SessionSink && !target.sink.isOpen) {
        closeOsFd(read);
        pipe.read = undefined;
      }
    }
    return pipe.write;
  };
  let stdio: [StdioOption, StdioOption, StdioOption, ...StdioOption[]];
  try {
    stdio = [
      stdinTarget === undefined || stdinTarget.kind === "null" || stdinTarget.kind === "sink" ? "ignore" : stdinTarget.kind === "os" ? stdinTarget.fd : "pipe",
      outputOption(stdoutTarget),
      outputOption(stderrTarget),
    ];
    for (const [fd, target] of fds) {
      if (fd < 3 || target.kind === "source") continue;
      const option = outputOption(target);
      // An fd the child gets closed anyway needs no entry (nor the entries up to it).
      if (option === "ignore" && fd >= stdio.length) continue;
      while (stdio.length < fd) stdio.push("ignore");
      stdio[fd] = option;
    }
  } catch (error) {
    // Out of fds (EMFILE) half-way: the pipes made so far go too.
    closePipes();
    throw error;
  }
  // A job killed before this command started (`sleep 5 | cat & kill $!`): the forked shell
  // it stands for is dead, so nothing more starts (its status comes from the kill).
  if (interp.cancel.cancelled) {
    closePipes();
    throw new ExitFlow(143);
  }
  let child: Subprocess;
  try {
    const wrapped = startThroughShell(interp, file, argv, env);
    const cmd = wrapped ?? [file, ...argv.slice(1)];
    child = Bun.spawn({ cmd, argv0: wrapped === undefined ? argv[0] : undefined, cwd: interp.state.cwd, env, stdio });
  } catch (error) {
    closePipes();
    throw error;
  }
  for (const pipe of sinkPipes.values()) closeOsFd(pipe.write);
  // The embedding tracks the session's processes (to end them all with it).
  interp.session.host.processStarted?.(child.pid);
  const owner = interp.jobProcesses ?? interp.session.foreground;
  owner.add(child);
  const pumps: Promise<void>[] = [];
  for (const [sink, pipe] of sinkPipes) if (pipe.read !== undefined) pumps.push(pumpOut(pipe.read, sink));
  if (stdinTarget?.kind === "source" && child.stdin !== undefined && typeof child.stdin === "object") {
    pumps.push(pumpIn(stdinTarget.source, child.stdin, child.exited, interp));
  }
  try {
    await child.exited;
    await Promise.all(pumps);
  } finally {
    owner.delete(child);
  }
  if (interp.jobProcesses === null) interp.state.jobs.noticeFinished();
  if (child.signalCode !== null && child.signalCode !== undefined) {
    const signal = typeof child.signalCode === "number" ? child.signalCode : signalNumber(child.signalCode);
    // Like dash, a foreground command killed by a signal other than INT or PIPE is announced.
    const message = deathMessage(signal);
    if (message !== undefined && interp.jobProcesses === null) await writeTarget(interp.fd(2), encodeText(`${message}\n`));
    return 128 + signal;
  }
  return child.exitCode ?? 0;
}

/** Errors of a spawn that found no fd, process or memory to start with: nothing about the command itself. */
const LACK_OF_RESOURCES: ReadonlySet<string> = new Set(["EMFILE", "ENFILE", "EAGAIN", "ENOMEM"]);

/** The child's error when it could not be started (ENOEXEC, EACCES, …), or rethrow. */
function spawnErrorCode(error: unknown): string {
  const code = errnoCode(error);
  if (code === undefined) throw error;
  return code;
}

/** The default `Handlers.exec`: PATH lookup, spawn, and sh's statuses and messages for failures. */
export function runExternal(argv: readonly string[], env: Readonly<Record<string, string>>, interp: Interp, pathValue: string | undefined): Status {
  const name = argv[0] ?? "";
  const found = findCommand(interp, name, pathValue);
  if ("error" in found) return interp.fail(`${name}: ${found.error}`, found.status);
  let running: Promise<number>;
  try {
    running = spawnExternal(interp, found.path, argv, env);
  } catch (error) {
    return reportSpawnError(interp, error, found.path, argv);
  }
  return running.catch((error: unknown) => reportSpawnError(interp, error, found.path, argv));
}

function reportSpawnError(interp: Interp, error: unknown, file: string, argv: readonly string[]): Status {
  const code = spawnErrorCode(error);
  const name = argv[0] ?? "";
  // XCU 2.9.1.1: a file that is not an executable format runs as a shell script.
  if (code === "ENOEXEC") return runScriptFile(interp, file, argv);
  if (code === "ENOENT") return interp.fail(`${name}: not found`, 127);
  if (code === "EACCES" || code === "EISDIR") return interp.fail(`${name}: Permission denied`, 126);
  // Out of fds or processes (a pipe2 or Bun.spawn that failed): the script hears of it, the command fails.
  if (LACK_OF_RESOURCES.has(code)) return interp.fail(`cannot start ${name}: ${describeErrno(code)}`, 126);
  return interp.fail(`${name}: ${describeErrno(code)}`, 126);
}

function runScriptFile(interp: Interp, file: string, argv: readonly string[]): Status {
  const child = interp.subshell();
  child.state.positional = argv.slice(1);
  return Bun.file(file)
    .bytes()
    .then(decodeBytes)
    .then((source) => child.runAsSubshell(() => child.runSource(source, true)));
}
