// The fd table an external command starts with: exactly the shell's (XCU
// 2.9.1.6: same numbers, closed where the shell has them closed), as far as
// Bun.spawn's `stdio` array can say it. OS fds are handed over as they are;
// JS sinks and sources get a kernel pipe pumped while the command runs.
//
// What Bun.spawn cannot say, and how it is said anyway:
// - a closed standard fd: Bun opens /dev/null for "ignore" at 0-2. Those
//   are listed in `closedStandard`; sh-start.ts closes them in a /bin/sh
//   that then execs the command (fds 3 and up given "ignore" are closed);
// - this process's fd 0 anywhere but at 0 (`exec 7<&0`): Bun takes 0 there
//   for "inherit the fd of that number" (the child got Bun's own event fd,
//   or EBADF), and refuses 0 at 1 or 2 and 1 or 2 at 0: such an fd is given
//   as a close-on-exec copy made for the spawn (one fcntl);
// - /dev/null at 3 or above (`exec 3>/dev/null` keeps no OS fd): opened for
//   the spawn.
// Output to a JS sink goes through a kernel pipe we pump, one per sink, so
// `2>&1` keeps the order of the two streams and a reader that goes away
// gives the writer SIGPIPE (Bun's own "pipe" is a socket: ECONNRESET). A
// source (a here-document) at fd 0 uses Bun's "pipe", alone; the session's
// own input at fd 0, a kernel pipe whose read end we keep, to take back what
// the command leaves unread (session-input-pump.ts); at any other fd, or at
// several, a kernel pipe. A source at fd 0 already at its end (a library run
// without stdin) is /dev/null: no pipe, no pump. Every fd made for the spawn
// is closed right after it (`afterSpawn`).
//
// Imports sibling executor modules.

import type { OutputSink } from "../io.ts";
import * as fs from "node:fs";
import { type ByteSource, closeOsFd, type FdTable, type FdTarget } from "./fds.ts";
import { dupFd, osPipe } from "./libc.ts";
import { SessionSink } from "./session-sink.ts";

export type StdioOption = number | "pipe" | "ignore";

/** A kernel pipe to pump: `read` is undefined for a session sink already closed (the child gets EPIPE, as after `sh -c`'s reader went away). */
export interface SinkPipe {
  read: number | undefined;
  readonly write: number;
}

/** Bun.spawn's `stdio`: entry N is the child's fd N. */
export type StdioTable = [StdioOption, StdioOption, StdioOption, ...StdioOption[]];

export interface ChildFds {
  readonly stdio: StdioTable;
  /** Standard fds (0-2) the child must have closed (Bun would give it /dev/null there). */
  readonly closedStandard: number[];
  /** One pipe per sink (so `2>&1` keeps the order of the two streams): the child writes, a pump reads into the sink. */
  readonly sinkPipes: Map<OutputSink, SinkPipe>;
  /** A source at fd 0: Bun's "pipe", pumped by the caller into the child's stdin. */
  stdinSource: ByteSource | undefined;
  /** The session's own input at fd 0: a kernel pipe whose read end stays open here, to take back what the child leaves unread (session-input-pump.ts). */
  sessionInputPipe: { readonly read: number; readonly write: number } | undefined;
  /** Sources at other fds (one pipe per source, however many fds read it): the child reads `read`, a pump writes `source` into `write`. */
  readonly sourcePipes: Map<ByteSource, { readonly read: number; readonly write: number }>;
  /** Fds of this process made only for the spawn (copies, /dev/null): closed once the child has its own. */
  readonly temporary: number[];
}

/** Bun.spawn would misread this OS fd at this position (see the header). */
function needsCopy(osFd: number, position: number): boolean {
  return (osFd === 0 && position !== 0) || (position === 0 && (osFd === 1 || osFd === 2));
}

