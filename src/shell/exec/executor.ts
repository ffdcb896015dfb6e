// The executor: runs commands of the AST in one (sub)shell. Compound
// commands live here but loops (loops.ts); simple commands, pipelines,
// redirections, externals and background jobs have their own modules, which
// take the `Interp` they run in.
//
// Every `run*` returns `number | Promise<number>`: synchronous while only
// builtins run, so loops of builtins cost no promise per command.

import type { Subprocess } from "bun";
import * as fs from "node:fs";
import type { Case, Command, If, List, ListItem, Program, Redirect, Subshell, Word } from "../ast.ts";
import { assertNever } from "../ast.ts";
import { drive, type ExpandEnv, expandText, expandTextFast, expandWords, expandWordsFast, type Expansion, ExpansionError, selectCaseItem } from "../expand/index.ts";
import { BreakFlow, ContinueFlow, ErrorFlow, ExitFlow, isControlFlow, ReturnFlow, toExitStatus } from "./control-flow.ts";
import { CaptureSink, closeOsFd, encodeText, type FdTarget, ignoreFdError, writeTarget } from "./fds.ts";
import { runBackground } from "./background.ts";
import { type Maybe, recover, type Status, then, withCleanup, yieldToEventLoop } from "./maybe.ts";
import { runPipeline } from "./pipeline.ts";
import { runFor, runLoop } from "./loops.ts";
import { withRedirects } from "./redirect.ts";
import { CancelToken, type Session } from "./session.ts";
import { executeArgv, runSimple } from "./simple.ts";
import { optionLetters, type ShellState } from "./state.ts";
import { runTestClause } from "./test-clause.ts";
import { AssignmentError } from "./vars.ts";
import { handleProcessSignals, handleSignals, runExitTrap } from "./traps.ts";
import { interpWaits } from "./interp-waits.ts";
import type { ShellProcess } from "./shell-process.ts";
import { isSystemError } from "./errno.ts";
import { resolvePath } from "./paths.ts";
import { runSource } from "./run-source.ts";
import type { TextMode } from "../text-mode.ts";
import { type CommandLookup, expandCommandWords, hasDeclarationOperands } from "./command-words.ts";
import { builtins } from "../builtins/index.ts";

const COMMANDS_PER_EVENT_LOOP_TURN = 4096;
/**
 * How deeply function calls, `eval`/`.`/trap text and subshells may nest.
 * Runaway recursion (`f() { f; }`, `f() { (f); }`, `e='eval "$e"'`) otherwise
 * grows the heap without bound once it goes asynchronous, or overflows the stack.
 */
export const MAX_CALL_DEPTH = 1000;

export class Interp implements ExpandEnv {
  /** Line of the command running now, for error messages. */
  currentLine = 0;
  /** dash's `commandname`, what messages name after the line number: message-name.ts. */
  commandName: string | undefined = undefined;
  /** The `eval` or `.` whose text runs now (message-name.ts). */
  sourceName: string | undefined = undefined;
  /** Function calls, `eval`/`.`/trap texts and subshells this shell runs inside (see MAX_CALL_DEPTH). */
  depth = 0;
  /** Status of the last command substitution of the simple command being expanded (its status if it has no command name). */
  substitutionStatus: number | undefined = undefined;
  /** OS fds this shell opened with `exec n>file`: closed when it ends. */
  readonly ownedFds = new Set<number>();
  /** `$0`, which also names the shell in its messages: the session's, or a script's run as a new shell (script-shell.ts). */
  argv0: string;
  /** The process of its own this shell stands for (a job's, a script's: shell-process.ts); undefined: the session's. */
  process: ShellProcess | undefined = undefined;
  /** This is that process's shell (not one of its subshells): it acts on the signals sent to it. */
  ownsProcess = false;
  /** `exec` is replacing this shell by a command: a script without #! then keeps its `$$`. */
  isReplaced = false;
  /** Answers the command substitutions of expansions run by this shell. */
  readonly substitute = (program: Program): Maybe<string> => this.commandSubstitution(program);

