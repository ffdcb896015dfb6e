// Simple commands (XCU 2.9.1): expand words, then redirections and
// assignments, then find the command — special builtin, function, builtin,
// external (PATH) — and run it.
//
// Imports the builtin registry, expansion and sibling executor modules.

import type { Assign, Command, SimpleCommand, Word } from "../ast.ts";
import { parsePromptText, ShellSyntaxError } from "../parser/index.ts";
import { builtins } from "../builtins/index.ts";
import { runBuiltin } from "../builtins/define.ts";
import { DeferredErrorFlow, ErrorFlow, ReturnFlow } from "./control-flow.ts";
import type { Interp } from "./executor.ts";
import { type Maybe, recover, type Status, then, withCleanup } from "./maybe.ts";
import { type AppliedRedirects, applyRedirects, reportRedirectError, withRedirects } from "./redirect.ts";
import { closeOsFd } from "./fds.ts";
import type { Variable } from "./vars.ts";
import { type Assignment, type AssignmentScope, fatalExpansionError, withPrefixAssignments } from "./prefix-assignments.ts";
import { popLocalFrame, pushLocalFrame } from "./local-frame.ts";
import { runViaCommand } from "./via-command.ts";
import { inDashOrder } from "./env-order.ts";

export function runSimple(interp: Interp, command: SimpleCommand): Status {
  interp.currentLine = command.start.line;
  interp.substitutionStatus = undefined;
  const status = recover(
    () => {
      if (command.words.length === 0) return runAssignmentsOnly(interp, command);
      return then(interp.expandWords(command.words, true), (argv) => (argv.length === 0 ? runAssignmentsOnly(interp, command) : runArgv(interp, command, argv)));
    },
    (error) => fatalExpansionError(interp, error),
  );
  return then(status, (done) => (hasPendingSignals(interp) ? deliverAfter(interp, done) : done));
}

/**
 * A signal that came during the command (`kill -USR1 $$`) is acted on once it
 * is over, its redirections undone, as dash's evaltree runs dotrap after each
 * command: `kill -USR1 $$ 2>&1` does not send the trap's errors to stdout.
 * The trap sees the command's status as `$?`.
 */
function hasPendingSignals(interp: Interp): boolean {
  const own = interp.ownsProcess ? interp.process : undefined;
  return interp.session.pendingSignals.length > 0 || (own !== undefined && own.pending.length > 0);
}

function deliverAfter(interp: Interp, status: number): Status {
  interp.state.lastStatus = status;
  return then(interp.deliverSignals(), () => status);
}

/**
 * `x=1 y=$x` or `>file`: each assignment is made before the next is expanded;
 * status is that of the last command substitution. As in dash, the
 * redirections are in place while the values expand (`x=$(cat) <<EOF`), and
 * `set -x` prints one line once all are made (`+ ` alone for `>file`), on
 * the fd 2 from before the redirections.
 */
function runAssignmentsOnly(interp: Interp, command: SimpleCommand): Status {
  const stderr = interp.fd(2);
  const made: Assignment[] = [];
  const assign = () =>
    then(assignInOrder(interp, command.assigns, 0, made), () => {
      const status = interp.substitutionStatus ?? 0;
      return interp.state.options.xtrace ? then(trace(interp, made, [], stderr), () => status) : status;
    });
  if (command.redirs.length === 0) return assign();
  // An error is reported inside the redirections, as dash does (`2>/dev/null` hides it).
  return withRedirects(interp, command.redirs, () => recover(assign, (error) => fatalExpansionError(interp, error)));
}

function assignInOrder(interp: Interp, assigns: readonly Assign[], index: number, made: Assignment[]): Maybe<void> {
  for (let i = index; i < assigns.length; i++) {
    const assign = assigns[i];
    if (assign === undefined) continue;
    const value = interp.expandText(assign.value);
    if (value instanceof Promise) return value.then((v) => assignOne(interp, assign, v, made)).then(() => assignInOrder(interp, assigns, i + 1, made));
    assignOne(interp, assign, value, made);
  }
}

