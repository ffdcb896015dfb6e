// `rushd [daemon]`, `rushd start|stop|restart|status`.
//
// Exit statuses follow the LSB init-script conventions, which service
// managers and scripts already read:
//   start   0 started; or already running and no option was given, or every
//             given option matches the running daemon's
//           1 it could not start; or it already runs and a given option
//             differs (the line on stderr names it; nothing is applied)
//   stop    0 stopped; or no daemon was there (nothing at the path, or a
//             stale socket nobody listens on): stopping a stopped daemon succeeds
//           1 the socket path cannot be used (not a socket, permission denied…)
//   status  0 running; 3 not running (LSB "program is not running");
//           4 the socket cannot be used, so it is unknown (LSB "status unknown")
// `status --json` always prints one object: the daemon's report with
// "running": true, or {"running": false, "socket", "reason"} with status 3 or 4.

import { lstatSync, readFileSync, type Stats } from "node:fs";
import { probeSocket } from "../common/probe.ts";
import { connectErrno, EAGAIN } from "../common/connect-errno.ts";
import { isProcessAlive } from "../common/process-alive.ts";
import { until } from "../common/until.ts";
import { ConnectFailedError } from "../client/link.ts";
import { cliTransport } from "../client/transport/cli-transport.ts";
import { DaemonClient, DaemonRequestError } from "../client/daemon-client.ts";
import { DaemonLaunchError, launchDaemon, READY_LINE } from "../client/launcher.ts";
import { Daemon, DaemonStartError } from "../daemon/daemon.ts";
import { DAEMON_OPTION_SPECS, daemonOptionsToArgv, type DaemonOptions } from "../daemon/options.ts";
import { resolveDaemonPaths, type DaemonPaths } from "../protocol/index.ts";

const STOP_TIMEOUT_MS = 15_000;

/** LSB `status`: the program is not running. */
const EXIT_NOT_RUNNING = 3;
/** LSB `status`: the status is unknown (here: the socket cannot be used). */
const EXIT_STATUS_UNKNOWN = 4;

export async function runDaemonForeground(options: DaemonOptions, notifyReady: boolean): Promise<number> {
  const daemon = new Daemon(options, process.env);
  try {
    await daemon.start();
  } catch (error) {
    if (!(error instanceof DaemonStartError)) throw error;
    process.stderr.write(`rushd: ${error.message}\n`);
    return 1;
  }
  if (notifyReady) process.stdout.write(`${READY_LINE}\n`);
  await daemon.stopped;
  return 0;
}

/**
 * `given`: the daemon options the user set on this command line or through
 * RUSHD_* variables; `options` alone cannot tell a given value from a default.
 * The CLI's argv is [command, ...options] (main.ts passes process.argv.slice(2)).
 */
export async function runControl(
  command: "start" | "stop" | "restart" | "status",
  options: DaemonOptions,
  json: boolean,
  given: readonly GivenOption[] = findGivenOptions(process.argv.slice(3), process.env),
): Promise<number> {
  const paths = resolveDaemonPaths(options.socket, process.env);
  switch (command) {
    case "start":
      return start(paths, options, given);
    case "stop":
      return stop(paths);
    case "restart": {
      const stopped = await stop(paths);
      return stopped === 0 ? start(paths, options, given) : stopped;
    }
    case "status":
      return status(paths, json);
  }
}