/** The child's fds for the shell's table. Throws (EMFILE…) with everything made so far closed. */
export function childFds(fds: FdTable, sessionInput?: ByteSource): ChildFds {
  const child: ChildFds = { stdio: ["ignore", "ignore", "ignore"], closedStandard: [], sinkPipes: new Map(), stdinSource: undefined, sessionInputPipe: undefined, sourcePipes: new Map(), temporary: [] };
  try {
    let highest = 2;
    for (const fd of fds.keys()) if (fd > highest) highest = fd;
    for (let fd = 0; fd <= highest; fd++) {
      const target = fds.get(fd);
      if (target === undefined) {
        if (fd < 3) child.closedStandard.push(fd);
        child.stdio[fd] = "ignore";
      } else if (target.kind === "source" && fd === 0 && target.source.isAtEnd?.() === true) {
        // Nothing more to read (a library run without stdin): /dev/null says it without a pipe and a pump.
        child.stdio[fd] = "ignore";
      } else if (target.kind === "source" && fd === 0 && target.source === sessionInput && !isShared(fds, target.source)) {
        child.sessionInputPipe = osPipe();
        child.stdio[fd] = child.sessionInputPipe.read;
      } else if (target.kind === "source" && fd === 0 && !isShared(fds, target.source)) {
        child.stdinSource = target.source;
        child.stdio[fd] = "pipe";
      } else {
        child.stdio[fd] = option(child, target, fd);
      }
    }
    // An fd the child gets closed anyway needs no entry (nor the entries up to it).
    while (child.stdio.length > 3 && child.stdio[child.stdio.length - 1] === "ignore") child.stdio.pop();
  } catch (error) {
    // Out of fds (EMFILE) half-way: what was made so far goes too.
    closeChildFds(child);
    throw error;
  }
  return child;
}

function option(child: ChildFds, target: FdTarget, fd: number): StdioOption {
  switch (target.kind) {
    case "null": {
      if (fd < 3) return "ignore";
      const devNull = fs.openSync("/dev/null", fs.constants.O_RDWR);
      child.temporary.push(devNull);
      return devNull;
    }
    case "os": {
      if (!needsCopy(target.fd, fd)) return target.fd;
      const copy = dupFd(target.fd);
      child.temporary.push(copy);
      return copy;
    }
    case "sink":
      return sinkPipe(child, target.sink).write;
    case "source": {
      let pipe = child.sourcePipes.get(target.source);
      if (pipe === undefined) {
        pipe = osPipe();
        child.sourcePipes.set(target.source, pipe);
      }
      return pipe.read;
    }
  }
}

/** Does another fd read this source too (`cat 3<<EOF <&3`)? Then all of them get one kernel pipe. */
function isShared(fds: FdTable, source: ByteSource): boolean {
  for (const [fd, target] of fds) if (fd !== 0 && target.kind === "source" && target.source === source) return true;
  return false;
}

function sinkPipe(child: ChildFds, sink: OutputSink): SinkPipe {
  let pipe = child.sinkPipes.get(sink);
  if (pipe !== undefined) return pipe;
  const { read, write } = osPipe();
  pipe = { read, write };
  child.sinkPipes.set(sink, pipe);
  if (sink instanceof SessionSink && !sink.isOpen) {
    closeOsFd(read);
    pipe.read = undefined;
  }
  return pipe;
}

/** The child has its copies: close this process's ends the child uses (the pumps keep theirs). */
export function afterSpawn(child: ChildFds): void {
  for (const pipe of child.sinkPipes.values()) closeOsFd(pipe.write);
  for (const pipe of child.sourcePipes.values()) closeOsFd(pipe.read);
  for (const fd of child.temporary) closeOsFd(fd);
}

/** The spawn did not happen: close everything made for it. */
export function closeChildFds(child: ChildFds): void {
  if (child.sessionInputPipe !== undefined) {
    closeOsFd(child.sessionInputPipe.read);
    closeOsFd(child.sessionInputPipe.write);
  }
  for (const pipe of child.sinkPipes.values()) {
    if (pipe.read !== undefined) closeOsFd(pipe.read);
    closeOsFd(pipe.write);
  }
  for (const pipe of child.sourcePipes.values()) {
    closeOsFd(pipe.read);
    closeOsFd(pipe.write);
  }
  for (const fd of child.temporary) closeOsFd(fd);
}