  constructor(
    readonly session: Session,
    readonly state: ShellState,
    readonly cancel: CancelToken,
    /** Set for the shells of a background job: processes they start are recorded there. */
    readonly jobProcesses: Set<Subprocess> | null = null,
  ) {
    this.argv0 = session.argv0;
  }

  // ---------------------------------------------------------------- ExpandEnv

  get(name: string): string | undefined {
    // POSIX's LINENO, computed when not assigned (the one dynamic variable: dash has no
    // RANDOM, and its PPID is a plain variable set at start-up).
    return this.state.vars.get(name) ?? (name === "LINENO" ? String(this.currentLine) : undefined);
  }

  set(name: string, value: string): void {
    this.setVar(name, value);
  }

  special(name: string): string | undefined {
    switch (name) {
      case "?":
        return String(this.state.lastStatus);
      case "$":
        return String(this.process?.ids?.pid ?? this.session.pid);
      case "!":
        return this.state.lastBackgroundPid === undefined ? undefined : String(this.state.lastBackgroundPid);
      case "-":
        return optionLetters(this.state.options);
      case "0":
        return this.argv0;
      default:
        return undefined;
    }
  }

  get positional(): readonly string[] {
    return this.state.positional;
  }

  get nounset(): boolean {
    return this.state.options.nounset;
  }

  get noglob(): boolean {
    return this.state.options.noglob;
  }

  get textMode(): TextMode {
    return this.state.vars.textMode();
  }

  home(user: string): string | undefined {
    if (user === "") return this.get("HOME");
    let passwd: string;
    try {
      passwd = fs.readFileSync("/etc/passwd", "utf8");
    } catch (error) {
      if (isSystemError(error)) return undefined;
      throw error;
    }
    for (const line of passwd.split("\n")) {
      const fields = line.split(":");
      if (fields[0] === user) return fields[5];
    }
    return undefined;
  }

  readDir(dir: string): readonly string[] | null {
    return this.session.handlers.readDir(this.resolvePath(dir === "" ? "." : dir));
  }

  // ---------------------------------------------------------------- helpers for builtins and modules

  resolvePath(file: string): string {
    return resolvePath(this.state.cwd, file);
  }

  /** Assign a shell variable, honouring `set -a`. Throws `AssignmentError` (read-only, bad OPTIND). */
  setVar(name: string, value: string): void {
    this.state.vars.set(name, value, this.state.options.allexport);
  }

  fd(n: number): FdTarget | undefined {
    return this.state.fds.get(n);
  }

  write(fd: number, data: string | Uint8Array): void | Promise<void> {
    const target = this.state.fds.get(fd);
    return writeTarget(target, typeof data === "string" ? encodeText(data) : data, target?.kind === "os" ? interpWaits(this) : undefined);
  }

  /** Print `<argv0>: <line>: <message>` on stderr, as dash does. */
  report(message: string): void | Promise<void> {
    const name = this.commandName === undefined ? "" : `${this.commandName}: `;
    return this.writeStderr(`${this.argv0}: ${this.currentLine}: ${name}${message}\n`);
  }

  /**
   * The shell's own output on fd 2 (messages, `set -x`, `set -v`). Like a
   * closed fd 2, one that cannot be written (`2<<EOF`, `2<&0`) loses it, as in dash.
   */
  writeStderr(text: string, target = this.state.fds.get(2)): void | Promise<void> {
    if (target === undefined) return;
    try {
      const written = writeTarget(target, encodeText(text), target.kind === "os" ? interpWaits(this) : undefined);
      return written instanceof Promise ? written.catch(ignoreFdError) : written;
    } catch (error) {
      ignoreFdError(error);
    }
  }

  /** Report and yield a status. */
  fail(message: string, status: number): Status {
    return then(this.report(message), () => status);
  }

  /** The session's main shell (not a subshell): it alone runs signal traps. */
  isRoot = true;

