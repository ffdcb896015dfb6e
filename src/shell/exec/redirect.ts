// Redirections (XCU 2.7): build the fd table a command runs with. Files are
// opened as real OS fds (passed to externals directly and closed after the
// command); here-documents and here-strings become in-memory sources.
//
// Imports the AST, expansion and sibling executor modules.

import * as fs from "node:fs";
import type { Redirect } from "../ast.ts";
import { ExpansionError, expandText } from "../expand/index.ts";
import { ErrorFlow } from "./control-flow.ts";
import type { Interp } from "./executor.ts";
import { BytesSource, closeOsFd, encodeText, type FdTable, type FdTarget, NULL_TARGET } from "./fds.ts";
import { type Maybe, type Status, then, withCleanup } from "./maybe.ts";
import { errnoCode } from "./errno.ts";
import type { FifoOpen } from "./handlers.ts";
import { describeErrno } from "./libc.ts";
import { reopenedFd } from "./fd-paths.ts";
import { fsPath } from "../bytes.ts";

/** A redirection failed; the command does not run (status 2, as dash, unless said otherwise). */
export class RedirectError extends Error {
  constructor(
    message: string,
    readonly status = 2,
    /** Ends a non-interactive shell whatever the command (dash's "Syntax error: Bad fd number"). */
    readonly fatal = false,
  ) {
    super(message);
    this.name = "RedirectError";
  }

  /**
   * The fds as the redirections before the failing one left them, and what
   * they opened (set by applyRedirects). As in dash, the message goes to
   * that fd 2 (`cmd 2>/dev/null <missing` says nothing); then they are closed.
   */
  partial: { readonly fds: FdTable; readonly opened: readonly number[] } | undefined;
}

export interface AppliedRedirects {
  readonly fds: FdTable;
  /** OS fds opened for these redirections: the caller closes them when the command is done. */
  readonly opened: number[];
}

/** dash's text for a failed open (its errmsg with E_OPEN or E_CREAT). */
export function describeOpenError(error: unknown, creating: boolean): string {
  const code = errnoCode(error);
  if (code === undefined) throw error;
  return openErrorText(code, creating);
}

/** dash's text for an open that failed with errno `code`. */
export function openErrorText(code: string, creating: boolean): string {
  switch (code) {
    case "ENOENT":
      return creating ? "Directory nonexistent" : "No such file";
    case "EACCES":
      return "Permission denied";
    case "EISDIR":
      return "Is a directory";
    case "EEXIST":
      return "File exists";
    case "EINTR":
      return "Interrupted system call";
    case "ENXIO":
      return "No such device or address";
    case "ENOTDIR":
      return "Not a directory";
    default:
      // Anything else the system says (EMFILE: Too many open files), in its words, as dash does.
      return describeErrno(code);
  }
}

function defaultFd(op: Redirect["op"]): number {
  return op === "<" || op === "<&" || op === "<<" || op === "<<-" || op === "<<<" || op === "<>" ? 0 : 1;
}

function openFile(interp: Interp, fds: FdTable, file: string, op: Redirect["op"], opened: number[]): Maybe<FdTarget> {
  if (file === "/dev/null") return NULL_TARGET;
  const creating = op !== "<";
  let resolved = interp.resolvePath(file);
  // /dev/stderr and the like name the session's fds, not this process's (fd-paths.ts).
  const reopened = reopenedFd((fd) => fds.get(fd), resolved);
  if (reopened === "closed") throw new RedirectError(`cannot ${creating ? "create" : "open"} ${file}: ${openErrorText("ENOENT", creating)}`);
  if (reopened !== undefined && "target" in reopened) return reopened.target;
  if (reopened !== undefined) resolved = reopened.path;
  if (op === ">" && interp.state.options.noclobber) {
    let isRegular = false;
    try {
      isRegular = fs.statSync(fsPath(resolved)).isFile();
    } catch (error) {
      if (errnoCode(error) !== "ENOENT") throw error;
    }
    if (isRegular) throw new RedirectError(`cannot create ${file}: File exists`);
  }
  const flags = op === "<" ? "r" : op === "<>" ? fs.constants.O_RDWR | fs.constants.O_CREAT : op === ">>" ? "a" : "w";
  const failed = (error: unknown): never => {
    throw new RedirectError(`cannot ${creating ? "create" : "open"} ${file}: ${describeOpenError(error, creating)}`);
  };
  let result: number | FifoOpen;
  try {
    result = interp.session.handlers.open(resolved, flags, 0o666);
  } catch (error) {
    return failed(error);
  }
  if (typeof result === "number") {
    opened.push(result);
    return { kind: "os", fd: result };
  }
  const fifo = (fd: number): FdTarget => {
    opened.push(fd);
    return { kind: "os", fd, isFifo: true };
  };
  return typeof result.fd === "number" ? fifo(result.fd) : waitForOpen(interp, result.fd, result).then(fifo, failed);
}

