// A child process of the conformance runner: runs case scripts through the
// Shell API (the interpreter in this process, no daemon), one at a time, and
// answers over IPC.
//
// Why a child and not the test process itself: a script may reach the real
// process (`kill -USR1 $$`, `ulimit`), and a hung script must be killable.
// A crash or a hang here costs one case, never the test run.

import { Shell } from "../../src/shell/index.ts";
import type { OutputSink } from "../../src/shell/index.ts";

export interface WorkerRequest {
  readonly id: number;
  readonly script: string;
  readonly cwd: string;
  readonly env: Record<string, string>;
}

export type WorkerReply =
  | { readonly id: number; readonly kind: "done"; readonly stdout: string; readonly stderr: string; readonly status: number }
  | { readonly id: number; readonly kind: "threw"; readonly message: string };

class Capture implements OutputSink {
  private readonly chunks: Uint8Array[] = [];
  write(chunk: Uint8Array): void {
    this.chunks.push(chunk.slice());
  }
  text(): string {
    return new TextDecoder().decode(Buffer.concat(this.chunks));
  }
}

async function runCase(request: WorkerRequest): Promise<WorkerReply> {
  const stdout = new Capture();
  const stderr = new Capture();
  // The umask is this process's, as in a worker (WorkerState): files the shell creates and
  // the commands it starts get the session's mask. Each case starts from 022 and the mask
  // is put back after it (cases run one at a time in this process).
  process.umask(0o022);
  const shell = new Shell({
    argv0: "sh",
    args: [],
    cwd: request.cwd,
    env: request.env,
    stdin: { kind: "null" },
    stdout: { kind: "sink", sink: stdout },
    stderr: { kind: "sink", sink: stderr },
    host: {
      getUmask: () => process.umask(),
      setUmask: (next) => {
        process.umask(next);
      },
    },
  });
  try {
    const status = await shell.run(request.script);
    return { id: request.id, kind: "done", stdout: stdout.text(), stderr: stderr.text(), status };
  } catch (error) {
    return { id: request.id, kind: "threw", message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  } finally {
    await shell.dispose();
    process.umask(0o022);
  }
}

function isRequest(value: unknown): value is WorkerRequest {
  if (typeof value !== "object" || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record.id === "number" && typeof record.script === "string" && typeof record.cwd === "string" && typeof record.env === "object";
}

if (import.meta.main) {
  const send = process.send?.bind(process);
  if (send === undefined) throw new Error("case-worker.ts runs only as an IPC child of the conformance runner");
  process.on("message", (message: unknown) => {
    if (!isRequest(message)) throw new Error(`case-worker: bad request ${JSON.stringify(message)}`);
    void runCase(message).then(send);
  });
}