  /** A subshell: a copy of this shell's state, run in-process. */
  subshell(cancel: CancelToken = this.cancel, jobProcesses = this.jobProcesses): Interp {
    const child = new Interp(this.session, this.state.clone(), cancel, jobProcesses);
    child.isRoot = false;
    child.argv0 = this.argv0;
    child.process = this.process;
    child.depth = this.depth;
    child.currentLine = this.currentLine;
    child.commandName = this.commandName;
    child.sourceName = this.sourceName;
    return child;
  }

  /** A subshell where dash forks one: the fork is a new job, which frees a waited one (JobTable.forked). */
  forkSubshell(): Interp {
    this.state.jobs.forked();
    return this.subshell();
  }

  /** Run an expanded command line for `command`/`exec`: no functions; special builtins lose their fatal errors. */
  executeArgv(argv: readonly string[], viaCommand: boolean, pathValue?: string): Status {
    return executeArgv(this, argv, pathValue === undefined ? [] : [["PATH", pathValue]], viaCommand, viaCommand);
  }

  expand<T>(expansion: Expansion<T>): Maybe<T> {
    return drive(expansion, this.substitute);
  }

  private readonly commandLookup: CommandLookup = {
    isBuiltin: (name) => {
      const builtin = builtins.get(name);
      return builtin !== undefined && (builtin.special || !this.state.functions.has(name));
    },
  };

  /** Expand into fields; `isCommandLine` for a simple command's words (`export V=$x` does not split). */
  expandWords(words: readonly Word[], isCommandLine = false): Maybe<string[]> {
    if (isCommandLine && hasDeclarationOperands(words)) return this.expand(expandCommandWords(words, this, this.commandLookup));
    const fast = expandWordsFast(words, this);
    if (fast !== undefined) return fast;
    return this.expand(expandWords(words, this));
  }

  expandText(word: Word): Maybe<string> {
    return expandTextFast(word, this) ?? this.expand(expandText(word, this));
  }

  // ---------------------------------------------------------------- running source text

  /**
   * Parse and run source one complete command at a time (so aliases defined on a line apply to the next).
   * `isFileInput`: the text was read from a file (a script, `.`), whose input `set -v` echoes; dash does
   * not echo strings (`-c`, `eval`, traps).
   */
  runSource(source: string, isFileInput = false): Status {
    return runSource(this, source, isFileInput);
  }

  /** Run `body` one call level deeper; past MAX_CALL_DEPTH report it and exit with 2 instead. */
  nested(body: () => Status): Status {
    if (this.depth >= MAX_CALL_DEPTH) {
      return then(this.report("maximum recursion depth exceeded"), () => {
        throw new ExitFlow(2);
      });
    }
    this.depth++;
    return withCleanup(body, () => { this.depth--; });
  }

  /** Command substitution: run in a subshell with stdout captured; `$?` becomes its status. */
  commandSubstitution(program: Program): Maybe<string> {
    const child = this.forkSubshell();
    // `set -e` applies inside even when the command using the output is a condition.
    child.state.errexitSuppressed = 0;
    const capture = new CaptureSink();
    child.state.fds.set(1, { kind: "sink", sink: capture });
    return then(child.runAsSubshell(() => child.runList(program.body)), (status) => {
      this.substitutionStatus = status;
      return capture.finish();
    });
  }

  /** Run a list as the body of a subshell: `exit` ends only it, its EXIT trap runs, its fds close. */
  runAsSubshell(body: () => Status): Status {
    return withCleanup(
      () => then(recover(() => this.nested(body), (error) => this.exitStatusOf(error)), (status) => then(this.runExitTrap(status), toExitStatus)),
      () => {
        this.closeOwnedFds();
        // The umask is process-wide (children inherit it): a subshell's `umask` is undone when it ends.
        const saved = this.state.umaskBeforeChange;
        if (saved !== undefined) this.session.host.setUmask(saved);
      },
    );
  }

