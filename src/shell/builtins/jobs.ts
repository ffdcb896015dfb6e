// `wait`, `jobs` and `kill`: the job table of background lists.

import type { Job } from "../exec/jobs.ts";
import { lookupSignal, signalName } from "../exec/signals.ts";
import { then } from "../exec/maybe.ts";
import { afterWrite, type BuiltinContext, defineBuiltin } from "./define.ts";
import { parseArgs } from "./args.ts";
import { isSystemError } from "../exec/errno.ts";

function findJob(ctx: BuiltinContext, spec: string): Job | undefined {
  const jobs = ctx.interp.state.jobs;
  if (spec.startsWith("%")) {
    const id = spec === "%%" || spec === "%+" || spec === "%" ? Math.max(0, ...jobs.all().map((j) => j.id)) : Number(spec.slice(1));
    return jobs.byId(id);
  }
  return /^\d+$/.test(spec) ? jobs.byPid(Number(spec)) : undefined;
}

/** A job's status, or 128+N if a signal reaches the shell first (its trap then runs). */
async function waitFor(ctx: BuiltinContext, job: Job): Promise<number> {
  const session = ctx.interp.session;
  const signal = session.nextSignal();
  try {
    const status = await Promise.race([job.done, signal.arrived.then(() => undefined)]);
    if (status !== undefined) return status;
    const name = session.pendingSignals[0]?.name ?? "SIGTERM";
    return 128 + (lookupSignal(name) ?? 15);
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
      }
      return 0;
    }
    let status = 0;
    for (const operand of operands) {
      const job = findJob(ctx, operand);
      if (job === undefined) {
        status = 127;
        continue;
      }
      // A finished job stays known: waiting for it again gives its status again (dash).
      status = await waitFor(ctx, job);
      if (job.status === undefined) return status;
    }
    return status;
  },
});

export const jobsBuiltin = defineBuiltin({
  name: "jobs",
  flags: { l: "flag", p: "flag" },
  run(ctx, args) {
    const table = ctx.interp.state.jobs;
    let text = "";
    for (const job of table.all()) {
      if (args.has("p")) text += `${job.pid}\n`;
      else text += `[${job.id}]${args.has("l") ? ` ${job.pid}` : ""} ${job.status === undefined ? "Running" : `Done${job.status === 0 ? "" : `(${job.status})`}`}\n`;
      if (job.status !== undefined) table.remove(job);
    }
    return afterWrite(ctx.out(text), 0);
  },
});

function sendSignal(ctx: BuiltinContext, target: string, signal: number): boolean {
  const job = findJob(ctx, target);
  if (job !== undefined) {
    if (job.status !== undefined) return true;
    for (const child of job.processes) child.kill(signal);
    // The in-process part of the job stops at its next command, like a killed subshell.
    if (signal !== 0 && job.processes.size === 0) job.cancel.cancelled = true;
    return true;
  }
  if (!/^-?\d+$/.test(target)) return false;
  // `kill $$`: the shell lives inside a host process it must not kill; the signal goes to the shell itself.
  // `kill 0` and process groups would hit the host too: they also mean the shell itself here.
  if (Number(target) === ctx.interp.session.pid || Number(target) <= 0) {
    if (signal !== 0) {
      ctx.interp.session.pendingSignals.push({ name: `SIG${signalName(signal) ?? "TERM"}`, groupWide: false });
      ctx.interp.session.wakeSignalWaiters();
    }
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

export const kill = defineBuiltin({
  name: "kill",
  flags: null,
  run(ctx, { operands }) {
    // `kill -TERM pid` / `kill -9 pid`: a signal written as a flag, then getopt rules.
    let rest = operands;
    let signal = 15;
    const first = rest[0];
    if (first !== undefined && /^-[A-Z0-9]+$/i.test(first) && first !== "-l" && first !== "-s" && first !== "-n") {
      const n = lookupSignal(first.slice(1));
      if (n === undefined) return ctx.fail(`invalid signal: ${first.slice(1)}`, 2);
      signal = n;
      rest = rest.slice(1);
    }
    const args = parseArgs(rest, { l: "flag", s: "value", n: "value" });
    if (args.has("l")) {
      const status = args.operands[0];
      if (status !== undefined) return afterWrite(ctx.out(`${signalName(Number(status) & 127) ?? status}\n`), 0);
      const names: string[] = [];
      for (let n = 1; n < 65; n++) {
        const name = signalName(n);
        if (name !== undefined) names.push(name);
      }
      return afterWrite(ctx.out(`${names.join(" ")}\n`), 0);
    }
    const named = args.value("s") ?? args.value("n");
    if (named !== undefined) {
      const n = lookupSignal(named);
      if (n === undefined) return ctx.fail(`invalid signal: ${named}`, 2);
      signal = n;
    }
    if (args.operands.length === 0) return ctx.fail("usage: kill [-s sigspec | -signum] pid | jobspec ...", 2);
    let status = 0;
    for (const target of args.operands) {
      if (!sendSignal(ctx, target, signal)) {
        ctx.fail(`${target}: No such process`, 1);
        status = 1;
      }
    }
    // A signal to the shell itself is acted on at once, as the kernel would deliver it
    // (a trap then sees `$?` of this kill).
    ctx.interp.state.lastStatus = status;
    return then(ctx.interp.deliverSignals(), () => status);
  },
});
