// `rushd -c` through the daemon: reads this process's cwd, env and umask
// once (with their exact bytes, as the invocation has its arguments') and
// hands them to the client library.

import { inheritedFds } from "../client/inherited-fds.ts";
import { runViaDaemon, type ClientOutcome } from "../client/run-command.ts";
import { daemonOptionsToArgv } from "../daemon/options.ts";
import { packEnvironment, resolveDaemonPaths } from "../protocol/index.ts";
import { exactCwd, exactEnvironment, isLossyEnvironment } from "./exact-bytes.ts";
import type { ShellInvocation } from "./invocation.ts";
import { shellName } from "./shell-name.ts";

export async function runCommandClient(invocation: ShellInvocation, script: string): Promise<ClientOutcome> {
  const runtimeEnv: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) runtimeEnv[key] = value;
  const env = isLossyEnvironment(runtimeEnv) ? await exactEnvironment(runtimeEnv) : runtimeEnv;
  const umask = process.umask(0);
  process.umask(umask);
  const spec = { cwd: exactCwd(process.cwd()), argv0: invocation.argv0 ?? shellName(), args: invocation.args, umask, ppid: process.pid, flags: invocation.flags, longOptions: invocation.longOptions };
  return runViaDaemon(
    // Listing our fds (~0.4 ms, cold) and packing the environment are left for the wait on the daemon's answer.
    (ownFds) => ({ ...spec, envPacked: packEnvironment(env), passFds: inheritedFds(ownFds) }),
    script,
    {
      paths: resolveDaemonPaths(invocation.daemonOptions.socket, process.env),
      autostart: process.env.RUSHD_AUTOSTART !== "0",
      daemonArgv: daemonOptionsToArgv({ ...invocation.daemonOptions, socket: undefined }),
    },
  );
}
