// One soak request: run `dist/rushd ARGV` as a real client process, then
// judge what it printed against what the request expects. Every client it
// starts is registered in `live` so the soak can kill stragglers by pid.

import type { Subprocess } from "bun";
import type { SoakRequest } from "./requests.ts";

export interface ClientRun {
  readonly startedAtMs: number;
  readonly endedAtMs: number;
  /** Null when a signal ended the client. */
  readonly status: number | null;
  readonly signal: string | null;
  readonly stdout: Uint8Array;
  readonly stderr: string;
  /** We killed it for running past the per-request limit. */
  readonly timedOut: boolean;
}

export type Verdict =
  | { readonly kind: "ok" }
  | { readonly kind: "wrong status" | "wrong stdout" | "wrong stderr" | "client crashed" | "client hung"; readonly detail: string }
  /** Correct, and run by the client itself: no worker was free (rushd -c does not queue; RUSHD_DEBUG says so). */
  | { readonly kind: "ok in process" }
  | { readonly kind: "lost to a kill" };

export const VERDICT_KINDS = ["ok", "ok in process", "wrong status", "wrong stdout", "wrong stderr", "lost to a kill", "client crashed", "client hung"] as const;
/** The verdicts that are the daemon's fault (false failures): a soak with any fails. */
export const FALSE_FAILURES: ReadonlySet<string> = new Set(["wrong status", "wrong stdout", "wrong stderr"]);

/** The client's status when its worker or daemon connection was lost (src/client/run-command.ts). */
const EXIT_CONNECTION_LOST = 255;
/** The CLI's status for an internal error (src/cli/main.ts). */
const EXIT_INTERNAL_ERROR = 70;

export interface ClientSetup {
  readonly rushd: string;
  readonly env: Record<string, string>;
  readonly cwd: string;
  readonly timeoutMs: number;
  readonly live: Set<Subprocess>;
}

export async function runClient(request: SoakRequest, setup: ClientSetup): Promise<ClientRun> {
  const startedAtMs = Date.now();
  const child = Bun.spawn([setup.rushd, ...request.argv], {
    cwd: setup.cwd,
    env: setup.env,
    stdin: request.stdin ?? "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  setup.live.add(child);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, setup.timeoutMs);
  try {
    const stdout = new Response(child.stdout).bytes();
    const stderr = new Response(child.stderr).text();
    await child.exited;
    return { startedAtMs, endedAtMs: Date.now(), status: child.exitCode, signal: child.signalCode === null ? null : String(child.signalCode), stdout: await stdout, stderr: await stderr, timedOut };
  } finally {
    clearTimeout(timer);
    setup.live.delete(child);
  }
}

/** RUSHD_DEBUG's line when the daemon had no worker free for a client that does not wait (BUSY). */
const IN_PROCESS_FOR_BUSY = /^rushd: (?:no worker free now|busy|too many connections)[^\n]*; running the command in process\n/;

/** `killedDuring`: the soak SIGKILLed a worker while this client ran. */
export function judge(request: SoakRequest, clientRun: ClientRun, killedDuring: boolean): Verdict {
  let run = clientRun;
  if (run.timedOut) return { kind: "client hung", detail: `no exit after the per-request limit; stderr ${quote(run.stderr)}` };
  if (run.status === null) return { kind: "client crashed", detail: `killed by ${run.signal ?? "a signal"}; stderr ${quote(run.stderr)}` };
  if (run.status === EXIT_INTERNAL_ERROR && run.stderr.includes("internal error")) return { kind: "client crashed", detail: quote(run.stderr) };
  if (killedDuring && run.status === EXIT_CONNECTION_LOST && run.stderr.includes("worker")) return { kind: "lost to a kill" };
  const { expected } = request;
  // A dead or unreachable daemon is still a failure: only a refusal for want of a free worker counts.
  const inProcess = IN_PROCESS_FOR_BUSY.exec(run.stderr);
  if (inProcess !== null) run = { ...run, stderr: run.stderr.slice(inProcess[0].length) };
  if (run.status !== expected.status) return { kind: "wrong status", detail: `status ${run.status}, want ${expected.status}; stderr ${quote(run.stderr)}` };
  if (!sameBytes(run.stdout, expected.stdout)) return { kind: "wrong stdout", detail: describeBytesMismatch(run.stdout, expected.stdout) };
  if (run.stderr !== expected.stderr) return { kind: "wrong stderr", detail: `stderr ${quote(run.stderr)}, want ${quote(expected.stderr)}` };
  return inProcess !== null ? { kind: "ok in process" } : { kind: "ok" };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

function describeBytesMismatch(got: Uint8Array, want: Uint8Array): string {
  let at = 0;
  while (at < got.length && at < want.length && got[at] === want[at]) at++;
  const around = (bytes: Uint8Array): string => quote(new TextDecoder().decode(bytes.subarray(Math.max(0, at - 10), at + 30)));
  return `${got.length} bytes, want ${want.length}; first difference at byte ${at}: got ${around(got)}, want ${around(want)}`;
}

function quote(text: string, limit = 160): string {
  const json = JSON.stringify(text);
  return json.length > limit ? `${json.slice(0, limit)}…(${text.length} chars)` : json;
}
