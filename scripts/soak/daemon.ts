// The soak's own daemon, on a private socket, driven through the real
// executable (`rushd start|status --json|stop`). It remembers every pid it
// was told about, so stop() can SIGKILL whatever outlives `rushd stop`; a
// pid is killed only if /proc still shows it to be this daemon's (pids are
// reused).

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { isProcessAlive } from "../../src/common/process-alive.ts";
import { until } from "../../src/common/until.ts";

export interface SoakStatus {
  readonly pid: number;
  readonly workerPids: readonly number[];
  readonly requestsTotal: number;
  readonly workersStarted: number;
  readonly workersReplaced: number;
  readonly resetsFailed: number;
}

export class SoakDaemon {
  readonly socket: string;
  private daemonPid: number | undefined;
  private readonly workerPids = new Set<number>();

  constructor(readonly rushd: string, readonly dir: string, readonly env: Record<string, string>) {
    this.socket = join(dir, "soak.sock");
  }

  get pid(): number | undefined {
    return this.daemonPid;
  }

  async start(daemonArgv: readonly string[]): Promise<void> {
    const started = await this.control(["start", ...daemonArgv]);
    if (started.status !== 0) throw new Error(`rushd start failed (status ${started.status}): ${started.stderr.trim()}${this.logTail()}`);
    this.daemonPid = Number.parseInt(readFileSync(`${this.socket}.pid`, "utf8"), 10);
  }

  /** The daemon's report, or undefined when none answers (`status --json` exits 3 or 4). */
  async status(): Promise<SoakStatus | undefined> {
    const result = await this.control(["status", "--json"]);
    if (result.status !== 0) return undefined;
    const status = parseStatus(result.stdout);
    for (const pid of status.workerPids) this.workerPids.add(pid);
    return status;
  }

  /** Is this pid one of our daemon's workers now? (Its command line names our socket.) */
  isOurWorker(pid: number): boolean {
    let commandLine: string;
    try {
      commandLine = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    } catch (error) {
      if (error instanceof Error && "code" in error && (error.code === "ENOENT" || error.code === "ESRCH")) return false;
      throw error;
    }
    return commandLine.includes("__worker") && commandLine.includes(`${this.socket}.`);
  }

  /** `rushd stop`, then SIGKILL the daemon and any worker that outlived it. Returns what it had to do by force. */
  async stop(): Promise<string[]> {
    const problems: string[] = [];
    const stopped = await this.control(["stop"]);
    if (stopped.status !== 0) problems.push(`rushd stop failed (status ${stopped.status}): ${stopped.stderr.trim()}`);
    const daemonPid = this.daemonPid;
    if (daemonPid !== undefined && isProcessAlive(daemonPid) && this.isOurDaemon(daemonPid)) {
      problems.push(`the daemon (pid ${daemonPid}) outlived 'rushd stop'; killed it`);
      process.kill(daemonPid, "SIGKILL");
    }
    // Workers leave once their daemon is gone; give them the time a stop takes, then force.
    const ours = (): number[] => [...this.workerPids].filter((pid) => this.isOurWorker(pid));
    await until(() => ours().length === 0, { timeoutMs: 5_000, what: "the workers to exit" }).catch((error: unknown) => {
      if (!(error instanceof Error)) throw error;
      for (const pid of ours()) {
        problems.push(`worker ${pid} outlived its daemon; killed it`);
        process.kill(pid, "SIGKILL");
      }
    });
    return problems;
  }

  logTail(lines = 10): string {
    try {
      const tail = readFileSync(`${this.socket}.log`, "utf8").trimEnd().split("\n").slice(-lines);
      return `\n--- ${this.socket}.log ---\n${tail.join("\n")}`;
    } catch (error) {
      if (error instanceof Error && "code" in error && error.code === "ENOENT") return "";
      throw error;
    }
  }

  private isOurDaemon(pid: number): boolean {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(this.socket);
    } catch (error) {
      if (error instanceof Error && "code" in error && (error.code === "ENOENT" || error.code === "ESRCH")) return false;
      throw error;
    }
  }

  private async control(argv: readonly string[]): Promise<{ status: number; stdout: string; stderr: string }> {
    const child = Bun.spawn([this.rushd, ...argv, "--socket", this.socket], { env: this.env, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
    const [stdout, stderr, status] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
    return { status, stdout, stderr };
  }
}

/** VmRSS of a process in KiB, or undefined if it is gone. */
export function rssKb(pid: number): number | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, "utf8");
  } catch (error) {
    if (error instanceof Error && "code" in error && (error.code === "ENOENT" || error.code === "ESRCH")) return undefined;
    throw error;
  }
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(text);
  return match === null ? undefined : Number(match[1]);
}

function parseStatus(json: string): SoakStatus {
  const report: unknown = JSON.parse(json);
  if (typeof report !== "object" || report === null) throw new Error(`rushd status --json printed no object: ${json.slice(0, 200)}`);
  const field = (name: string): number => {
    const value: unknown = (report as Record<string, unknown>)[name];
    if (typeof value !== "number") throw new Error(`rushd status --json: ${name} is not a number`);
    return value;
  };
  const workers: unknown = (report as Record<string, unknown>).workers;
  if (!Array.isArray(workers)) throw new Error("rushd status --json: workers is not a list");
  const workerPids = workers.map((worker: unknown) => {
    const pid: unknown = typeof worker === "object" && worker !== null ? (worker as Record<string, unknown>).pid : undefined;
    if (typeof pid !== "number") throw new Error("rushd status --json: a worker has no pid");
    return pid;
  });
  return {
    pid: field("pid"),
    workerPids,
    requestsTotal: field("requests_total"),
    workersStarted: field("workers_started"),
    workersReplaced: field("workers_replaced"),
    resetsFailed: field("resets_failed"),
  };
}
