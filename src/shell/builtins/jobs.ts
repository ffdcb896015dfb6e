// `wait`, `jobs` and `kill`: the job table of background lists.

import type { Subprocess } from "bun";
import { isSyntheticPid, type Job } from "../exec/jobs.ts";
import { deathMessage, decodeSignal, endsByDefault, signalDescription, signalName, signalNumber } from "../exec/signals.ts";
import { then } from "../exec/maybe.ts";
import { afterWrite, type BuiltinContext, defineBuiltin, parseCount } from "./define.ts";
import { parseArgs } from "./args.ts";
import { type JobLookup, jobsByRecency, resolveJobSpec } from "./job-spec.ts";
import { isSystemError } from "../exec/errno.ts";

/** A pid operand (`wait 123`): the job whose process it is, if any. */
function jobOfPid(ctx: BuiltinContext, operand: string): Job | undefined {
  return ctx.interp.state.jobs.byPid(Number(operand));
}

/** A job's status, or 128+N if a signal reaches the shell first (its trap then runs). */
async function waitFor(ctx: BuiltinContext, job: Job): Promise<number> {
  const session = ctx.interp.session;
  const signal = session.nextSignal();
  try {
    const status = await Promise.race([job.done, signal.arrived.then(() => undefined)]);
    if (status !== undefined) return status;
    const name = session.pendingSignals[0]?.name ?? "SIGTERM";
    return 128 + (signalNumber(name) || 15);
  } finally {
    signal.cancel();
  }
}

export const wait = defineBuiltin({
  name: "wait",
  flags: {},
  async run(ctx, { operands }) {
    const jobs = ctx.interp.state.jobs;
    if (operands.length === 0) {
      for (const job of jobs.all()) {
        const status = await waitFor(ctx, job);
        if (job.status === undefined) return status;
        job.isNoticed = true;
        job.isWaited = true;
      }
      return 0;
    }
    // As dash's waitcmd: 127 until a job is found; a pid of no job leaves the status as it was.
    let status = 127;
    for (const operand of operands) {
      let job: Job | undefined;
      if (operand.startsWith("%")) {
        // As in dash, a job spec that names no job is an error that ends `wait` (status 2).
        const found = resolveJobSpec(jobs, operand);
        if ("error" in found) return ctx.fail(found.error, 2);
        job = found.job;
      } else {
        const pid = parseCount(operand);
        if (pid === undefined) return ctx.fail(`Illegal number: ${operand}`, 2);
        job = ctx.interp.state.jobs.byPid(pid);
      }
      if (job === undefined) continue;
      // A finished job stays known: waiting for it again gives its status again (dash).
      status = await waitFor(ctx, job);
      if (job.status === undefined) return status;
      job.isWaited = true;
      if (!job.isNoticed) {
        job.isNoticed = true;
        // dash announces a job a signal ended when `wait` is what reaps it.
        const message = job.signal === undefined ? undefined : deathMessage(job.signal);
        if (message !== undefined) await ctx.err(`${message}\n`);
      }
    }
    return status;
  },
});

/** A job's state as dash's `jobs` prints it (sprint_status): Running, Done, Done(N), or the signal. */
function describeJob(job: Job): string {
  if (job.status === undefined) return "Running";
  if (job.signal !== undefined) return signalDescription(job.signal);
  return job.status === 0 ? "Done" : `Done(${job.status})`;
}

/** Where dash's `jobs` starts the command text (none without job control): the state is padded to it. */
const JOBS_TEXT_COLUMN = 33;

/** dash's showjob pads with `%*c`: to the text column, and by one space at least. */
function padToText(line: string): string {
  return line + " ".repeat(Math.max(JOBS_TEXT_COLUMN - line.length, 1));
}

/** A job as dash's showjob prints it: `-l` gives one line per process, with its pid; else ` | ` per further stage. */
function showJob(job: Job, mark: string, withPids: boolean): string {
  const head = `[${job.id}] ${mark} `;
  const pids = job.stagePids.length > 0 ? job.stagePids : [job.pid];
  if (!withPids) return `${padToText(`${head}${describeJob(job)}`)}${" | ".repeat(job.stages - 1)}\n`;
  let text = padToText(`${head}${pids[0]} ${describeJob(job)}`);
  for (const pid of pids.slice(1)) text += ` |\n${padToText(`${" ".repeat(head.length)}${pid} `)}`;
  return `${text}\n`;
}

export const jobsBuiltin = defineBuiltin({
  name: "jobs",
  flags: { l: "flag", p: "flag" },
  run(ctx, args) {
    const table = ctx.interp.state.jobs;
    table.noticeFinished();
    // Most recent first, as dash walks its current-job list. `+` marks the current job and `-`
    // the previous one among the jobs still listed: a finished job is dropped once shown.
    const current = jobsByRecency(table);
    let order = [...current];
    if (args.operands.length > 0) {
      order = [];
      for (const operand of args.operands) {
        // dash's jobs takes job specs only: a pid, even a job's, names no job.
        const found: JobLookup = operand.startsWith("%") ? resolveJobSpec(table, operand) : { error: `No such job: ${operand}` };
        if ("error" in found) return ctx.fail(found.error, 2);
        order.push(found.job);
      }
    }
    let text = "";
    for (const job of order) {
      if (args.has("p")) text += `${job.stagePids[0] ?? job.pid}\n`;
      else text += showJob(job, current[0] === job ? "+" : current[1] === job ? "-" : " ", args.has("l"));
      const at = current.indexOf(job);
      if (job.status !== undefined && at >= 0) {
        current.splice(at, 1);
        table.remove(job);
      }
    }
    return afterWrite(ctx.out(text), 0);
  },
});


