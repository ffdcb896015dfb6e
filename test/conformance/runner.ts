// Runs conformance cases through the interpreter in a small pool of child
// processes (case-worker.ts), each case in a fresh temp dir with the corpus's
// fixed environment and a time limit. Used by conformance.test.ts.

import type { Subprocess } from "bun";
import { mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { WorkerReply, WorkerRequest } from "./case-worker.ts";
import { type Case, caseEnv, type Outcome } from "./corpus.ts";

const WORKER = join(import.meta.dir, "case-worker.ts");

export type RunResult =
  | { readonly kind: "done"; readonly outcome: Outcome; readonly stderrText: string }
  | { readonly kind: "failed"; readonly reason: string }; // timed out, worker died, interpreter threw

interface Pending {
  readonly id: number;
  readonly resolve: (result: RunResult) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

class WorkerSlot {
  private child: Subprocess | undefined;
  private pending: Pending | undefined;
  private nextId = 0;

  run(script: string, cwd: string, timeoutMs: number): Promise<RunResult> {
    const child = this.child ?? this.spawn();
    const id = this.nextId++;
    return new Promise<RunResult>((resolve) => {
      const timer = setTimeout(() => {
        this.finish(id, { kind: "failed", reason: `timed out after ${timeoutMs} ms` });
        this.kill();
      }, timeoutMs);
      this.pending = { id, resolve, timer };
      const request: WorkerRequest = { id, script, cwd, env: caseEnv(cwd) };
      child.send(request);
    });
  }

  private spawn(): Subprocess {
    const child = Bun.spawn([process.execPath, WORKER], {
      cwd: tmpdir(),
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin" },
      stdin: "ignore",
      stdout: "ignore",
      stderr: "ignore",
      ipc: (message: unknown) => this.onMessage(message),
      onExit: (proc, exitCode, signalCode) => {
        if (this.child === proc) this.child = undefined;
        const pending = this.pending;
        if (pending !== undefined) this.finish(pending.id, { kind: "failed", reason: `the interpreter's process died (${signalCode ?? `exit ${exitCode}`})` });
      },
    });
    this.child = child;
    return child;
  }

  private onMessage(message: unknown): void {
    if (!isReply(message)) throw new Error(`conformance runner: bad reply from case-worker: ${JSON.stringify(message)}`);
    const reply = message;
    if (reply.kind === "done") {
      this.finish(reply.id, { kind: "done", outcome: { stdout: reply.stdout, stderr: reply.stderr.length > 0, status: reply.status }, stderrText: reply.stderr });
    } else {
      this.finish(reply.id, { kind: "failed", reason: `the interpreter threw: ${reply.message}` });
    }
  }

  private finish(id: number, result: RunResult): void {
    const pending = this.pending;
    if (pending === undefined || pending.id !== id) return; // a late answer for a case already given up on
    this.pending = undefined;
    clearTimeout(pending.timer);
    pending.resolve(result);
  }

  kill(): void {
    const child = this.child;
    this.child = undefined;
    child?.kill("SIGKILL");
  }
}

function isReply(value: unknown): value is WorkerReply {
  if (typeof value !== "object" || value === null) return false;
  const record = value as Record<string, unknown>;
  if (typeof record.id !== "number") return false;
  if (record.kind === "threw") return typeof record.message === "string";
  return record.kind === "done" && typeof record.stdout === "string" && typeof record.stderr === "string" && typeof record.status === "number";
}

export class CasePool {
  private readonly slots: WorkerSlot[];

  constructor(size: number, private readonly timeoutMs: number) {
    this.slots = Array.from({ length: size }, () => new WorkerSlot());
  }

  /** Run all cases, at most one per worker at a time; results keyed `group/name`. */
  async runAll(cases: readonly Case[], onResult?: (testCase: Case, result: RunResult) => void): Promise<Map<string, RunResult>> {
    const results = new Map<string, RunResult>();
    let next = 0;
    const drive = async (slot: WorkerSlot): Promise<void> => {
      for (;;) {
        const testCase = cases[next++];
        if (testCase === undefined) return;
        const dir = realpathSync(mkdtempSync(join(tmpdir(), "rushd-conf-")));
        try {
          const result = await slot.run(testCase.script, dir, this.timeoutMs);
          results.set(`${testCase.group}/${testCase.name}`, result);
          onResult?.(testCase, result);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }
    };
    await Promise.all(this.slots.map(drive));
    return results;
  }

  close(): void {
    for (const slot of this.slots) slot.kill();
  }
}