async function start(paths: DaemonPaths, options: DaemonOptions, given: readonly GivenOption[]): Promise<number> {
  try {
    const outcome = await launchDaemon(paths, daemonOptionsToArgv({ ...options, socket: undefined }), { byHand: true });
    if (outcome === "already-running") return sayAlreadyRunning(paths, options, given);
    process.stderr.write(`rushd: started on ${paths.socket} (pid ${readPid(paths)})\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof DaemonLaunchError)) throw error;
    process.stderr.write(`rushd: ${error.message}\n`);
    return 1;
  }
}

/** A running daemon keeps its options: say which given ones it does not have. */
async function sayAlreadyRunning(paths: DaemonPaths, options: DaemonOptions, given: readonly GivenOption[]): Promise<number> {
  const running = `rushd: already running on ${paths.socket} (pid ${readPid(paths)})`;
  if (given.length === 0) {
    process.stderr.write(`${running}\n`);
    return 0;
  }
  const report = await readStatus(paths);
  if (typeof report === "string") {
    process.stderr.write(`${running}; not applied: ${given.map((option) => option.text).join(", ")} (its options could not be read: ${report})\n`);
    return 1;
  }
  const runningOptions = isRecord(report.options) ? report.options : {};
  const differing = given.filter((option) => runningOptions[option.key] !== options[option.key]);
  if (differing.length === 0) {
    process.stderr.write(`${running}; it already has the given options (${given.map((option) => option.text).join(", ")})\n`);
    return 0;
  }
  const named = differing.map((option) => `${option.text} (running: ${formatValue(runningOptions[option.key])})`);
  process.stderr.write(`${running}; not applied: ${named.join(", ")}; 'rushd restart' applies them\n`);
  return 1;
}

async function stop(paths: DaemonPaths): Promise<number> {
  const reach = await reachDaemon(paths);
  if (reach.kind !== "connected") {
    process.stderr.write(`${describeUnreachable(paths, reach)}\n`);
    return reach.kind === "absent" ? 0 : 1;
  }
  const pid = readPid(paths);
  try {
    await reach.client.shutdown();
  } catch (error) {
    if (!(error instanceof DaemonRequestError)) throw error;
    reach.client.close();
    process.stderr.write(`rushd: the daemon on ${paths.socket} did not take the shutdown request: ${error.message}\n`);
    return 1;
  }
  await reach.client.closed;
  await until(async () => (await probeSocket(paths.socket)) === "dead" && !isProcessAlive(pid), { timeoutMs: STOP_TIMEOUT_MS, what: "the daemon to exit" });
  process.stderr.write(`rushd: stopped the daemon on ${paths.socket}\n`);
  return 0;
}

async function status(paths: DaemonPaths, json: boolean): Promise<number> {
  const reach = await reachDaemon(paths);
  if (reach.kind !== "connected") {
    if (json) process.stdout.write(`${JSON.stringify({ running: false, socket: paths.socket, reason: reach.reason })}\n`);
    else process.stderr.write(`${describeUnreachable(paths, reach)}\n`);
    return reach.kind === "absent" ? EXIT_NOT_RUNNING : EXIT_STATUS_UNKNOWN;
  }
  let report: Record<string, unknown>;
  try {
    report = await reach.client.status();
  } catch (error) {
    if (!(error instanceof DaemonRequestError)) throw error;
    const reason = `the daemon did not answer: ${error.message}`;
    if (json) process.stdout.write(`${JSON.stringify({ running: false, socket: paths.socket, reason })}\n`);
    else process.stderr.write(`rushd: ${reason} (${paths.socket})\n`);
    return EXIT_STATUS_UNKNOWN;
  } finally {
    reach.client.close();
  }
  process.stdout.write(json ? `${JSON.stringify({ running: true, ...report })}\n` : formatStatus(report));
  return 0;
}

/** The running daemon's status report, or why it could not be read. */
async function readStatus(paths: DaemonPaths): Promise<Record<string, unknown> | string> {
  const reach = await reachDaemon(paths);
  if (reach.kind !== "connected") return reach.reason;
  try {
    return await reach.client.status();
  } catch (error) {
    if (!(error instanceof DaemonRequestError)) throw error;
    return error.message;
  } finally {
    reach.client.close();
  }
}

type Reach =
  | { readonly kind: "connected"; readonly client: DaemonClient }
  /** Nothing listens there: no daemon runs. */
  | { readonly kind: "absent"; readonly reason: string; readonly detail: string }
  /** Something is in the way (not a socket, no permission): a daemon may or may not run. */
  | { readonly kind: "unusable"; readonly reason: string; readonly detail: string };

type Unreachable = Exclude<Reach, { kind: "connected" }>;

async function reachDaemon(paths: DaemonPaths): Promise<Reach> {
  try {
    return { kind: "connected", client: await DaemonClient.connect(paths.socket, cliTransport) };
  } catch (error) {
    if (!(error instanceof ConnectFailedError)) throw error;
    return explainConnectFailure(paths.socket, error.code);
  }
}

/**
 * Why connect(2) failed, in words. Linux answers ECONNREFUSED both for a
 * stale socket and for a path that is no socket at all (a file, a
 * directory, a file as a parent), so lstat tells those apart.
 */
function explainConnectFailure(path: string, code: string | undefined): Unreachable {
  const absent = (detail: string): Unreachable => ({ kind: "absent", reason: `no daemon running (${detail})`, detail });
  const unusable = (detail: string): Unreachable => ({ kind: "unusable", reason: `cannot use the socket: ${detail}`, detail });
  if (code === "ENOENT") return absent("nothing at this path");
  if (code === "EACCES" || code === "EPERM") return unusable(`permission denied (${code}): the socket or a directory above it is closed to this user`);
  let stat: Stats;
  try {
    stat = lstatSync(path);
  } catch (error) {
    const statCode = errnoCode(error);
    if (statCode === undefined) throw error;
    if (statCode === "ENOENT") return absent("nothing at this path");
    if (statCode === "ENOTDIR") return unusable("a component of the path is not a directory");
    return unusable(`cannot examine the path (${statCode})`);
  }
  if (!stat.isSocket()) return unusable(`it is ${describeFileType(stat)}, not a socket`);
  // Bun says ECONNREFUSED for a full queue of connections too (connect-errno.ts): ask connect(2) itself.
  if (code === "ECONNREFUSED" && connectErrno(path) === EAGAIN) return unusable("a daemon listens but accepts no connection now (its queue of connections is full)");
  if (code === "ECONNREFUSED") return absent("a stale socket: nothing listens on it");
  return unusable(`connect failed (${code ?? "no error code"})`);
}

function describeUnreachable(paths: DaemonPaths, reach: Unreachable): string {
  return reach.kind === "absent"
    ? `rushd: no daemon running on ${paths.socket} (${reach.detail})`
    : `rushd: cannot use the socket ${paths.socket}: ${reach.detail}`;
}

function describeFileType(stat: Stats): string {
  if (stat.isFile()) return "a regular file";
  if (stat.isDirectory()) return "a directory";
  if (stat.isSymbolicLink()) return "a symbolic link";
  if (stat.isFIFO()) return "a FIFO";
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return "a device";
  return "not a socket";
}

export interface GivenOption {
  readonly key: keyof DaemonOptions;
  /** As the user wrote it: `--workers 2` or `RUSHD_WORKERS=2`. */
  readonly text: string;
}

/**
 * The daemon options set by flags in `argv` or by RUSHD_* variables (a flag
 * wins over its variable, as in parseDaemonOptions). The socket is left out:
 * it chooses the daemon rather than configuring it.
 */
export function findGivenOptions(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): GivenOption[] {
  const given = new Map<keyof DaemonOptions, GivenOption>();
  for (const spec of DAEMON_OPTION_SPECS) {
    const value = env[spec.env];
    if (value !== undefined && value !== "") given.set(spec.key, { key: spec.key, text: `${spec.env}=${value}` });
  }
  for (let at = 0; at < argv.length; at++) {
    const arg = argv[at] as string;
    const equals = arg.indexOf("=");
    const flag = arg.startsWith("--") && equals > 0 ? arg.slice(0, equals) : arg;
    const spec = DAEMON_OPTION_SPECS.find((candidate) => candidate.flag === flag);
    if (spec === undefined) continue;
    const value = flag !== arg ? arg.slice(equals + 1) : spec.kind === "switch" ? undefined : argv[++at];
    given.set(spec.key, { key: spec.key, text: value === undefined ? flag : flag === arg ? `${flag} ${value}` : arg });
  }
  given.delete("socket");
  return [...given.values()];
}

function formatValue(value: unknown): string {
  return value === undefined ? "unknown" : String(value);
}

function formatStatus(report: Record<string, unknown>): string {
  const reset = report.reset_us as { count: number; p50: number; p99: number; max: number };
  const workers = report.workers as { pid: number; state: string; requests: number }[];
  return [
    `pid ${report.pid}  mode ${report.mode}  socket ${report.socket}  up ${report.uptime_s}s`,
    `requests ${report.requests_total}  leases ${report.leases_total}  refused (ran in process) ${report.leases_refused_no_wait}  resets failed ${report.resets_failed}  workers started ${report.workers_started}, replaced ${report.workers_replaced}, peak ${report.workers_peak}`,
    `reset µs: count ${reset.count}  p50 ${reset.p50}  p99 ${reset.p99}  max ${reset.max}`,
    `workers (${workers.length}):`,
    ...workers.map((worker) => `  ${worker.pid}  ${worker.state.padEnd(8)}  ${worker.requests} requests`),
    "",
  ].join("\n");
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function errnoCode(error: unknown): string | undefined {
  if (!(error instanceof Error) || !("code" in error)) return undefined;
  return typeof error.code === "string" ? error.code : undefined;
}

function readPid(paths: DaemonPaths): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(paths.pidFile, "utf8"), 10);
    return Number.isInteger(pid) ? pid : undefined;
  } catch (error) {
    if (errnoCode(error) === "ENOENT") return undefined;
    throw error;
  }
}
