// The rushd daemons under test, driven through the real executable
// (`rushd start|status|stop`), each on a socket in the benchmark's own
// 0700 directory. Reads only the executable's documented CLI and JSON.

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { until } from "../../src/common/until.ts";

export interface WorkerInfo {
  readonly pid: number;
  readonly state: string;
  readonly requests: number;
}

export interface ResetSummary {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

export interface DaemonStatus {
  readonly pid: number;
  readonly mode: string;
  readonly workers: readonly WorkerInfo[];
  readonly requestsTotal: number;
  readonly resetUs: ResetSummary;
  readonly workersStarted: number;
  readonly resetsFailed: number;
}

export class BenchDaemon {
  private knownPids = new Set<number>();

  private constructor(readonly rushd: string, readonly socket: string, readonly argv: readonly string[]) {}

  /** `rushd start --socket S ARGV…`; returns once it answers and its pool is up. */
  static async start(rushd: string, dir: string, name: string, argv: readonly string[]): Promise<BenchDaemon> {
    const daemon = new BenchDaemon(rushd, join(dir, `${name}.sock`), argv);
    const started = await runRushd(rushd, ["start", "--socket", daemon.socket, ...argv]);
    if (started.status !== 0) throw new Error(`rushd start ${argv.join(" ")} failed (status ${started.status}): ${started.stderr.trim()}${daemon.logTail()}`);
    const status = await daemon.status();
    daemon.knownPids.add(status.pid);
    return daemon;
  }

  /** Wait until `count` workers are idle (pool mode pre-starts them in the background). */
  async waitForIdleWorkers(count: number): Promise<DaemonStatus> {
    let last: DaemonStatus | undefined;
    await until(async () => {
      last = await this.status();
      return last.workers.filter((worker) => worker.state === "idle").length >= count;
    }, { timeoutMs: 20_000, what: `${count} idle workers on ${this.socket}` });
    if (last === undefined) throw new Error("unreachable: until() returned without a status");
    return last;
  }

  async status(): Promise<DaemonStatus> {
    const result = await runRushd(this.rushd, ["status", "--json", "--socket", this.socket]);
    if (result.status !== 0) throw new Error(`rushd status failed (status ${result.status}): ${result.stderr.trim()}`);
    const status = parseStatus(result.stdout);
    this.knownPids.add(status.pid);
    for (const worker of status.workers) this.knownPids.add(worker.pid);
    return status;
  }

  /** `rushd stop`; then make sure that no process it ever reported is left (SIGKILL stragglers). */
  async stop(): Promise<string[]> {
    const problems: string[] = [];
    const stopped = await runRushd(this.rushd, ["stop", "--socket", this.socket]);
    if (stopped.status !== 0) problems.push(`rushd stop on ${this.socket} failed (status ${stopped.status}): ${stopped.stderr.trim()}`);
    for (const pid of this.knownPids) {
      if (!isAlive(pid)) continue;
      const gone = await waitForExit(pid, 3000);
      if (gone) continue;
      problems.push(`pid ${pid} of the daemon on ${this.socket} outlived 'rushd stop'; killed it`);
      process.kill(pid, "SIGKILL");
    }
    return problems;
  }

  private logTail(): string {
    const log = `${this.socket}.log`;
    if (!existsSync(log)) return "";
    const lines = readFileSync(log, "utf8").trimEnd().split("\n").slice(-10);
    return `\n--- ${log} ---\n${lines.join("\n")}`;
  }
}

async function runRushd(rushd: string, argv: readonly string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const child = Bun.spawn([rushd, ...argv], { stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, status] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { status, stdout, stderr };
}

/** VmRSS of a process in MB, or undefined if it is gone. */
export function rssMb(pid: number): number | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, "utf8");
  } catch (error) {
    if (isErrno(error) && (error.code === "ENOENT" || error.code === "ESRCH")) return undefined;
    throw error;
  }
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(text);
  return match === null ? undefined : Number(match[1]) / 1024;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    if (isErrno(error) && error.code === "ESRCH") return false;
    throw error;
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await Bun.sleep(20);
  }
  return true;
}

function isErrno(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && "code" in error;
}

// --- `rushd status --json`, validated field by field (outside data: no casts) ---

function parseStatus(text: string): DaemonStatus {
  const json: unknown = JSON.parse(text);
  const root = record(json, "status");
  const reset = record(root.reset_us, "reset_us");
  const workers = root.workers;
  if (!Array.isArray(workers)) throw new Error("rushd status --json: 'workers' is not an array");
  return {
    pid: numberField(root, "pid"),
    mode: stringField(root, "mode"),
    workers: workers.map((worker: unknown) => {
      const fields = record(worker, "workers[]");
      return { pid: numberField(fields, "pid"), state: stringField(fields, "state"), requests: numberField(fields, "requests") };
    }),
    requestsTotal: numberField(root, "requests_total"),
    workersStarted: numberField(root, "workers_started"),
    resetsFailed: numberField(root, "resets_failed"),
    resetUs: { count: numberField(reset, "count"), p50: numberField(reset, "p50"), p99: numberField(reset, "p99"), max: numberField(reset, "max") },
  };
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error(`rushd status --json: '${what}' is not an object`);
  return Object.fromEntries(Object.entries(value));
}

function numberField(fields: Record<string, unknown>, key: string): number {
  const value = fields[key];
  if (typeof value !== "number") throw new Error(`rushd status --json: '${key}' is not a number`);
  return value;
}

function stringField(fields: Record<string, unknown>, key: string): string {
  const value = fields[key];
  if (typeof value !== "string") throw new Error(`rushd status --json: '${key}' is not a string`);
  return value;
}
