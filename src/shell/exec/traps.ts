// Running trap actions: the EXIT trap at the end of a shell, and the traps
// of signals received while it runs (or the shell's death by them).
// Functions over the interpreter; executor.ts calls them at its checkpoints.

import { ReturnFlow, SignalDeathFlow } from "./control-flow.ts";
import type { Interp } from "./executor.ts";
import { recover, type Status, then, withCleanup } from "./maybe.ts";
import { withCommandName } from "./message-name.ts";
import { endsByDefault, signalName, signalNumber } from "./signals.ts";
import type { ShellProcess } from "./shell-process.ts";

/** Run the EXIT trap (once) with `$?` = status; resolves with the shell's final status. */
export function runExitTrap(interp: Interp, status: number): Status {
  const action = interp.state.traps.get("EXIT");
  if (action === undefined) return status;
  interp.state.traps.delete("EXIT");
  interp.state.lastStatus = status;
  // `exit N` inside the trap sets the final status; otherwise it is kept (`return` only ends the action, as in dash).
  return recover(
    // dash's EXIT trap names no eval or `.` it may have been set in.
    () => then(withCommandName(interp, undefined, () => runTrapAction(interp, action, status)), () => status),
    (error) => {
      if (error instanceof ReturnFlow) return status;
      // `exit N`, or a broken pipe (141) when the action writes to a reader that is gone.
      return interp.exitStatusOf(error);
    },
  );
}

/** Act on pending signals: run their traps in the main shell, or end the shell of a signal it does not trap. */
export function handleSignals(interp: Interp): void | Promise<void> {
  if (interp.isRoot) return runSignalTraps(interp);
  // A subshell stands for a child process: a signal sent to `$$` is not its
  // own, but one sent to the whole group kills it unless it ignores it.
  // The main shell still handles the signal afterwards.
  if (interp.jobProcesses !== null) return;
  for (const pending of interp.session.pendingSignals) {
    if (endsSubshell(interp, pending)) throw dieOf(interp, signalNumber(pending.name));
  }
}

type PendingSignal = Interp["session"]["pendingSignals"][number];

/** Does this pending signal end a subshell (not a background job's) by its default action: sent to the whole group, not ignored? */
function endsSubshell(interp: Interp, { name, groupWide }: PendingSignal): boolean {
  const signal = signalNumber(name);
  return groupWide && endsByDefault(signal) && !interp.session.ignoredOnEntry.has(signal) && interp.state.traps.get(name.replace(/^SIG/, "")) !== "";
}

/** Does this signal end the main shell by its default action: not ignored on entry, no trap for it? */
export function endsMainShell(interp: Interp, name: string): boolean {
  const signal = signalNumber(name);
  return !interp.session.ignoredOnEntry.has(signal) && interp.state.traps.get(name.replace(/^SIG/, "")) === undefined && endsByDefault(signal);
}

/** The (sub)shell ends as the signal's default action would end it: no EXIT trap. */
function dieOf(interp: Interp, signal: number): SignalDeathFlow {
  interp.state.traps.delete("EXIT");
  // The session's own shell: the embedding can say which signal ended it (Shell.terminatingSignal).
  if (interp.isRoot) interp.session.terminatingSignal = signal;
  return new SignalDeathFlow(signal);
}

/** A script shell's own signals (`kill $$` in a script without #!): its traps run, or it dies, as a process would. */
export async function handleProcessSignals(interp: Interp, process: ShellProcess): Promise<void> {
  for (let signal = process.pending.shift(); signal !== undefined; signal = process.pending.shift()) {
    if (interp.session.ignoredOnEntry.has(signal)) continue;
    const action = interp.state.traps.get(signalName(signal) ?? "");
    if (action === "") continue;
    if (action === undefined) {
      if (!endsByDefault(signal)) continue;
      process.diedOf = signal;
      throw dieOf(interp, signal);
    }
    const saved = interp.state.lastStatus;
    await runTrapAction(interp, action, saved);
    interp.state.lastStatus = saved;
  }
}

async function runSignalTraps(interp: Interp): Promise<void> {
  const signals = interp.session.pendingSignals.splice(0);
  for (const pending of signals) {
    if (endsMainShell(interp, pending.name)) throw dieOf(interp, signalNumber(pending.name));
    const short = pending.name.replace(/^SIG/, "");
    // Ignored on entry: whatever `trap` recorded, the signal does nothing (XCU 2.11).
    if (interp.session.ignoredOnEntry.has(signalNumber(short))) continue;
    const action = interp.state.traps.get(short);
    if (action === undefined || action === "") continue; // no trap: its default does not end the shell
    const saved = interp.state.lastStatus;
    // A signal's trap runs in the text it interrupted: its messages name that eval or `.`,
    // even when the signal arrived inside a builtin (`kill -USR1 $$` in an eval).
    await withCommandName(interp, interp.sourceName, () => runTrapAction(interp, action, saved));
    interp.state.lastStatus = saved;
  }
}

/** Run a trap action; a bare `exit` in it uses `status`, the `$?` from before the trap (XCU `exit`). */
function runTrapAction(interp: Interp, action: string, status: number): Status {
  const outer = interp.state.statusBeforeTrap;
  interp.state.statusBeforeTrap = status;
  return withCleanup(
    () => interp.runSource(action),
    () => {
      interp.state.statusBeforeTrap = outer;
    },
  );
}

/**
 * The death a pending signal brings now, if one would end this (sub)shell
 * by its default action (no trap, not ignored), as handleSignals would
 * decide; else undefined. For a write that waits on a full pipe: dash's
 * write(2) is interrupted and the process killed by such a signal, while a
 * trapped one lets the write go on (its trap runs after the command).
 * Returns the flow to throw: the shell is dying (its EXIT trap is dropped).
 */
export function fatalPendingSignal(interp: Interp): SignalDeathFlow | undefined {
  const fatal = pendingFatalSignal(interp);
  return fatal === undefined ? undefined : dieOf(interp, signalNumber(fatal.name));
}

/** Is a pending signal about to end this (sub)shell by its default action? A question only: nothing changes. */
export function isEndingBySignal(interp: Interp): boolean {
  return pendingFatalSignal(interp) !== undefined;
}

function pendingFatalSignal(interp: Interp): PendingSignal | undefined {
  if (!interp.isRoot && interp.jobProcesses !== null) return undefined;
  return interp.session.pendingSignals.find((pending) => (interp.isRoot ? endsMainShell(interp, pending.name) : endsSubshell(interp, pending)));
}
