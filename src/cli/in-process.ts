// Run a script in this process (files, stdin, --no-daemon, and the fallback
// when no daemon can serve): the interpreter with this process's own fds.

import { readFileSync } from "node:fs";
import { Shell } from "../shell/index.ts";
import { WorkerState } from "../worker/state.ts";
import type { ShellInvocation } from "./invocation.ts";

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
  const shell = new Shell({
    argv0: invocation.argv0 ?? "rushd",
    args: invocation.args,
    cwd: state.snapshot.cwd,
    env: state.snapshot.env,
    stdin: { kind: "fd", fd: 0 },
    stdout: { kind: "fd", fd: 1 },
    stderr: { kind: "fd", fd: 2 },
    host: state,
    flags: invocation.flags,
    longOptions: invocation.longOptions,
  });
  const forwards = (["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT"] as const).map((signal) => [signal, () => shell.signal(signal)] as const);
  for (const [signal, forward] of forwards) process.on(signal, forward);
  // `set -v` echoes a script read from a file or stdin, not a -c string (as dash).
  const status = await shell.run(script, { isFileInput: invocation.source.from !== "command" });
  // The script is done, but its in-process background jobs live in this process: like the
  // subshells `sh -c` forks, they run to completion (`(sleep 1; touch f) &` leaves f). Signals
  // now take their default action (the shell that trapped them is gone), so ^C still ends the wait.
  for (const [signal, forward] of forwards) process.off(signal, forward);
  // The jobs keep the fds the script opened with `exec` (each forked subshell has its own
  // copy under sh), so the session is disposed only once they are done.
  await shell.jobsSettled();
  await shell.dispose();
  return status;
}

function readSource(invocation: ShellInvocation): string {
  switch (invocation.source.from) {
    case "command":
      return invocation.source.script;
    case "file":
      return readFileSync(invocation.source.path, "utf8");
    case "stdin":
      return readFileSync(0, "utf8");
  }
}