  /** The status an escaping `exit`/`return`/broken pipe gives a (sub)shell; other errors are rethrown. */
  exitStatusOf(error: unknown): number {
    if (error instanceof ExitFlow || error instanceof ReturnFlow) return error.status;
    if (isControlFlow(error)) {
      // `(…; break)` in a loop: the subshell ends with break's own status, 0, as in dash.
      if (error instanceof BreakFlow || error instanceof ContinueFlow) return 0;
      if ("status" in error && typeof error.status === "number") return error.status;
    }
    throw error;
  }

  runExitTrap(status: number): Status {
    return runExitTrap(this, status);
  }

  closeOwnedFds(): void {
    for (const fd of this.ownedFds) closeOsFd(fd);
    this.ownedFds.clear();
  }

  // ---------------------------------------------------------------- lists

  /** Handle pending signals and cancellation; let the event loop turn now and then. */
  checkpoint(): void | Promise<void> {
    const session = this.session;
    if (this.cancel.cancelled) throw new ExitFlow(143);
    if (this.ownsProcess && this.process !== undefined && this.process.pending.length > 0) return handleProcessSignals(this, this.process);
    if (session.pendingSignals.length > 0) return handleSignals(this);
    if (++session.tick >= COMMANDS_PER_EVENT_LOOP_TURN) {
      session.tick = 0;
      return yieldToEventLoop();
    }
  }

  /** Act on signals received (traps or death), if any: after a simple command, and when a script ends. */
  deliverSignals(): void | Promise<void> {
    if (this.ownsProcess && this.process !== undefined && this.process.pending.length > 0) return handleProcessSignals(this, this.process);
    if (this.session.pendingSignals.length > 0) return handleSignals(this);
  }