/** An open that waits (a FIFO) is given up when a signal arrives, as the signal interrupts open(2) in dash. */
function waitForOpen(interp: Interp, fd: Promise<number>, open: FifoOpen): Promise<number> {
  const signal = interp.session.nextSignal();
  void signal.arrived.then(() => open.abort());
  return fd.finally(() => signal.cancel());
}

/** Set `fd` to a file once it is open: at once for a file, later for a FIFO. */
function setWhenOpen(fds: FdTable, fd: number, file: Maybe<FdTarget>): Maybe<void> {
  return then(file, (target) => {
    fds.set(fd, target);
  });
}

function applyOne(interp: Interp, redirect: Redirect, fds: FdTable, opened: number[], target: string): Maybe<void> {
  const op = redirect.op;
  const fd = redirect.fd ?? defaultFd(op);
  switch (op) {
    case "<":
    case ">":
    case ">|":
    case ">>":
    case "<>":
      return setWhenOpen(fds, fd, openFile(interp, fds, target, op, opened));
    case "<&":
    case ">&": {
      if (target === "-") {
        fds.delete(fd);
        return;
      }
      // `n>&n` leaves n as it is, open or closed (dash does not dup an fd onto itself).
      if (Number(target) === fd) return;
      const source = fds.get(Number(target));
      if (source === undefined) {
        // dash has moved fd out of the way (closed it) before the dup fails: `2>&7` reports nowhere.
        fds.delete(fd);
        throw new RedirectError(`${target}: Bad file descriptor`);
      }
      fds.set(fd, source);
      return;
    }
    case "<<":
    case "<<-":
    case "<<<":
      fds.set(fd, { kind: "source", source: new BytesSource(encodeText(op === "<<<" ? `${target}\n` : target)) });
      return;
  }
}

function isHeredoc(redirect: Redirect): boolean {
  return redirect.op === "<<" || redirect.op === "<<-";
}

/**
 * The target words, expanded before any redirection is made, as dash's
 * expredir does: a dup target that is not one digit or `-` (`>&$x` with
 * x=abc, 10, 01 or empty) is then a syntax error that ends the shell, whatever
 * the redirections before it would have done. Here-documents have no entry:
 * their bodies are expanded while they are made.
 */
function expandTargets(interp: Interp, redirects: readonly Redirect[]): Maybe<(string | undefined)[]> {
  const texts: (string | undefined)[] = [];
  const record = (i: number, redirect: Redirect, text: string): void => {
    if ((redirect.op === "<&" || redirect.op === ">&") && text !== "-" && !/^[0-9]$/.test(text)) {
      throw new RedirectError("Syntax error: Bad fd number", 2, true);
    }
    texts[i] = text;
  };
  const step = (index: number): Maybe<(string | undefined)[]> => {
    for (let i = index; i < redirects.length; i++) {
      const redirect = redirects[i];
      if (redirect === undefined) continue;
      if (isHeredoc(redirect)) continue;
      const text = interp.expand(expandText(redirect.target, interp));
      if (text instanceof Promise) {
        return text.then((value) => {
          record(i, redirect, value);
          return step(i + 1);
        });
      }
      record(i, redirect, text);
    }
    return texts;
  };
  return step(0);
}

/** A here-document's body, expanded unless its delimiter was quoted. */
function heredocText(interp: Interp, redirect: Redirect): Maybe<string> {
  const heredoc = redirect.heredoc;
  if (heredoc === undefined) return "";
  if (heredoc.quoted) return heredoc.body.parts.map((part) => (part.kind === "single" || part.kind === "literal" ? part.value : "")).join("");
  // dash expands a body while opening it (its redirectsafe): an error there
  // fails the redirection, status 2, and the shell goes on, unlike an error
  // in a target word, which is expanded before and ends the shell.
  const asRedirectError = (error: unknown): never => {
    throw error instanceof ExpansionError ? new RedirectError(error.message) : error;
  };
  let body: Maybe<string>;
  try {
    body = interp.expand(expandText(heredoc.body, interp));
  } catch (error) {
    return asRedirectError(error);
  }
  return body instanceof Promise ? body.catch(asRedirectError) : body;
}