function assignOne(interp: Interp, assign: Assign, value: string, made: Assignment[]): void {
  const full = assign.append ? (interp.get(assign.name) ?? "") + value : value;
  interp.setVar(assign.name, full);
  made.push([assign.name, full]);
}

/**
 * `set -x`: PS4, then the expanded words as dash prints them (unquoted), on
 * the fd 2 the command had before its own redirections (`set -x; cmd
 * 2>/dev/null` still traces).
 */
function trace(interp: Interp, assignments: readonly Assignment[], argv: readonly string[], stderr = interp.fd(2)): Maybe<void> {
  const state = interp.state;
  if (state.isExpandingPs4) return;
  const words = [...assignments.map(([name, value]) => `${name}=${value}`), ...argv];
  state.isExpandingPs4 = true;
  const prefix = withCleanup(
    () => expandPs4(interp),
    () => {
      state.isExpandingPs4 = false;
    },
  );
  return then(prefix, (text) => interp.writeStderr(`${text}${words.join(" ")}\n`, stderr));
}

/**
 * PS4 expanded each time, as dash's expandstr does (`PS4='+$x '` shows x's
 * value now, `$?` is the status before the command); nothing when unset.
 */
function expandPs4(interp: Interp): Maybe<string> {
  const ps4 = interp.get("PS4") ?? "";
  if (!/[$`\\]/.test(ps4)) return ps4;
  let word: Word;
  try {
    word = parsePromptText(ps4);
  } catch (error) {
    // dash reports the bad text and traces on; the text as it stands is the nearest.
    if (error instanceof ShellSyntaxError) return ps4;
    throw error;
  }
  return interp.expandText(word);
}

function runArgv(interp: Interp, command: SimpleCommand, argv: string[]): Status {
  const name = argv[0] ?? "";
  if (name === "exec" && argv.length === 1) return redirectPermanently(interp, command, argv, true);
  // `command exec 3<f` too, as in dash; `command` only keeps a failure from ending the shell.
  if (name === "command" && argv.length === 2 && argv[1] === "exec") return redirectPermanently(interp, command, argv, false);
  const builtin = builtins.get(name);
  const isSpecial = builtin?.special === true;
  const run = (): Status => (isSpecial && builtin !== undefined ? runBuiltin(interp, builtin, argv) : executeArgv(interp, argv, [], false));
  // The usual command, with neither: no closures to make.
  if (command.assigns.length === 0 && command.redirs.length === 0) {
    const go = (): Status => (name === "command" || interp.state.functions.has(name) ? reportDeferred(interp, run) : run());
    return interp.state.options.xtrace ? then(trace(interp, [], argv), go) : go();
  }
  // Special builtins keep their assignments (exported by `exec cmd`), and their errors end the shell.
  const scope: AssignmentScope = !isSpecial ? "temporary" : name === "exec" ? "keep-exported" : "keep";
  const stderr = interp.fd(2);
  return reportDeferred(interp, () =>
    withRedirects(
      interp,
      command.redirs,
      () =>
        withPrefixAssignments(interp, command.assigns, scope, (made) => (interp.state.options.xtrace ? then(trace(interp, made, argv, stderr), run) : run())),
      isSpecial,
    ),
  );
}

/** Report a DeferredErrorFlow's message here, where the command's redirections are undone, and end the shell. */
function reportDeferred(interp: Interp, body: () => Status): Status {
  return recover(body, (error) => {
    if (!(error instanceof DeferredErrorFlow)) throw error;
    return then(interp.report(error.message), () => {
      throw new ErrorFlow(2);
    });
  });
}

/** `exec >file 3<in`: the redirections change the shell's own fds; files it opens are its own until it ends. */
function redirectPermanently(interp: Interp, command: SimpleCommand, argv: readonly string[], isFatal: boolean): Status {
  const stderr = interp.fd(2);
  const applied = recover<AppliedRedirects | number>(
    () => applyRedirects(interp, command.redirs, interp.state.fds),
    (error) => reportRedirectError(interp, error, isFatal),
  );
  return then(applied, (ready) => {
    if (typeof ready === "number") return ready;
    keepRedirections(interp, ready);
    // `exec` is special: its assignments stay (made, as in dash, with the new fds in place);
    // through `command` (a regular builtin) they are made and undone.
    return withPrefixAssignments(interp, command.assigns, isFatal ? "keep" : "temporary", (made) => (interp.state.options.xtrace ? then(trace(interp, made, argv, stderr), () => 0) : 0));
  });
}

/** Make `exec`'s redirections the shell's own. */
function keepRedirections(interp: Interp, ready: AppliedRedirects): void {
  const before = interp.state.fds;
  interp.state.fds = ready.fds;
  for (const fd of ready.opened) interp.ownedFds.add(fd);
  // Close files the shell owned that no fd refers to any more.
  const stillUsed = new Set<number>();
  for (const target of ready.fds.values()) if (target.kind === "os") stillUsed.add(target.fd);
  for (const target of before.values()) {
    if (target.kind === "os" && interp.ownedFds.has(target.fd) && !stillUsed.has(target.fd)) {
      interp.ownedFds.delete(target.fd);
      closeOsFd(target.fd);
    }
  }
}

/**
 * Run an expanded command line with prefix assignments: function, builtin or
 * external. `skipFunctions` is `command`'s lookup.
 */
export function executeArgv(interp: Interp, argv: readonly string[], assignments: readonly Assignment[], skipFunctions: boolean, viaCommand = false): Status {
  const name = argv[0] ?? "";
  const body = skipFunctions ? undefined : interp.state.functions.get(name);
  if (body !== undefined) return withTemporaryAssignments(interp, assignments, () => callFunction(interp, body, argv.slice(1)));
  const builtin = builtins.get(name);
  if (builtin !== undefined) {
    const run = (): Status => runBuiltin(interp, builtin, argv, viaCommand);
    return withTemporaryAssignments(interp, assignments, viaCommand ? () => runViaCommand(interp, run) : run);
  }
  let env = interp.state.vars.environment();
  let pathValue = interp.get("PATH");
  if (assignments.length > 0) {
    const withAssignments: Record<string, string> = { ...env };
    for (const [variable, value] of assignments) {
      withAssignments[variable] = value;
      if (variable === "PATH") pathValue = value;
    }
    // A new name joins its bucket's end, as dash's mklocal makes it.
    env = inDashOrder(withAssignments);
  }
  return interp.session.handlers.exec(argv, env, interp, pathValue);
}

/** Prefix assignments of a function or regular builtin: visible (and exported) while it runs, then undone. */
function withTemporaryAssignments(interp: Interp, assignments: readonly Assignment[], run: () => Status): Status {
  if (assignments.length === 0) return run();
  const vars = interp.state.vars;
  const saved: [string, Variable | undefined][] = [];
  for (const [name, value] of assignments) {
    saved.push([name, vars.entry(name)]);
    try {
      vars.set(name, value, true);
    } catch (error) {
      for (const [restoreName, entry] of saved.reverse()) vars.restore(restoreName, entry);
      return fatalExpansionError(interp, error);
    }
  }
  return withCleanup(run, () => {
    for (const [name, entry] of saved.reverse()) vars.restore(name, entry);
  });
}

export function callFunction(interp: Interp, body: Command, args: string[]): Status {
  const state = interp.state;
  const savedPositional = state.positional;
  const savedGetopts = state.getopts;
  const savedLine = interp.currentLine;
  // As in dash, a function body starts outside any loop: `break`/`continue` in it
  // do not reach the caller's loops (they are not lexically enclosed by them).
  const savedLoopDepth = state.loopDepth;
  state.loopDepth = 0;
  state.setPositional(args);
  state.functionDepth++;
  const frame = pushLocalFrame(interp);
  return withCleanup(
    () =>
      recover(
        () => interp.nested(() => interp.runCommand(body)),
        (error) => {
          if (error instanceof ReturnFlow) return error.status;
          throw error;
        },
      ),
    () => {
      state.positional = savedPositional;
      state.getopts = savedGetopts;
      state.functionDepth--;
      state.loopDepth = savedLoopDepth;
      // A bad name's error (local-frame.ts) names the function's last line, as dash's does.
      popLocalFrame(interp, frame);
      interp.currentLine = savedLine;
    },
  );
}