  runList(list: List): Status {
    const items = list.items;
    let status = 0;
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (item === undefined || this.state.options.noexec) continue;
      const tick = this.checkpoint();
      if (tick instanceof Promise) return this.runListAsync(items, i, tick.then(() => this.runItem(item)));
      const result = this.runItem(item);
      if (result instanceof Promise) return this.runListAsync(items, i, result);
      status = result;
    }
    return status;
  }

  private async runListAsync(items: readonly ListItem[], index: number, pending: Promise<number>): Promise<number> {
    let status = await pending;
    for (let i = index + 1; i < items.length; i++) {
      const item = items[i];
      if (item === undefined) continue;
      await this.checkpoint();
      status = await this.runItem(item);
    }
    return status;
  }

  private runItem(item: ListItem): Status {
    if (!item.background) return this.runCommand(item.command);
    runBackground(this, item.command);
    this.state.lastStatus = 0;
    return 0;
  }

  runCommand(command: Command): Status {
    const result = this.dispatch(command);
    if (result instanceof Promise) return result.then((status) => this.finish(command, status));
    return this.finish(command, result);
  }

  private dispatch(command: Command): Status {
    // dash names a compound command's first line in errors of its redirections.
    if (command.kind !== "simple" && "redirs" in command && command.redirs.length > 0) this.currentLine = command.start.line;
    switch (command.kind) {
      case "simple":
        return runSimple(this, command);
      case "pipeline":
        return runPipeline(this, command);
      case "andor":
        return this.runAndOr(command.first, command.rest, 0, 0);
      case "list":
        return this.runList(command);
      case "subshell":
        return this.withCompoundRedirects(command.redirs, () => this.runSubshell(command));
      case "group":
        return this.withCompoundRedirects(command.redirs, () => this.runList(command.body));
      case "if":
        return this.withCompoundRedirects(command.redirs, () => this.runIf(command, 0));
      case "loop":
        return this.withCompoundRedirects(command.redirs, () => runLoop(this, command));
      case "for":
        return this.withCompoundRedirects(command.redirs, () => runFor(this, command));
      case "case":
        return this.withCompoundRedirects(command.redirs, () => this.runCase(command, 0));
      case "testclause":
        return this.withCompoundRedirects(command.redirs, () => this.expandOrExit(() => runTestClause(this, command)));
      case "funcdef":
        this.state.functions.set(command.name, command.body);
        return 0;
      default:
        return assertNever(command);
    }
  }

  /**
   * A compound command's redirections. Under `set -e` a failed one ends the
   * shell as dash does: the failure is the compound command's own status,
   * which `finish` does not look at (its body's commands were checked inside).
   */
  private withCompoundRedirects(redirs: readonly Redirect[], body: () => Status): Status {
    return withRedirects(this, redirs, body, this.state.options.errexit && this.state.errexitSuppressed === 0);
  }

  private finish(command: Command, status: number): number {
    this.state.lastStatus = status;
    if (status !== 0 && this.state.options.errexit && this.state.errexitSuppressed === 0) {
      if (command.kind === "simple" || command.kind === "subshell" || (command.kind === "pipeline" && !command.negated)) {
        throw new ExitFlow(status);
      }
    }
    return status;
  }

  /** Run with `set -e` suspended (conditions, non-final `&&`/`||` operands, `!`). */
  runSuppressed(run: () => Status): Status {
    this.state.errexitSuppressed++;
    return withCleanup(run, () => {
      this.state.errexitSuppressed--;
    });
  }

  private runAndOr(first: Command, rest: readonly { op: "&&" | "||"; command: Command }[], index: number, status: number): Status {
    // index 0 is `first`, then rest[index - 1]; only the last operand runs with `set -e` in force.
    for (let i = index; i <= rest.length; i++) {
      const command = i === 0 ? first : rest[i - 1]?.command;
      if (command === undefined) break;
      if (i > 0) {
        const op = rest[i - 1]?.op;
        if ((op === "&&" && status !== 0) || (op === "||" && status === 0)) continue;
      }
      const result = i === rest.length ? this.runCommand(command) : this.runSuppressed(() => this.runCommand(command));
      if (result instanceof Promise) return result.then((s) => this.runAndOr(first, rest, i + 1, s));
      status = result;
    }
    this.state.lastStatus = status;
    return status;
  }

  // ---------------------------------------------------------------- compound commands

  private runSubshell(command: Subshell): Status {
    const child = this.forkSubshell();
    return child.runAsSubshell(() => child.runList(command.body));
  }

  private runIf(command: If, index: number): Status {
    const clause = command.clauses[index];
    if (clause === undefined) return command.elseBody === undefined ? 0 : this.runList(command.elseBody);
    return then(this.runSuppressed(() => this.runList(clause.condition)), (status) =>
      status === 0 ? this.runList(clause.body) : this.runIf(command, index + 1),
    );
  }

  /** XCU 2.8.1: an expansion error (or `${x=v}` of a read-only x) ends a non-interactive (sub)shell (status 2), as in a simple command. */
  expandOrExit<T>(expand: () => Maybe<T>): Maybe<T> {
    return recover(expand, (error) => {
      if (!(error instanceof ExpansionError || error instanceof AssignmentError)) throw error;
      return then(this.report(error.message), () => {
        throw new ErrorFlow(2);
      });
    });
  }

  /** Assign or report a read-only variable as a fatal error (dash exits with 2). */
  setVarChecked(name: string, value: string): void {
    try {
      this.setVar(name, value);
    } catch (error) {
      if (!(error instanceof AssignmentError)) throw error;
      this.report(error.message);
      throw new ErrorFlow(2);
    }
  }

  private runCase(command: Case, from: number): Status {
    this.currentLine = command.start.line; // dash: errors in the word or patterns name the `case` line
    const selected = this.expandOrExit(() => this.expand(selectCaseItem(command, this, from)));
    return then(selected, (index) => (index < 0 ? 0 : this.runCaseBodies(command, index)));
  }

  private runCaseBodies(command: Case, index: number): Status {
    const item = command.items[index];
    if (item === undefined) return 0;
    return then(this.runList(item.body), (status) => {
      if (item.terminator === ";&") return command.items[index + 1] === undefined ? status : this.runCaseBodies(command, index + 1);
      if (item.terminator === ";;&") return then(this.runCase(command, index + 1), (next) => (next === 0 ? status : next));
      return status;
    });
  }
}

/** Index of the first item from `from` whose pattern matches the case word, or -1. */
