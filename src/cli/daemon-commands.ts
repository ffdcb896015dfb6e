// `rushd [daemon]`, `rushd start|stop|restart|status`.

import { readFileSync } from "node:fs";
import { probeSocket } from "../common/probe.ts";
import { isProcessAlive } from "../common/process-alive.ts";
import { until } from "../common/until.ts";
import { ConnectFailedError } from "../client/daemon-link.ts";
import { DaemonClient } from "../client/daemon-client.ts";
import { DaemonLaunchError, launchDaemon, READY_LINE } from "../client/launcher.ts";
import { Daemon, DaemonStartError } from "../daemon/daemon.ts";
import { daemonOptionsToArgv, type DaemonOptions } from "../daemon/options.ts";
import { resolveDaemonPaths, type DaemonPaths } from "../protocol/index.ts";

const STOP_TIMEOUT_MS = 15_000;

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

export async function runControl(command: "start" | "stop" | "restart" | "status", options: DaemonOptions, json: boolean): Promise<number> {
  const paths = resolveDaemonPaths(options.socket, process.env);
  switch (command) {
    case "start":
      return start(paths, options);
    case "stop":
      return stop(paths);
    case "restart": {
      const stopped = await stop(paths);
      return stopped === 0 ? start(paths, options) : stopped;
    }
    case "status":
      return status(paths, json);
  }
}

async function start(paths: DaemonPaths, options: DaemonOptions): Promise<number> {
  try {
    const outcome = await launchDaemon(paths, daemonOptionsToArgv({ ...options, socket: undefined }));
    const pid = readPid(paths);
    process.stderr.write(outcome === "started"
      ? `rushd: started on ${paths.socket} (pid ${pid})\n`
      : `rushd: already running on ${paths.socket} (pid ${pid})\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof DaemonLaunchError)) throw error;
    process.stderr.write(`rushd: ${error.message}\n`);
    return 1;
  }
}

async function stop(paths: DaemonPaths): Promise<number> {
  const client = await connectOrSay(paths);
  if (client === undefined) return 0; // stopping a stopped daemon succeeds, as service managers expect
  const pid = readPid(paths);
  await client.shutdown();
  await client.closed;
  await until(async () => (await probeSocket(paths.socket)) === "dead" && !isProcessAlive(pid), { timeoutMs: STOP_TIMEOUT_MS, what: "the daemon to exit" });
  process.stderr.write(`rushd: stopped the daemon on ${paths.socket}\n`);
  return 0;
}

async function status(paths: DaemonPaths, json: boolean): Promise<number> {
  const client = await connectOrSay(paths);
  if (client === undefined) return 1;
  const report = await client.status();
  client.close();
  process.stdout.write(json ? `${JSON.stringify(report)}\n` : formatStatus(report));
  return 0;
}

/** The daemon's client, or undefined after saying on stderr that none runs. */
async function connectOrSay(paths: DaemonPaths): Promise<DaemonClient | undefined> {
  try {
    return await DaemonClient.connect(paths.socket);
  } catch (error) {
    if (!(error instanceof ConnectFailedError)) throw error;
    process.stderr.write(`rushd: no daemon running on ${paths.socket}\n`);
    return undefined;
  }
}

function formatStatus(report: Record<string, unknown>): string {
  const reset = report.reset_us as { count: number; p50: number; p99: number; max: number };
  const workers = report.workers as { pid: number; state: string; requests: number }[];
  return [
    `pid ${report.pid}  mode ${report.mode}  socket ${report.socket}  up ${report.uptime_s}s`,
    `requests ${report.requests_total}  leases ${report.leases_total}  resets failed ${report.resets_failed}  workers started ${report.workers_started}, replaced ${report.workers_replaced}`,
    `reset µs: count ${reset.count}  p50 ${reset.p50}  p99 ${reset.p99}  max ${reset.max}`,
    `workers (${workers.length}):`,
    ...workers.map((worker) => `  ${worker.pid}  ${worker.state.padEnd(8)}  ${worker.requests} requests`),
    "",
  ].join("\n");
}

function readPid(paths: DaemonPaths): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(paths.pidFile, "utf8"), 10);
    return Number.isInteger(pid) ? pid : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}
