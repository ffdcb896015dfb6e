// One command of the library, on whatever runs it (a one-shot session on a
// pooled link, or a persistent session): output collection and caps,
// timeout and abort (a Cancel: the worker ends the whole process tree),
// and the result as the caller sees it.

import type { SessionIO, SessionResult } from "../worker-link.ts";
import { RushdAbortError, RushdProtocolError, RushdTimeoutError } from "./errors.ts";
import { decodeOutput, OutputCollector } from "./output.ts";
import type { RunOptions, RunResult } from "./run-options.ts";
import { stdinReader } from "./stdin-source.ts";

/** After a Cancel, how long the worker may take to report the killed command before the link is given up. */
const CANCEL_GRACE_MS = 10_000;

export interface CommandTarget {
  start(io: SessionIO): Promise<SessionResult>;
  /** End the command and its process tree; its result still comes. */
  cancel(reason: string): void;
  /** The worker did not answer a Cancel: drop the connection (the run then rejects). */
  abandon(): void;
  /** A signal for the shell and every process of the command's tree (spawn().kill). */
  signal(name: string): void;
}

export type AnyRunResult = RunResult<Uint8Array | string>;
export type SessionRunResult = AnyRunResult & { readonly sessionEnded: boolean };

/** A one-shot command (run, spawn). */
export function runCommand(target: CommandTarget, options: RunOptions): Promise<AnyRunResult> {
  return execute(target, options, false);
}

/** A command of a persistent session: its result also says whether the session's shell exited. */
export function runSessionCommand(target: CommandTarget, options: RunOptions): Promise<SessionRunResult> {
  return execute(target, options, true) as Promise<SessionRunResult>;
}

async function execute(target: CommandTarget, options: RunOptions, withSessionEnded: boolean): Promise<AnyRunResult> {
  const abort = options.signal;
  if (abort?.aborted === true) throw new RushdAbortError(abort.reason, undefined);
  const limit = options.maxOutputBytes ?? Number.POSITIVE_INFINITY;
  const stdout = new OutputCollector(limit);
  const stderr = new OutputCollector(limit);
  let timedOut = false;
  let aborted = false;
  let cancelled = false;
  let graceTimer: ReturnType<typeof setTimeout> | undefined;
  const cancel = (reason: string): void => {
    if (cancelled) return;
    cancelled = true;
    target.cancel(reason);
    graceTimer = setTimeout(() => target.abandon(), CANCEL_GRACE_MS);
  };
  const collect = (collector: OutputCollector) => (data: Uint8Array): void => {
    if (!collector.add(data) && options.onOutputLimit === "kill") cancel("output limit");
  };
  const io: SessionIO = {
    stdout: options.onStdout ?? collect(stdout),
    stderr: options.onStderr ?? collect(stderr),
    stdin: stdinReader(options.stdin),
    noStdin: options.stdin === undefined,
  };
  const timer = options.timeoutMs !== undefined && options.timeoutMs >= 0
    ? setTimeout(() => {
      timedOut = true;
      cancel("timeout");
    }, options.timeoutMs)
    : undefined;
  const onAbort = (): void => {
    aborted = true;
    cancel("abort");
  };
  abort?.addEventListener("abort", onAbort, { once: true });
  let outcome: SessionResult;
  try {
    outcome = await target.start(io);
  } catch (error) {
    throw libraryError(error);
  } finally {
    clearTimeout(timer);
    clearTimeout(graceTimer);
    abort?.removeEventListener("abort", onAbort);
  }
  const asText = options.encoding === "utf8";
  const built: { -readonly [K in keyof SessionRunResult]?: SessionRunResult[K] } = {
    status: outcome.status,
    signal: outcome.signal ?? (outcome.cancelled ? "SIGKILL" : null),
    stdout: asText ? decodeOutput(stdout.bytes()) : stdout.bytes(),
    stderr: asText ? decodeOutput(stderr.bytes()) : stderr.bytes(),
    durationUs: outcome.durationUs,
    timedOut: timedOut && outcome.cancelled,
    truncated: stdout.truncated || stderr.truncated,
  };
  // Only the fields each kind of result has (a spread to drop one would cost more than building it).
  if (withSessionEnded) built.sessionEnded = outcome.sessionEnded;
  if (outcome.stages !== undefined) built.stages = outcome.stages;
  const result = built as AnyRunResult; // every field of a RunResult is set above
  if (aborted && outcome.cancelled) throw new RushdAbortError(abort?.reason, result);
  if (result.timedOut && options.throwOnTimeout === true) throw new RushdTimeoutError(options.timeoutMs as number, result);
  return result;
}

/** What the client layer throws, as the library's own errors (protocol codes kept). */
export function libraryError(error: unknown): Error {
  if (!(error instanceof Error)) return new Error(String(error));
  const code = (error as { code?: unknown }).code;
  if ((error.name === "WorkerLostError" || error.name === "DaemonRequestError") && typeof code === "string") {
    return new RushdProtocolError(code, error.message, { cause: error });
  }
  return error;
}
