// Run a script in this process (files, stdin, --no-daemon, and the fallback
// when no daemon can serve): the interpreter with this process's own fds —
// 0, 1, 2 and every other fd its caller gave it (`rushd s 3>f`), closed
// where the caller closed them — and the caller's exact bytes (the
// invocation's arguments are exact already, main.ts; cwd and environment
// from exact-bytes.ts).

import { readFileSync } from "node:fs";
import { ignoredSignals as callerIgnoredSignals } from "../client/caller-attributes.ts";
import { inheritedFds } from "../client/inherited-fds.ts";
import { decodeShellText, fsPath } from "../shell/bytes.ts";
import { Shell } from "../shell/index.ts";
import { WorkerState } from "../worker/state.ts";
import { exactCwd, exactEnvironment, isLossyEnvironment } from "./exact-bytes.ts";
import type { ShellInvocation } from "./invocation.ts";
import { shellName } from "./shell-name.ts";
import { SHELL_SIGNALS } from "../common/shell-signals.ts";

/** dash's status when the script file cannot be read. */
const EXIT_CANNOT_OPEN = 2;

export async function runInProcess(invocation: ShellInvocation): Promise<number> {
  let script: string;
  try {
    script = readSource(invocation);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (invocation.source.from !== "file" || code === undefined) throw error;
    process.stderr.write(`rushd: 0: cannot open ${invocation.source.path}: ${code === "ENOENT" ? "No such file" : code}\n`);
    return EXIT_CANNOT_OPEN;
  }
  // This process is the session: its state is the host's (the umask builtin changes the real umask).
  const state = WorkerState.capture();
  // What this process ignored on entry stays ignored, for the shell and its commands (Bun.spawn
  // would reset it to the default in each child).
  const ignoredSignals = callerIgnoredSignals();
  const shell = new Shell({
    argv0: invocation.argv0 ?? shellName(),
    args: invocation.args,
    cwd: exactCwd(state.snapshot.cwd),
    env: isLossyEnvironment(state.snapshot.env) ? await exactEnvironment(state.snapshot.env) : state.snapshot.env,
    stdin: { kind: "fd", fd: 0 },
    stdout: { kind: "fd", fd: 1 },
    stderr: { kind: "fd", fd: 2 },
    passedFds: new Map(inheritedFds().map((fd) => [fd, fd])),
    ignoredSignals,
    host: state,
    flags: invocation.flags,
    longOptions: invocation.longOptions,
  });
  // A signal ignored on entry gets no handler: a handler would stop the process ignoring it. The
  // shell alone gets it: its commands are in this process's group, so a terminal's ^C reaches them
  // from the kernel, and a `kill $$` is for the shell only.
  const forwarded = SHELL_SIGNALS.filter(([, number]) => !ignoredSignals.includes(number));
  const forwards = forwarded.map(([signal]) => [signal, () => shell.signalShell(signal)] as const);
  for (const [signal, forward] of forwards) process.on(signal, forward);
  // `set -v` echoes a script read from a file or stdin, not a -c string (as dash).
  const status = await shell.run(script, { isFileInput: invocation.source.from !== "command" });
  // The script is done, but its in-process background jobs live in this process: like the
  // subshells `sh -c` forks, they run to completion (`(sleep 1; touch f) &` leaves f). Signals
  // now take their default action (the shell that trapped them is gone), so ^C still ends the wait.
  for (const [signal, forward] of forwards) process.off(signal, forward);
  // They run in this process, on their own copies of the fds (background.ts), so it stays until they are done.
  await shell.jobsSettled();
  await shell.dispose();
  // `kill $$`: as `sh` would, die of the signal, so the caller sees a signal, not a status. One the
  // runtime ignores itself (SIGPIPE) leaves the process alive: then the status (128+N) tells it.
  const signal = shell.terminatingSignal;
  if (signal !== undefined) process.kill(process.pid, signal);
  return status;
}

function readSource(invocation: ShellInvocation): string {
  switch (invocation.source.from) {
    case "command":
      return invocation.source.script;
    case "file":
      // Bytes that are not UTF-8 stay bytes (src/shell/bytes.ts), in the text and in the file name.
      return decodeShellText(readFileSync(fsPath(invocation.source.path)));
    case "stdin":
      return decodeShellText(readFileSync(0));
  }
}