/**
 * Apply redirections on top of `base` (copied). On failure a `RedirectError`
 * carries the fds so far (reportRedirectError reports through them and closes
 * what they opened); on any other error what was opened is closed here.
 */
export function applyRedirects(interp: Interp, redirects: readonly Redirect[], base: FdTable): Maybe<AppliedRedirects> {
  return then(expandTargets(interp, redirects), (texts) => makeRedirects(interp, redirects, base, texts));
}

function makeRedirects(interp: Interp, redirects: readonly Redirect[], base: FdTable, texts: readonly (string | undefined)[]): Maybe<AppliedRedirects> {
  const fds: FdTable = new Map(base);
  const opened: number[] = [];
  const failed = (error: unknown): never => {
    // A fatal "Bad fd number" is found by dash while it expands the targets, before any
    // redirection is made: its message goes to the fd 2 from before them.
    if (error instanceof RedirectError && !error.fatal) error.partial = { fds, opened };
    else closeAll(opened);
    throw error;
  };
  const step = (index: number): Maybe<AppliedRedirects> => {
    for (let i = index; i < redirects.length; i++) {
      const redirect = redirects[i];
      if (redirect === undefined) continue;
      let done: Maybe<void>;
      try {
        // A here-document's body, then the open: each synchronous unless it must wait
        // (a command substitution in the body, a FIFO).
        const text = texts[i];
        done = text !== undefined ? applyOne(interp, redirect, fds, opened, text) : then(heredocText(interp, redirect), (body) => applyOne(interp, redirect, fds, opened, body));
      } catch (error) {
        return failed(error);
      }
      if (done instanceof Promise) return done.then(() => step(i + 1), failed);
    }
    return { fds, opened };
  };
  return step(0);
}

export function closeAll(fds: readonly number[]): void {
  for (const fd of fds) closeOsFd(fd);
}

/**
 * Run `body` with redirections applied to this shell's fds, then restore them
 * and close what was opened. A failed redirection is reported (status 2).
 */
export function withRedirects(interp: Interp, redirects: readonly Redirect[], body: () => Status, isFatal = false): Status {
  if (redirects.length === 0) return body();
  let applied: Maybe<AppliedRedirects>;
  try {
    applied = applyRedirects(interp, redirects, interp.state.fds);
  } catch (error) {
    return reportRedirectError(interp, error, isFatal);
  }
  if (applied instanceof Promise) {
    return applied.then(
      (ready) => runRedirected(interp, ready, body),
      (error: unknown) => reportRedirectError(interp, error, isFatal),
    );
  }
  return runRedirected(interp, applied, body);
}

function runRedirected(interp: Interp, applied: AppliedRedirects, body: () => Status): Status {
  const state = interp.state;
  const saved = state.fds;
  state.fds = applied.fds;
  return withCleanup(body, () => {
    state.fds = saved;
    closeAll(applied.opened);
  });
}

/** Report a failed redirection (status 2); for a special builtin it ends the shell (XCU 2.8.1). */
/** The message on the fd 2 of the redirections made before the failure (see RedirectError.partial). */
function reportThrough(interp: Interp, error: RedirectError): Maybe<void> {
  const partial = error.partial;
  if (partial === undefined) return interp.report(error.message);
  const state = interp.state;
  const saved = state.fds;
  state.fds = partial.fds;
  let written: Maybe<void>;
  try {
    written = interp.report(error.message); // takes its fd 2 now, writes later if it must
  } finally {
    state.fds = saved;
  }
  return withCleanup(
    () => written,
    () => closeAll(partial.opened),
  );
}

export function reportRedirectError(interp: Interp, error: unknown, isFatal = false): Status {
  if (error instanceof ExpansionError) {
    // XCU 2.8.1: an expansion error ends a non-interactive shell, here as in a simple command's redirections.
    return then(interp.report(error.message), () => {
      throw new ErrorFlow(2);
    });
  }
  if (!(error instanceof RedirectError)) throw error;
  const reported = then(reportThrough(interp, error), () => error.status);
  if (!isFatal && !error.fatal) return reported;
  return then(reported, (status) => {
    throw new ErrorFlow(status);
  });
}