/** dash's kill gives strerror a newline of its own and sh_warnx adds one: a blank line follows. */
const NO_SUCH_PROCESS = "No such process\n";

/** Bun's `kill` takes only signals below 32; real-time ones go through process.kill while the child runs. */
function signalProcess(child: Subprocess, signal: number): void {
  if (signal < 32) child.kill(signal);
  else if (child.exitCode === null && child.signalCode === null) process.kill(child.pid, signal);
}

function sendSignal(ctx: BuiltinContext, target: string, signal: number): boolean {
  // `kill $$` in a script run as a new shell: that shell's own process.
  const own = ctx.interp.process?.ids === undefined ? undefined : ctx.interp.process;
  if (own !== undefined && Number(target) === own.ids?.pid) {
    if (signal !== 0) own.pending.push(signal);
    return true;
  }
  const job = /^[0-9]+$/.test(target) ? jobOfPid(ctx, target) : undefined;
  if (job !== undefined) {
    if (job.status !== undefined || signal === 0) return true;
    if (isSyntheticPid(job.pid)) {
      // The job stands for a forked subshell: unless it traps or ignores the signal
      // (a trap's action is not run there: only the main shell runs traps), it dies of
      // it at its next command, and its status says so.
      const name = signalName(signal);
      if (name !== undefined && job.traps.has(name)) {
        // Trapped there: the job's shell runs the action at its next command, as the forked one would.
        if (job.traps.get(name) !== "") job.inbox?.pending.push(signal);
        return true;
      }
      if (ctx.interp.session.ignoredOnEntry.has(signal) || !endsByDefault(signal)) return true;
      job.signal = signal;
      job.cancel.cancelled = true;
    }
    for (const child of job.processes) signalProcess(child, signal);
    return true;
  }
  if (!/^-?\d+$/.test(target)) return false;
  // `kill $$`: the shell lives inside a host process it must not kill; the signal goes to the shell itself.
  // `kill 0` and process groups would hit the host too: they also mean the shell itself here.
  if (Number(target) === ctx.interp.session.pid || Number(target) <= 0) {
    // A job that outlived its session (Shell.dispose): the shell `$$` named is gone, as after `sh -c` exited.
    if (ctx.interp.session.disposed) return Number(target) <= 0;
    if (signal !== 0) ctx.interp.session.signalShell(`SIG${signalName(signal) ?? "TERM"}`, signal);
    return true;
  }
  try {
    process.kill(Number(target), signal);
    return true;
  } catch (error) {
    if (isSystemError(error)) return false;
    throw error;
  }
}

/** dash's number(): a decimal operand, or an "Illegal number" error (status 2). */
function killNumber(ctx: BuiltinContext, text: string): number | undefined {
  const n = parseCount(text);
  if (n === undefined) ctx.fail(`Illegal number: ${text}`, 2);
  return n;
}

const KILL_USAGE = "Usage: kill [-s sigspec | -signum | -sigspec] [pid | job]... or\nkill -l [exitstatus]";

/** `kill`, parsed as dash's killcmd: `-signal` first, else the options `-l` and `-s`. */
export const kill = defineBuiltin({
  name: "kill",
  flags: null,
  run(ctx, { operands }) {
    let rest = operands;
    let signal: number | undefined;
    let isList = false;
    const first = rest[0];
    if (first === undefined) return ctx.fail(KILL_USAGE, 2);
    if (first.startsWith("-")) {
      signal = decodeSignal(first.slice(1), 1);
      if (signal === undefined) {
        const args = parseArgs(rest, { l: "flag", s: "value" });
        isList = args.has("l");
        const named = args.value("s");
        if (named !== undefined) {
          signal = decodeSignal(named, 1);
          if (signal === undefined) return ctx.fail(`invalid signal number or name: ${named}`, 2);
        }
        rest = args.operands;
      } else {
        rest = rest.slice(1);
      }
    }
    if (!isList && signal === undefined) signal = 15;
    if ((signal === undefined || rest.length === 0) !== isList) return ctx.fail(KILL_USAGE, 2);
    if (isList) {
      const operand = rest[0];
      if (operand === undefined) {
        let text = "0\n";
        for (let n = 1; signalName(n) !== undefined; n++) text += `${signalName(n)}\n`;
        return afterWrite(ctx.out(text), 0);
      }
      let n = killNumber(ctx, operand);
      if (n === undefined) return 2;
      // An exit status of a killed command ($? = 128+N) names its signal.
      if (n > 128) n -= 128;
      const name = n > 0 ? signalName(n) : undefined;
      if (name === undefined) return ctx.fail(`invalid signal number or exit status: ${operand}`, 2);
      return afterWrite(ctx.out(`${name}\n`), 0);
    }
    let status = 0;
    for (const target of rest) {
      if (target.startsWith("%")) {
        // dash signals a job's process group, and without job control (no terminal: always, for
        // it and here) a background job has none of its own: the kill fails, the job runs on.
        const found = resolveJobSpec(ctx.interp.state.jobs, target);
        if ("error" in found) return ctx.fail(found.error, 2);
        ctx.fail(NO_SUCH_PROCESS, 1);
        status = 1;
        continue;
      }
      const isGroup = target.startsWith("-");
      const pid = killNumber(ctx, isGroup ? target.slice(1) : target);
      if (pid === undefined) return 2;
      if (!sendSignal(ctx, `${isGroup ? "-" : ""}${pid}`, signal ?? 15)) {
        ctx.fail(NO_SUCH_PROCESS, 1);
        status = 1;
      }
    }
    // A signal to the shell itself is acted on when this command is over (simple.ts deliverAfter).
    return status;
  },
});
