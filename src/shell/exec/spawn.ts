// External commands: `Bun.spawn` with the shell's cwd, exported environment
// and fd table (child-fds.ts), started through /bin/sh when Bun.spawn cannot
// give what the command must inherit (sh-start.ts); their status as sh
// reports it, and sh's messages when they cannot start.
//
// Imports sibling executor modules and Bun.

import type { Subprocess } from "bun";
import { ExitFlow } from "./control-flow.ts";
import type { Interp } from "./executor.ts";
import { encodeText, writeTarget } from "./fds.ts";
import type { Status } from "./maybe.ts";
import { deathMessage, signalNumber } from "./signals.ts";
import { isEndingBySignal } from "./traps.ts";
import { anyEnvironmentValue } from "./environment-test.ts";
import { errnoCode } from "./errno.ts";
import { describeErrno } from "./libc.ts";
import { fileSinkPipe, kernelPipe, type OutputPumping, pumpIn, pumpOut } from "./pumps.ts";
import { afterSpawn, childFds, closeChildFds, type ChildFds } from "./child-fds.ts";
import { findCommand } from "./command-path.ts";
import { startThroughShell } from "./sh-start.ts";
import { pumpSessionInput } from "./session-input-pump.ts";
import { looksBinary, runScriptFile } from "./script-shell.ts";

/**
 * What execve sees of strings that hold a NUL (a C string ends at it),
 * instead of a spawn that fails. The shell drops NUL bytes where they come
 * in (`$(…)`, `read`, scripts); this is for anything that still has one.
 */
function asCStrings(argv: readonly string[], env: Readonly<Record<string, string>>): { argv: readonly string[]; env: Readonly<Record<string, string>> } {
  return { argv: argv.some(hasNul) ? argv.map(cutAtNul) : argv, env: environmentHasNul(env) ? withoutNul(env) : env };
}

function hasNul(text: string): boolean {
  return text.includes("\0");
}

function cutAtNul(text: string): string {
  const at = text.indexOf("\0");
  return at < 0 ? text : text.slice(0, at);
}

function withoutNul(env: Readonly<Record<string, string>>): Record<string, string> {
  const clean: Record<string, string> = {};
  for (const name in env) clean[name] = cutAtNul(env[name] ?? "");
  return clean;
}

const environmentHasNul = anyEnvironmentValue(hasNul);

/** Spawn `argv` (already resolved to `file`) and wait for it; the status as sh reports it. */
export async function spawnExternal(interp: Interp, file: string, givenArgv: readonly string[], givenEnv: Readonly<Record<string, string>>): Promise<number> {
  const { argv, env } = asCStrings(givenArgv, givenEnv);
  const fds: ChildFds = childFds(interp.state.fds, interp.session.input ?? undefined);
  // A job killed before this command started (`sleep 5 | cat & kill $!`): the forked shell
  // it stands for is dead, so nothing more starts (its status comes from the kill).
  if (interp.cancel.cancelled) {
    closeChildFds(fds);
    throw new ExitFlow(143);
  }
  // A fork, which dash's makejob makes a job of: it may free a waited one (jobs.ts).
  interp.state.jobs.forked();
  let child: Subprocess;
  try {
    const wrapped = startThroughShell(interp, file, argv, env, fds.closedStandard);
    const cmd = wrapped?.cmd ?? [file, ...argv.slice(1)];
    // A cwd removed since `cd` entered it: start the command in it all the same, as dash's fork would.
    const cwd = interp.session.heldDirectories.spawnable(wrapped?.cwd ?? interp.state.cwd);
    child = Bun.spawn({ cmd, argv0: wrapped === undefined ? argv[0] : undefined, cwd, env, stdio: fds.stdio });
  } catch (error) {
    closeChildFds(fds);
    throw error;
  }
  afterSpawn(fds);
  // The embedding tracks the session's processes (to end them all with it).
  interp.session.host.processStarted?.(child.pid);
  const owner = interp.jobProcesses ?? interp.session.foreground;
  owner.add(child);
  const pumps: Promise<void>[] = [];
  const outputs: OutputPumping[] = [];
  for (const [sink, pipe] of fds.sinkPipes) if (pipe.read !== undefined) outputs.push(pumpOut(pipe.read, sink));
  for (const [source, pipe] of fds.sourcePipes) pumps.push(pumpIn(source, kernelPipe(pipe.write), child.exited, interp));
  const sessionInput = interp.session.input;
  if (fds.sessionInputPipe !== undefined && sessionInput !== null) pumps.push(pumpSessionInput(sessionInput, fds.sessionInputPipe, child.exited));
  if (fds.stdinSource !== undefined && child.stdin !== undefined && typeof child.stdin === "object") {
    pumps.push(pumpIn(fds.stdinSource, fileSinkPipe(child.stdin), child.exited, interp));
  }
  try {
    await child.exited;
    // A signal the command sent its shell (`/bin/kill $$`) was delivered before it exited, but the
    // runtime hands it to JavaScript on a later turn of its loop than the exit: one turn lets it
    // arrive before the next command runs, as dash takes it while it waits for the child.
    await new Promise((resolve) => setImmediate(resolve));
    await Promise.all([...pumps, ...outputs.map((output) => output.settled())]);
  } finally {
    owner.delete(child);
  }
  if (interp.jobProcesses === null) interp.state.jobs.noticeFinished();
  if (child.signalCode !== null && child.signalCode !== undefined) {
    const signal = typeof child.signalCode === "number" ? child.signalCode : signalNumber(child.signalCode);
    // Like dash, a foreground command killed by a signal other than INT or PIPE is announced.
    // Not when the run is being ended (Shell.interrupt, a dispose) or a signal it does not trap is
    // ending the shell (the command got it with the shell): the shell goes down with it, as dash
    // dies before it could tell.
    const message = deathMessage(signal);
    const isShellEnding = interp.cancel.cancelled || isEndingBySignal(interp);
    if (message !== undefined && interp.jobProcesses === null && !isShellEnding) await writeTarget(interp.fd(2), encodeText(`${message}\n`));
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
    return reportSpawnError(interp, error, found.path, argv, env);
  }
  return running.catch((error: unknown) => reportSpawnError(interp, error, found.path, argv, env));
}

function reportSpawnError(interp: Interp, error: unknown, file: string, argv: readonly string[], env: Readonly<Record<string, string>>): Status {
  const code = spawnErrorCode(error);
  const name = argv[0] ?? "";
  // XCU 2.9.1.1: a file that is not an executable format runs as a shell script, unless dash takes it for a binary.
  if (code === "ENOEXEC" && looksBinary(file)) return interp.fail(`${interp.isReplaced ? "exec: " : ""}${name}: Exec format error`, 126);
  if (code === "ENOEXEC") return runScriptFile(interp, file, argv, env);
  if (code === "ENOENT") return interp.fail(`${name}: not found`, 127);
  if (code === "EACCES" || code === "EISDIR") return interp.fail(`${name}: Permission denied`, 126);
  // Out of fds or processes (a pipe2 or Bun.spawn that failed): the script hears of it, the command fails.
  if (LACK_OF_RESOURCES.has(code)) return interp.fail(`cannot start ${name}: ${describeErrno(code)}`, 126);
  return interp.fail(`${name}: ${describeErrno(code)}`, 126);
}
