// Signal names and numbers (Linux numbering). Two vocabularies:
// - what scripts write (`trap`, `kill`): dash's names, as its signames.c
//   makes them on Linux — no `SIG` prefix, any case, numbers 0…64, real-time
//   signals as RTMIN+n / RTMAX-n, and bare numbers for 16, 32 and 33;
// - what the runtime reports (`SIGTERM` from Bun's signalCode, pending
//   signals queued by the executor): `signalNumber`.
//
// Imports nothing from the shell.

import { constants } from "node:os";

const SIGNALS: Readonly<Record<string, number>> = constants.signals;

/** dash's NSIG on Linux: signals are 1 … 64. */
const SIGNAL_LIMIT = 65;
const RTMIN = 34;
const RTMAX = 64;

/** dash's name of each signal number (index 0 is EXIT). */
const DASH_NAMES: readonly string[] = (() => {
  const names = ["EXIT"];
  const classic = ["HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "16",
    "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS", "32", "33"];
  names.push(...classic);
  const middle = (RTMIN + RTMAX) / 2; // 49: RTMIN+15; 50 is RTMAX-14
  for (let n = RTMIN; n <= RTMAX; n++) {
    if (n === RTMIN) names.push("RTMIN");
    else if (n === RTMAX) names.push("RTMAX");
    else names.push(n <= middle ? `RTMIN+${n - RTMIN}` : `RTMAX-${RTMAX - n}`);
  }
  return names;
})();

/** Number of a runtime signal name (`SIGINT`, or `INT`); 0 for `EXIT` or an unknown name. */
export function signalNumber(name: string): number {
  const upper = name.toUpperCase();
  if (upper === "EXIT") return 0;
  return SIGNALS[upper.startsWith("SIG") ? upper : `SIG${upper}`] ?? decodeSignal(upper.replace(/^SIG/, ""), 0) ?? 0;
}

/**
 * dash's decode_signal: a number below 65, or a name from dash's table in any
 * case, without `SIG` (`trap … SIGINT` is a bad trap in dash). `minimum` 1
 * leaves out EXIT (for `kill`). Undefined if it names no signal.
 */
export function decodeSignal(text: string, minimum: number): number | undefined {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return n < SIGNAL_LIMIT ? n : undefined;
  }
  const upper = text.toUpperCase();
  for (let n = minimum; n < SIGNAL_LIMIT; n++) if (DASH_NAMES[n] === upper) return n;
  return undefined;
}

/** dash's name for a signal number (`INT` for 2, `EXIT` for 0, `16` for 16); undefined outside 0 … 64. */
export function signalName(n: number): string | undefined {
  return Number.isInteger(n) && n >= 0 && n < SIGNAL_LIMIT ? DASH_NAMES[n] : undefined;
}

/** glibc's strsignal texts, which dash prints for a job a signal ended ("Terminated"). */
const DESCRIPTIONS: readonly string[] = ["", "Hangup", "Interrupt", "Quit", "Illegal instruction", "Trace/breakpoint trap", "Aborted", "Bus error",
  "Floating point exception", "Killed", "User defined signal 1", "Segmentation fault", "User defined signal 2", "Broken pipe", "Alarm clock",
  "Terminated", "Stack fault", "Child exited", "Continued", "Stopped (signal)", "Stopped", "Stopped (tty input)", "Stopped (tty output)",
  "Urgent I/O condition", "CPU time limit exceeded", "File size limit exceeded", "Virtual timer expired", "Profiling timer expired",
  "Window changed", "I/O possible", "Power failure", "Bad system call"];

/** What dash says about signal `n` (strsignal), e.g. `Terminated` for 15. */
export function signalDescription(n: number): string {
  if (n >= RTMIN && n <= RTMAX) return `Real-time signal ${n - RTMIN}`;
  return DESCRIPTIONS[n] ?? `Unknown signal ${n}`;
}

const SIGINT = 2;
const SIGPIPE = 13;

/**
 * The line dash writes when a command it waited for was ended by signal `n`
 * (its sprint_status with sigonly): none for INT and PIPE, which the user or
 * the pipeline caused.
 */
export function deathMessage(n: number): string | undefined {
  return n === SIGINT || n === SIGPIPE ? undefined : signalDescription(n);
}

/**
 * Signals whose default action leaves a process alive: CHLD, URG and WINCH
 * are ignored, CONT continues, and STOP, TSTP, TTIN and TTOU stop it (an
 * in-process shell cannot stop; one stopped and continued runs on, as here).
 */
const HARMLESS_BY_DEFAULT: ReadonlySet<number> = new Set([17, 18, 19, 20, 21, 22, 23, 28]);

/** Whether signal `n`, not trapped or ignored, ends the process it reaches (not CHLD, CONT, URG, WINCH or the stop signals). */
export function endsByDefault(n: number): boolean {
  return !HARMLESS_BY_DEFAULT.has(n);
}
