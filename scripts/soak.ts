// `bun scripts/soak.ts [--clients 100] [--requests 500] [--mode pool|fork]
//   [--kill-workers] [--lease-churn] [--minutes 10] [--workers 4] [--seed N]
//   [--request-timeout-s 60] [--verify-reset]`
//
// A soak of the real binary (not part of npm test): its own daemon on a
// private socket, N concurrent clients each running R mixed `rushd -c`
// requests whose stdout, stderr and status are checked exactly. Optionally
// SIGKILLs random workers every few hundred ms (--kill-workers) or retires
// workers after 3 leases (--lease-churn). Samples the daemon's and workers'
// RSS every second. Everything it starts is killed by pid at the end, on
// error and on Ctrl-C. Exits 1 on any false failure, crashed or hung
// client, or a daemon that died; requests lost to a worker kill are counted
// apart and do not fail the run.

import type { Subprocess } from "bun";
import { chmodSync, existsSync, mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { SoakDaemon, type SoakStatus } from "./soak/daemon.ts";
import { renderMemoryTable, sampleMemory, type MemorySample } from "./soak/memory.ts";
import { makeRequest, seededRandom, type Random } from "./soak/requests.ts";
import { judge, runClient, type ClientSetup } from "./soak/run-request.ts";
import { Tally } from "./soak/tally.ts";

const RUSHD = resolve(import.meta.dir, "..", "dist", "rushd");
const SAMPLE_EVERY_MS = 1000;
const PROGRESS_EVERY_MS = 10_000;
const KILL_EVERY_MS = { min: 200, max: 500 };
const LOG_LINES_ON_FAILURE = 30;

interface Plan {
  readonly clients: number;
  readonly requests: number;
  readonly mode: "pool" | "fork";
  readonly killWorkers: boolean;
  readonly leaseChurn: boolean;
  readonly minutes: number;
  readonly workers: number;
  readonly seed: number;
  readonly requestTimeoutS: number;
  readonly verifyReset: boolean;
}

function parsePlan(argv: readonly string[]): Plan {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      clients: { type: "string", default: "100" },
      requests: { type: "string", default: "500" },
      mode: { type: "string", default: "pool" },
      "kill-workers": { type: "boolean", default: false },
      "lease-churn": { type: "boolean", default: false },
      minutes: { type: "string", default: "10" },
      workers: { type: "string", default: "4" },
      seed: { type: "string", default: String(Date.now() % 1_000_000) },
      "request-timeout-s": { type: "string", default: "60" },
      "verify-reset": { type: "boolean", default: false },
    },
  });
  const count = (name: string, text: string, min: number): number => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} wants an integer of at least ${min}, not '${text}'`);
    return n;
  };
  const minutes = Number(values.minutes);
  if (!(minutes > 0)) throw new Error(`--minutes wants a positive number, not '${values.minutes}'`);
  if (values.mode !== "pool" && values.mode !== "fork") throw new Error(`--mode is pool or fork, not '${values.mode}'`);
  return {
    clients: count("clients", values.clients, 1),
    requests: count("requests", values.requests, 1),
    mode: values.mode,
    killWorkers: values["kill-workers"],
    leaseChurn: values["lease-churn"],
    minutes,
    workers: count("workers", values.workers, 1),
    seed: count("seed", values.seed, 0),
    requestTimeoutS: count("request-timeout-s", values["request-timeout-s"], 1),
    verifyReset: values["verify-reset"],
  };
}

function daemonArgv(plan: Plan): string[] {
  // Generous limits: the soak is about correct answers under load, not about 'busy' refusals.
  const argv = ["--mode", plan.mode, "--workers", String(plan.workers), "--max-connections", String(Math.max(100, plan.clients * 3)), "--max-queue", String(Math.max(100, plan.clients * 2))];
  if (plan.leaseChurn) argv.push("--max-requests-per-worker", "3");
  if (plan.verifyReset) argv.push("--verify-reset");
  return argv;
}

/** Shared between the client loops and the background loops. */
class Run {
  readonly startedAtMs = Date.now();
  readonly tally = new Tally();
  readonly memory: MemorySample[] = [];
  /** When the soak SIGKILLed a worker, ascending. */
  readonly killTimesMs: number[] = [];
  /** Why the run stopped early, if it did. */
  abortReason: string | undefined;
  finished = false;
  private markFinished: () => void = () => {};
  private readonly finishedEvent = new Promise<void>((resolve) => (this.markFinished = resolve));

  finish(): void {
    this.finished = true;
    this.markFinished();
  }

  /** Wait `ms`, or less if the run finishes meanwhile (the background loops end promptly). */
  async pause(ms: number): Promise<void> {
    await Promise.race([Bun.sleep(ms), this.finishedEvent]);
  }

  get elapsedS(): number {
    return (Date.now() - this.startedAtMs) / 1000;
  }

  /** Did a worker kill fall within [fromMs, toMs]? */
  killedBetween(fromMs: number, toMs: number): boolean {
    let low = 0;
    let high = this.killTimesMs.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((this.killTimesMs[middle] as number) < fromMs) low = middle + 1;
      else high = middle;
    }
    return low < this.killTimesMs.length && (this.killTimesMs[low] as number) <= toMs;
  }

  progress(line: string): void {
    process.stderr.write(`[${this.elapsedS.toFixed(1).padStart(6)} s] ${line}\n`);
  }
}

async function clientLoop(client: number, plan: Plan, run: Run, setup: ClientSetup, deadlineMs: number): Promise<void> {
  const random = seededRandom(plan.seed * 1_000_003 + client);
  for (let index = 0; index < plan.requests; index++) {
    if (run.abortReason !== undefined || Date.now() >= deadlineMs) {
      run.tally.notRun += plan.requests - index;
      return;
    }
    const request = makeRequest(client, index, random, setup.cwd);
    const result = await runClient(request, setup);
    run.tally.add(request, judge(request, result, run.killedBetween(result.startedAtMs, result.endedAtMs)));
  }
}

/** Every second: RSS of the daemon and its workers; a daemon that stops answering aborts the run. */
async function memoryLoop(daemon: SoakDaemon, run: Run): Promise<void> {
  while (!run.finished) {
    const status = await daemon.status();
    if (status === undefined) {
      if (!run.finished) run.abortReason ??= `the daemon stopped answering at ${run.elapsedS.toFixed(1)} s`;
      return;
    }
    run.memory.push(sampleMemory(Math.round(run.elapsedS), status));
    await run.pause(SAMPLE_EVERY_MS);
  }
}

async function killLoop(daemon: SoakDaemon, run: Run, random: Random): Promise<void> {
  while (!run.finished && run.abortReason === undefined) {
    await run.pause(KILL_EVERY_MS.min + random() * (KILL_EVERY_MS.max - KILL_EVERY_MS.min));
    const status = await daemon.status();
    const candidates = (status?.workerPids ?? []).filter((pid) => daemon.isOurWorker(pid));
    const victim = candidates[Math.floor(random() * candidates.length)];
    if (victim === undefined || run.finished) continue;
    run.killTimesMs.push(Date.now()); // before the kill: a client that ends right after it is covered
    try {
      process.kill(victim, "SIGKILL");
    } catch (error) {
      // It exited on its own since the status (fork mode workers live one session): no kill happened.
      if (!(error instanceof Error && "code" in error && error.code === "ESRCH")) throw error;
      run.killTimesMs.pop();
    }
  }
}

async function progressLoop(run: Run, total: number): Promise<void> {
  while (!run.finished) {
    await run.pause(PROGRESS_EVERY_MS);
    if (!run.finished) run.progress(`${run.tally.done}/${total}: ${run.tally.summaryLine()}; worker kills ${run.killTimesMs.length}`);
  }
}

function killLiveClients(live: Set<Subprocess>): number {
  let killed = 0;
  for (const child of live) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    child.kill("SIGKILL");
    killed++;
  }
  return killed;
}

function renderCounters(status: SoakStatus | undefined): string {
  if (status === undefined) return "daemon counters: the daemon did not answer at the end\n";
  return `daemon counters: requests ${status.requestsTotal}, workers started ${status.workersStarted}, replaced ${status.workersReplaced}, resets failed ${status.resetsFailed}\n`;
}

async function main(argv: readonly string[]): Promise<number> {
  const plan = parsePlan(argv);
  if (!existsSync(RUSHD)) throw new Error(`${RUSHD} is missing: run 'npm run build' first`);
  const dir = realpathSync(mkdtempSync(join(tmpdir(), "rushd-soak-")));
  chmodSync(dir, 0o700);
  const baseEnv = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: dir, LANG: "C" };
  const daemon = new SoakDaemon(RUSHD, dir, baseEnv);
  const live = new Set<Subprocess>();
  const run = new Run();
  const onSignal = (signal: NodeJS.Signals): void => {
    run.abortReason ??= `interrupted by ${signal}`;
    killLiveClients(live);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const cleanupNotes: string[] = [];
  let finalStatus: SoakStatus | undefined;
  let logTail = "";
  const total = plan.clients * plan.requests;
  try {
    await daemon.start(daemonArgv(plan));
    run.progress(`daemon pid ${daemon.pid} on ${daemon.socket} (${daemonArgv(plan).join(" ")}); ${plan.clients} clients × ${plan.requests} requests, seed ${plan.seed}`);
    const setup: ClientSetup = {
      rushd: RUSHD,
      // Auto-start off, so a dead daemon is not hidden by a new one; RUSHD_DEBUG makes the
      // client say on stderr when it ran in process instead, which fails the stderr check.
      env: { ...baseEnv, RUSHD_SOCKET: daemon.socket, RUSHD_AUTOSTART: "0", RUSHD_DEBUG: "1" },
      cwd: dir,
      timeoutMs: plan.requestTimeoutS * 1000,
      live,
    };
    const deadlineMs = run.startedAtMs + plan.minutes * 60_000;
    const background = [memoryLoop(daemon, run), progressLoop(run, total)];
    if (plan.killWorkers) background.push(killLoop(daemon, run, seededRandom(plan.seed + 7)));
    await Promise.all(Array.from({ length: plan.clients }, (_, client) => clientLoop(client, plan, run, setup, deadlineMs)));
    if (Date.now() >= deadlineMs && run.tally.notRun > 0) run.progress(`time cap of ${plan.minutes} min reached`);
    run.finish();
    await Promise.all(background);
    finalStatus = await daemon.status();
  } finally {
    run.finish();
    const stragglers = killLiveClients(live);
    if (stragglers > 0) cleanupNotes.push(`killed ${stragglers} client(s) still running`);
    logTail = daemon.logTail(LOG_LINES_ON_FAILURE);
    cleanupNotes.push(...(await daemon.stop()));
    rmSync(dir, { recursive: true, force: true });
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }

  const { tally } = run;
  const failedBecause = [
    tally.falseFailures > 0 ? `${tally.falseFailures} false failure(s)` : "",
    tally.count("client crashed") > 0 ? `${tally.count("client crashed")} crashed client(s)` : "",
    tally.count("client hung") > 0 ? `${tally.count("client hung")} hung client(s)` : "",
    run.abortReason ?? "",
  ].filter((reason) => reason !== "");
  process.stdout.write([
    `soak: bun scripts/soak.ts ${argv.join(" ")} (seed ${plan.seed})`,
    `mode ${plan.mode}, ${plan.workers} workers, ${plan.clients} clients × ${plan.requests} requests, kill-workers ${plan.killWorkers ? "on" : "off"}, lease-churn ${plan.leaseChurn ? "on" : "off"}; ${run.elapsedS.toFixed(1)} s`,
    "",
  ].join("\n"));
  process.stdout.write(tally.render());
  if (plan.killWorkers) process.stdout.write(`worker kills: ${run.killTimesMs.length}\n`);
  process.stdout.write(renderCounters(finalStatus));
  process.stdout.write(renderMemoryTable(run.memory));
  for (const note of cleanupNotes) process.stdout.write(`cleanup: ${note}\n`);
  if (failedBecause.length > 0 && logTail !== "") process.stdout.write(`${logTail}\n`);
  process.stdout.write(failedBecause.length === 0 ? "result: PASS\n" : `result: FAIL (${failedBecause.join("; ")})\n`);
  return failedBecause.length === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (status) => process.exit(status),
  (error: unknown) => {
    process.stderr.write(`soak: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(2);
  },
);
