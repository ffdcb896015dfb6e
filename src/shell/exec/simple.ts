// Simple commands (XCU 2.9.1): expand words, then redirections and
// assignments, then find the command — special builtin, function, builtin,
// external (PATH) — and run it.
//
// Imports the builtin registry, expansion and sibling executor modules.

import type { Assign, Command, SimpleCommand } from "../ast.ts";
import { builtins } from "../builtins/index.ts";
import { runBuiltin } from "../builtins/define.ts";
import { ExpansionError } from "../expand/index.ts";
import { ExitFlow, ReturnFlow } from "./control-flow.ts";
import type { Interp } from "./executor.ts";
import { type Maybe, recover, type Status, then, withCleanup } from "./maybe.ts";
import { type AppliedRedirects, applyRedirects, reportRedirectError, withRedirects } from "./redirect.ts";
import { closeOsFd } from "./fds.ts";
import { ReadonlyError, type Variable } from "./vars.ts";
import { type LocalFrame, restoreOptions } from "./state.ts";

type Assignment = readonly [name: string, value: string];

/** Expansion and assignment errors end a non-interactive (sub)shell (XCU 2.8.1), as in dash. */
function fatalExpansionError(interp: Interp, error: unknown): never {
  if (error instanceof ExpansionError || error instanceof ReadonlyError) {
    interp.report(error.message);
    throw new ExitFlow(2);
  }
  throw error;
}

function expandAssignments(interp: Interp, assigns: readonly Assign[], index = 0, out: Assignment[] = []): Maybe<Assignment[]> {
  for (let i = index; i < assigns.length; i++) {
    const assign = assigns[i];
    if (assign === undefined) continue;
    const value = interp.expandText(assign.value);
    if (value instanceof Promise) {
      return value.then((v) => {
        out.push([assign.name, assign.append ? (interp.get(assign.name) ?? "") + v : v]);
        return expandAssignments(interp, assigns, i + 1, out);
      });
    }
    out.push([assign.name, assign.append ? (interp.get(assign.name) ?? "") + value : value]);
  }
  return out;
}

export function runSimple(interp: Interp, command: SimpleCommand): Status {
  interp.currentLine = command.start.line;
  interp.substitutionStatus = undefined;
  return recover(
    () => {
      if (command.words.length === 0) return runAssignmentsOnly(interp, command);
      return then(interp.expandWords(command.words, true), (argv) => (argv.length === 0 ? runAssignmentsOnly(interp, command) : runArgv(interp, command, argv)));
    },
    (error) => fatalExpansionError(interp, error),
  );
}

/**
 * `x=1 y=$x` or `>file`: each assignment is made before the next is expanded;
 * status is that of the last command substitution. As in dash, the
 * redirections are in place while the values expand (`x=$(cat) <<EOF`).
 */
function runAssignmentsOnly(interp: Interp, command: SimpleCommand): Status {
  const assign = () => then(assignInOrder(interp, command.assigns, 0), () => interp.substitutionStatus ?? 0);
  return command.redirs.length === 0 ? assign() : withRedirects(interp, command.redirs, assign);
}

function assignInOrder(interp: Interp, assigns: readonly Assign[], index: number): Maybe<void> {
  for (let i = index; i < assigns.length; i++) {
    const assign = assigns[i];
    if (assign === undefined) continue;
    const value = interp.expandText(assign.value);
    if (value instanceof Promise) return value.then((v) => assignOne(interp, assign, v)).then(() => assignInOrder(interp, assigns, i + 1));
    assignOne(interp, assign, value);
  }
}

function assignOne(interp: Interp, assign: Assign, value: string): void {
  const full = assign.append ? (interp.get(assign.name) ?? "") + value : value;
  if (interp.state.options.xtrace) trace(interp, [[assign.name, full]], []);
  interp.setVar(assign.name, full);
}

/** `set -x`: the expanded words as dash prints them (unquoted). */
function trace(interp: Interp, assignments: readonly Assignment[], argv: readonly string[]): void {
  const words = [...assignments.map(([name, value]) => `${name}=${value}`), ...argv];
  interp.writeStderr(`${interp.get("PS4") ?? "+ "}${words.join(" ")}\n`);
}

function runArgv(interp: Interp, command: SimpleCommand, argv: string[]): Status {
  return then(expandAssignments(interp, command.assigns), (assignments) => {
    if (interp.state.options.xtrace) trace(interp, assignments, argv);
    const name = argv[0] ?? "";
    if (name === "exec" && argv.length === 1) return redirectPermanently(interp, command, true);
    // `command exec 3<f` too, as in dash; `command` only keeps a failure from ending the shell.
    if (name === "command" && argv.length === 2 && argv[1] === "exec") return redirectPermanently(interp, command, false);
    const builtin = builtins.get(name);
    if (builtin?.special === true) {
      // Special builtins keep their assignments, and their errors end the shell.
      for (const [variable, value] of assignments) interp.setVar(variable, value);
      return withRedirects(interp, command.redirs, () => runBuiltin(interp, builtin, argv), true);
    }
    return withRedirects(interp, command.redirs, () => executeArgv(interp, argv, assignments, false));
  });
}

/** `exec >file 3<in`: the redirections change the shell's own fds; files it opens are its own until it ends. */
function redirectPermanently(interp: Interp, command: SimpleCommand, isFatal: boolean): Status {
  const applied = recover<AppliedRedirects | number>(
    () => applyRedirects(interp, command.redirs, interp.state.fds),
    (error) => reportRedirectError(interp, error, isFatal),
  );
  return then(applied, (ready) => {
    if (typeof ready === "number") return ready;
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
    return 0;
  });
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
  if (builtin !== undefined) return withTemporaryAssignments(interp, assignments, () => runBuiltin(interp, builtin, argv, viaCommand));
  let env = interp.state.vars.environment();
  let pathValue = interp.get("PATH");
  if (assignments.length > 0) {
    const withAssignments: Record<string, string> = { ...env };
    for (const [variable, value] of assignments) {
      withAssignments[variable] = value;
      if (variable === "PATH") pathValue = value;
    }
    env = withAssignments;
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
  const savedLine = interp.currentLine;
  // As in dash, a function body starts outside any loop: `break`/`continue` in it
  // do not reach the caller's loops (they are not lexically enclosed by them).
  const savedLoopDepth = state.loopDepth;
  state.loopDepth = 0;
  state.positional = args;
  state.functionDepth++;
  const frame: LocalFrame = { vars: new Map<string, Variable | undefined>(), options: undefined };
  state.localFrames.push(frame);
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
      state.functionDepth--;
      state.loopDepth = savedLoopDepth;
      state.localFrames.pop();
      for (const [name, entry] of frame.vars) state.vars.restore(name, entry);
      if (frame.options !== undefined) restoreOptions(state.options, frame.options);
      interp.currentLine = savedLine;
    },
  );
}

