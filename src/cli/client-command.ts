// `rushd -c` through the daemon: hands the client library what the session
// needs of this process. Its environment is not among it: the worker reads
// the one this process was started with from /proc, with its exact bytes
// (worker/caller-environment.ts), so the client never touches process.env.
// The cwd is sent with its exact bytes, as the invocation has its arguments.

import { inheritedFds } from "../client/inherited-fds.ts";
import { runViaDaemon, type ClientOutcome } from "../client/run-command.ts";
import { daemonOptionsToArgv } from "../daemon/options.ts";
import { resolveDaemonPaths } from "../protocol/index.ts";
import { exactCwd } from "./exact-bytes.ts";
import type { ShellInvocation } from "./invocation.ts";
import { shellName } from "./shell-name.ts";

export async function runCommandClient(invocation: ShellInvocation, script: string): Promise<ClientOutcome> {
  const umask = process.umask(0);
  process.umask(umask);
  const spec = { cwd: exactCwd(process.cwd()), envFromCaller: true, argv0: invocation.argv0 ?? shellName(), args: invocation.args, umask, ppid: process.pid, flags: invocation.flags, longOptions: invocation.longOptions };
  return runViaDaemon(
    // Listing our fds (~0.2 ms, cold) is left for the wait on the daemon's answer.
    (ownFds) => ({ ...spec, passFds: inheritedFds(ownFds) }),
    script,
    {
      paths: resolveDaemonPaths(invocation.daemonOptions.socket, process.env),
      autostart: process.env.RUSHD_AUTOSTART !== "0",
      daemonArgv: daemonOptionsToArgv({ ...invocation.daemonOptions, socket: undefined }),
    },
  );
}
