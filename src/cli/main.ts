// The rushd executable's entry. One binary, several roles: client
// (`rushd -c`), in-process shell (files, stdin, --no-daemon), daemon,
// daemon control, and the worker role the daemon starts.
//
// The client path loads only the protocol and the client, and no node:
// module (each costs milliseconds at start-up, and start-up is the client's
// whole cost). Every other role
// lives in roles.ts, a second entry point embedded in the executable and
// imported at run time, so its code is not even compiled on the client path.

import { UsageError } from "../daemon/options.ts";
import { exactArguments, isLossy } from "./exact-bytes.ts";
import { parseInvocation, type Invocation, type ShellInvocation } from "./invocation.ts";
import { HELP_TEXT, VERSION } from "./help.ts";

/** sh's status for a usage error. */
const EXIT_USAGE = 2;

async function main(argv: readonly string[]): Promise<number> {
  let invocation: Invocation;
  try {
    // With bytes that are not UTF-8 exact in the script, its name, its arguments and a file's path.
    invocation = parseInvocation(isLossy(argv) ? await exactArguments(argv) : argv, process.env, stdinIsTty);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    await Bun.write(Bun.stderr, `rushd: ${error.message}\nTry 'rushd --help'.\n`);
    return EXIT_USAGE;
  }
  switch (invocation.kind) {
    case "help":
      await Bun.write(Bun.stdout, HELP_TEXT);
      return 0;
    case "version":
      await Bun.write(Bun.stdout, `rushd ${VERSION}\n`);
      return 0;
    case "worker":
      await (await loadRoles()).runWorker(invocation);
      return -1; // keeps running; exits when the daemon says so
    case "daemon":
      return (await loadRoles()).runDaemonForeground(invocation.options, invocation.notifyReady);
    case "control":
      return (await loadRoles()).runControl(invocation.command, invocation.options, invocation.json);
    case "shell":
      return runShell(invocation);
  }
}

async function runShell(invocation: ShellInvocation): Promise<number> {
  if (invocation.source.from === "command" && !invocation.noDaemon) {
    const { runCommandClient } = await import("./client-command.ts");
    const outcome = await runCommandClient(invocation, invocation.source.script);
    if (outcome.kind === "status") {
      if (outcome.signal !== undefined) dieBySignal(outcome.signal);
      return outcome.status;
    }
    // No daemon could serve: run it here. Never a user-visible failure (DESIGN §2), at most one line.
    if (outcome.warn || process.env.RUSHD_DEBUG) await Bun.write(Bun.stderr, `rushd: ${outcome.reason}; running the command in process\n`);
  }
  return (await loadRoles()).runInProcess(invocation);
}

/**
 * End this process by `signal`, as the session's shell was: a caller of
 * `sh -c 'kill $$'` sees a death by SIGTERM, not a status. If the signal
 * does not end us (the caller left it ignored), the status (128+N) is used.
 */
function dieBySignal(signal: string): void {
  if (!/^SIG[A-Z0-9]+$/.test(signal)) return;
  process.removeAllListeners(signal);
  try {
    process.kill(process.pid, signal as NodeJS.Signals);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === undefined) throw error; // an unknown name: exit with the status
  }
}

// node:tty costs ~5 ms to load: only the rare invocation that needs it pays.
function stdinIsTty(): boolean {
  const tty = require("node:tty") as typeof import("node:tty");
  return tty.isatty(0);
}

/**
 * roles.ts: bundled as its own entry (a computed specifier keeps the bundler
 * from inlining it). Its roles live long (a daemon, a worker, a script run
 * here), so the JIT gets its normal thresholds back: the executable starts
 * with them raised for the client, whose code runs once
 * (scripts/build-executable.ts).
 */
function loadRoles(): Promise<typeof import("./roles.ts")> {
  Bun.unsafe.setJITPolicy(1);
  const isCompiled = Bun.main.startsWith("/$bunfs/");
  const specifier = isCompiled ? "./roles.js" : "./roles.ts";
  return import(specifier);
}

main(process.argv.slice(2)).then(
  (status) => {
    if (status >= 0) process.exit(status);
  },
  async (error: unknown) => {
    await Bun.write(Bun.stderr, `rushd: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(70);
  },
);
