// A pseudo-terminal made in the test's own process (posix_openpt through
// bun:ffi), for tests of what a shell does with a terminal: the master end
// for the test (or a child it starts) to read, the terminal end to hand to
// the shell, and flow control (tcflow) to stop its output as Ctrl-S does.

import { dlopen, FFIType } from "bun:ffi";
import * as fs from "node:fs";

const pty = dlopen("libc.so.6", {
  posix_openpt: { args: [FFIType.i32], returns: FFIType.i32 },
  grantpt: { args: [FFIType.i32], returns: FFIType.i32 },
  unlockpt: { args: [FFIType.i32], returns: FFIType.i32 },
  ptsname: { args: [FFIType.i32], returns: FFIType.cstring },
  tcflow: { args: [FFIType.i32, FFIType.i32], returns: FFIType.i32 },
}).symbols;
const TCOOFF = 0;
const TCOON = 1;

/** Suspend the terminal's output, as Ctrl-S does: its writers find no room until it resumes. */
export function stopOutput(terminal: number): void {
  if (pty.tcflow(terminal, TCOOFF) !== 0) throw new Error("tcflow(TCOOFF) failed");
}

export function resumeOutput(terminal: number): void {
  if (pty.tcflow(terminal, TCOON) !== 0) throw new Error("tcflow(TCOON) failed");
}

/** A pseudo-terminal: the master (non-blocking, for this test to read, unless a child reads it) and the terminal the shell writes to. */
export function openTerminal({ blockingMaster = false } = {}): { readonly master: number; readonly terminal: number } {
  const master = pty.posix_openpt(fs.constants.O_RDWR | fs.constants.O_NOCTTY | (blockingMaster ? 0 : fs.constants.O_NONBLOCK));
  if (master < 0 || pty.grantpt(master) !== 0 || pty.unlockpt(master) !== 0) throw new Error("no pseudo-terminal");
  const terminal = fs.openSync(String(pty.ptsname(master)), fs.constants.O_RDWR | fs.constants.O_NOCTTY);
  return { master, terminal };
}

/** What the master has to read now ("" if nothing). */
export function readTerminalOutput(master: number): string {
  let text = "";
  const buffer = Buffer.alloc(65536);
  for (;;) {
    try {
      const count = fs.readSync(master, buffer);
      if (count === 0) return text;
      text += buffer.toString("latin1", 0, count);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EAGAIN") return text;
      throw error;
    }
  }
}

