// Asynchronous lists (`cmd &`): run in a subshell of their own, recorded in
// the job table. Without job control their stdin is /dev/null (XCU 2.9.3.1).
// Like a forked subshell, a job has its own copies of the OS fds it starts
// with: `{ (sleep 1; echo hi) & } >f` writes hi to f after the group has
// closed its own f.
//
// Imports sibling executor modules.

import type { Subprocess } from "bun";
import type { Command } from "../ast.ts";
import type { Interp } from "./executor.ts";
import { closeOsFd, NULL_TARGET } from "./fds.ts";
import { SystemCallError } from "./errno.ts";
import { dupFd } from "./libc.ts";
import { yieldToEventLoop } from "./maybe.ts";
import { CancelToken } from "./session.ts";
import { signalNumber } from "./signals.ts";
import { ShellProcess } from "./shell-process.ts";

/**
 * Give the job's shell its own close-on-exec copy of each OS fd in its table
 * (one per OS fd, however many numbers name it), closed when the job ends.
 * Throws `SystemCallError` (EMFILE) with the copies made so far closed.
 */
function copyFds(child: Interp): void {
  const copies = new Map<number, number>();
  try {
    for (const [fd, target] of child.state.fds) {
      if (target.kind !== "os") continue;
      let copy = copies.get(target.fd);
      if (copy === undefined) {
        copy = dupFd(target.fd);
        copies.set(target.fd, copy);
      }
      child.state.fds.set(fd, { ...target, fd: copy });
    }
  } catch (error) {
    for (const copy of copies.values()) closeOsFd(copy);
    throw error;
  }
  for (const copy of copies.values()) child.ownedFds.add(copy);
}

/**
 * How many processes dash's job for the command has, as its `jobs` lists
 * them: a pipeline's stages. dash's parser keeps no node for `{ …; }` without
 * redirections, so a group holding only a pipeline is that pipeline; `!`
 * makes a pipeline one process.
 */
function dashStages(command: Command): number {
  let inner = command;
  while (inner.kind === "group" && inner.redirs.length === 0 && inner.body.items.length === 1 && inner.body.items[0]?.background === false) {
    inner = inner.body.items[0].command;
  }
  return inner.kind === "pipeline" && !inner.negated ? inner.commands.length : 1;
}

export function runBackground(interp: Interp, command: Command): void {
  const cancel = new CancelToken();
  const processes = new Set<Subprocess>();
  const child = interp.subshell(cancel, processes);
  // Before the command's own redirections, as dash's forkchild does: `cat <&0 &` copies /dev/null.
  child.state.fds.set(0, NULL_TARGET);
  let forkError: SystemCallError | undefined;
  try {
    copyFds(child);
  } catch (error) {
    if (!(error instanceof SystemCallError)) throw error;
    // As a fork that fails for want of resources: the job does not run (dash says "Cannot fork").
    forkError = error;
  }
  const jobs = interp.state.jobs;
  // One simple command starts at once (its pid is `$!`); anything else starts
  // after the current command, as a forked shell would let the parent go on.
  const isSimple = command.kind === "simple";
  let external: Subprocess | undefined;
  // The job's shell stands for a forked one: signals sent to it wait for its next command.
  child.process = new ShellProcess("job", interp.process?.ids);
  child.ownsProcess = true;
  const job = jobs.add(command.kind, dashStages(command), cancel, processes, child.state.traps, async () => {
    if (!isSimple) await yieldToEventLoop();
    if (forkError !== undefined) return interp.fail(`Cannot fork: ${forkError.description}`, 2);
    const status = await child.runAsSubshell(() => child.runCommand(command));
    // The job is its process: a signal that ended it ended the job.
    const code = external?.signalCode;
    if (code !== undefined && code !== null) job.signal = typeof code === "number" ? code : signalNumber(code);
    // An in-process job that `kill` ended (job.signal set there) died of that signal, whatever its last command did.
    return job.signal !== undefined ? 128 + job.signal : status;
  });
  job.inbox = child.process;
  // A job that is one external command started synchronously: `$!` is its real pid.
  const [first] = processes;
  if (isSimple && processes.size === 1 && first !== undefined) external = first;
  if (external !== undefined) {
    job.pid = external.pid;
    // Started: the process has its own fds, as the forked subshell that exec'd it would. Our copies
    // would keep the caller's stdout open until it exits (`rushd -c 'sleep 60 >/dev/null &' | cat`
    // would wait a minute).
    child.closeOwnedFds();
  } else {
    // A pipeline's earlier stages get pids of their own, for `jobs -l`; the job's is the last stage's.
    const earlier = Array.from({ length: job.stages - 1 }, () => interp.session.syntheticPids.take());
    job.pid = interp.session.syntheticPids.take();
    job.stagePids = [...earlier, job.pid];
    // It runs in this process, and goes on after the session ends (as a forked subshell outlives `sh -c`).
    interp.session.trackJob(job);
  }
  interp.state.lastBackgroundPid = job.pid;
}
