// Integration harness: the real dist/rushd binary and a real daemon on a
// private socket per test. Everything started here is stopped in `stop()`.

import { afterAll, beforeAll } from "bun:test";
import { chmodSync, existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { isProcessAlive } from "../../src/common/process-alive.ts";

export const RUSHD = resolve(import.meta.dir, "../../dist/rushd");

if (!existsSync(RUSHD)) throw new Error(`${RUSHD} is missing: run \`npm run build\` first (npm test does)`);

export interface RunResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface BinaryRunResult extends RunResult {
  readonly stdoutBytes: Uint8Array;
}

export interface RunOptions {
  readonly stdin?: string | Uint8Array;
  readonly cwd?: string;
  readonly env?: Record<string, string>;
}

export interface WorkerInfo {
  readonly pid: number;
  readonly state: string;
  readonly requests: number;
}

export interface Status {
  readonly pid: number;
  readonly mode: string;
  readonly socket: string;
  readonly requests_total: number;
  readonly resets_failed: number;
  readonly workers: WorkerInfo[];
  readonly reset_us: { count: number; p50: number; p99: number; max: number };
  readonly [key: string]: unknown;
}

/** Run dist/rushd with args; resolves when it exits. */
export async function runRushd(args: readonly string[], env: Record<string, string>, options: RunOptions = {}): Promise<BinaryRunResult> {
  const child = Bun.spawn([RUSHD, ...args], {
    // As a user runs it from PATH: `$0` and the name in messages are "rushd" (the shell's own argv[0], as in dash).
    argv0: "rushd",
    cwd: options.cwd,
    env: { ...env, ...options.env },
    stdin: options.stdin === undefined ? "ignore" : typeof options.stdin === "string" ? new TextEncoder().encode(options.stdin) : options.stdin,
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdoutBytes, stderr, status] = await Promise.all([new Response(child.stdout).bytes(), new Response(child.stderr).text(), child.exited]);
  return { status, stdout: new TextDecoder().decode(stdoutBytes), stderr, stdoutBytes };
}

export class TestDaemon {
  readonly dir: string;
  readonly socket: string;
  readonly env: Record<string, string>;
  private daemonPid: number | undefined;
  private readonly seenPids = new Set<number>();

  constructor(readonly mode: "pool" | "fork", readonly extraArgs: readonly string[] = []) {
    this.dir = realpathSync(mkdtempSync(join(tmpdir(), "rushd-it-")));
    chmodSync(this.dir, 0o700);
    this.socket = join(this.dir, "d.sock");
    this.env = {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: this.dir,
      RUSHD_SOCKET: this.socket,
      RUSHD_AUTOSTART: "0", // a test must see a dead daemon, not a silent in-process run
    };
  }

  async start(): Promise<this> {
    const started = await runRushd(["start", "--mode", this.mode, "--workers", "2", "--verify-reset", ...this.extraArgs], this.env);
    if (started.status !== 0) throw new Error(`rushd start failed (${started.status}): ${started.stderr}`);
    this.daemonPid = Number.parseInt(readFileSync(`${this.socket}.pid`, "utf8"), 10);
    return this;
  }

  /** `rushd -c script [name args…]` through this daemon. */
  /** `rushd -c script [args…]`; the result has text stdout, or also the raw bytes with `binary: true`. */
  sh(script: string, options: RunOptions & { args?: readonly string[]; binary: true }): Promise<BinaryRunResult>;
  sh(script: string, options?: RunOptions & { args?: readonly string[] }): Promise<RunResult>;
  async sh(script: string, options: RunOptions & { args?: readonly string[]; binary?: boolean } = {}): Promise<RunResult> {
    return this.run(["-c", script, ...(options.args ?? [])], options, options.binary === true);
  }

  async run(args: readonly string[], options: RunOptions = {}, binary = false): Promise<BinaryRunResult | RunResult> {
    const result = await runRushd(args, this.env, options);
    return binary ? result : { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  async status(): Promise<Status> {
    const result = await runRushd(["status", "--json"], this.env);
    if (result.status !== 0) throw new Error(`rushd status failed (${result.status}): ${result.stderr}`);
    const status = JSON.parse(result.stdout) as Status;
    for (const worker of status.workers) this.seenPids.add(worker.pid);
    return status;
  }

  get pid(): number | undefined {
    return this.daemonPid;
  }

  /** Stop the daemon and make sure nothing it started survives. */
  async stop(): Promise<void> {
    if (existsSync(this.socket)) {
      try {
        await this.status(); // learn the current workers' pids
      } catch {
        // The daemon may already be gone (a test killed it); the pid sweep below still runs.
      }
      await runRushd(["stop"], this.env);
    }
    for (const pid of [this.daemonPid, ...this.seenPids]) {
      if (pid !== undefined && isProcessAlive(pid)) process.kill(pid, "SIGKILL");
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export { isProcessAlive as isAlive } from "../../src/common/process-alive.ts";

/** Hook timeouts: a daemon start or stop may take seconds on a loaded 2-core machine. */
export const DAEMON_HOOK_TIMEOUT_MS = 30_000;

/**
 * One daemon for the enclosing describe block (or file): started before its
 * tests, stopped (with everything it started) after them. Read it inside tests.
 */
export function useDaemon(mode: "pool" | "fork", extraArgs: readonly string[] = []): () => TestDaemon {
  let daemon: TestDaemon | undefined;
  beforeAll(async () => {
    daemon = await new TestDaemon(mode, extraArgs).start();
  }, DAEMON_HOOK_TIMEOUT_MS);
  afterAll(async () => {
    await daemon?.stop();
  }, DAEMON_HOOK_TIMEOUT_MS);
  return () => {
    if (daemon === undefined) throw new Error("the daemon is not started (useDaemon is read outside a test)");
    return daemon;
  };
}
