// `rushd -c` through the daemon: hands the client what the session needs of
// this process. Its environment is not among it: the worker reads the one
// this process was started with from /proc, with its exact bytes
// (worker/caller-environment.ts), so the client never touches process.env.
// The cwd is sent with its exact bytes, as the invocation has its arguments.
//
// The direct path (client/direct-run.ts) serves the common case; the general
// one (client/run-command.ts: starting a daemon, streamed stdio, every
// refusal said in full) is loaded only when the direct path hands over.

import { inheritedFds } from "../client/inherited-fds.ts";
import type { ClientOutcome } from "../client/client-outcome.ts";
import { runDirect } from "../client/direct-run.ts";
import { daemonOptionsToArgv } from "../daemon/options.ts";
import { resolveDaemonPaths } from "../protocol/paths.ts";
import { exactCwd } from "./exact-bytes.ts";
import type { ShellInvocation } from "./invocation.ts";
import { shellName } from "./shell-name.ts";

export async function runCommandClient(invocation: ShellInvocation, script: string): Promise<ClientOutcome> {
  const umask = process.umask(0);
  process.umask(umask);
  const spec = { cwd: exactCwd(process.cwd()), envFromCaller: true, argv0: invocation.argv0 ?? shellName(), args: invocation.args, umask, ppid: process.pid, flags: invocation.flags, longOptions: invocation.longOptions };
  // Listing our fds (~0.2 ms, cold) is left for the wait on the daemon's answer.
  const describe = (ownFds: readonly number[]) => ({ ...spec, passFds: inheritedFds(ownFds) });
  const paths = resolveDaemonPaths(invocation.daemonOptions.socket, process.env);
  const direct = await runDirect(describe, script, paths.socket);
  if (direct !== "fallback") return direct;
  const { runViaDaemon } = await import("../client/run-command.ts");
  return runViaDaemon(describe, script, {
    paths,
    autostart: process.env.RUSHD_AUTOSTART !== "0",
    daemonArgv: daemonOptionsToArgv({ ...invocation.daemonOptions, socket: undefined }),
  });
}
