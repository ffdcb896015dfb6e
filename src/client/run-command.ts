// `rushd -c`: run one script through the daemon, with this process's stdio.
// Finds or starts the daemon (launcher.ts), leases a worker, talks to it
// directly, and reports how it went. Never loads the interpreter: if no
// daemon can serve, it says so and the CLI runs the script in process.

import type { DaemonPaths } from "../protocol/index.ts";
import { ConnectFailedError, UntrustedPeerError } from "./link.ts";
import { cliTransport, passFdsToWorker } from "./transport/cli-transport.ts";
import { forwardSignals } from "./forwarded-signals.ts";
import { DaemonClient, DaemonRequestError } from "./daemon-client.ts";
import { OutputClosedError, readUpTo, writeAll } from "./stdio.ts";
import { LeaseEndedError, WorkerLink, WorkerLostError, type SessionSpec } from "./worker-link.ts";
import { EXIT_OUTPUT_CLOSED, isRefusedBeforeRunning, lostSession, type ClientOutcome, type SessionDescriber } from "./client-outcome.ts";

export interface ClientOptions {
  readonly paths: DaemonPaths;
  readonly autostart: boolean;
  /** Daemon options to pass on if we start one. */
  readonly daemonArgv: readonly string[];
}


export async function runViaDaemon(describe: SessionDescriber, script: string, options: ClientOptions): Promise<ClientOutcome> {
  const leased = await leaseWorker(options, describe);
  if (!("link" in leased)) return leased;
  const { link, spec } = leased;
  const stopForwarding = forwardSignals((signal) => link.signal(signal));
  try {
    // Used only if the fds could not be passed (then stdio is streamed over the socket).
    const io = {
      stdout: (data: Uint8Array) => writeAll(1, data),
      stderr: (data: Uint8Array) => writeAll(2, data),
      stdin: (maxBytes: number) => readUpTo(0, maxBytes),
    };
    const result = await link.run(spec, script, io);
    return { kind: "status", status: result.status, signal: result.signal };
  } catch (error) {
    // The worker ended the lease before the session started (it yielded to queued clients): nothing ran.
    if (error instanceof LeaseEndedError) return { kind: "no-daemon", reason: error.message, warn: false };
    if (error instanceof OutputClosedError) return { kind: "status", status: EXIT_OUTPUT_CLOSED };
    if (error instanceof WorkerLostError && isRefusedBeforeRunning(error.code)) return { kind: "no-daemon", reason: error.message, warn: false };
    if (error instanceof WorkerLostError) return lostSession(error.message, error.code);
    throw error;
  } finally {
    stopForwarding();
    link.close();
  }
}

/** Connect (starting the daemon if allowed), lease a worker (describing the session meanwhile), connect to it. */
async function leaseWorker(options: ClientOptions, describe: SessionDescriber): Promise<{ link: WorkerLink; spec: SessionSpec } | ClientOutcome> {
  let daemon: DaemonClient;
  let spec: SessionSpec | undefined;
  try {
    daemon = await DaemonClient.connect(options.paths.socket, cliTransport);
  } catch (error) {
    if (error instanceof UntrustedPeerError) return { kind: "no-daemon", reason: error.message, warn: true };
    if (!(error instanceof ConnectFailedError)) throw error;
    // A path that exists but is no socket, or a directory we may not enter, is not a missing daemon.
    if (error.code !== "ENOENT" && error.code !== "ECONNREFUSED") return { kind: "no-daemon", reason: error.message, warn: false };
    if (!options.autostart) return { kind: "no-daemon", reason: `no daemon on ${options.paths.socket} (auto-start is off)`, warn: false };
    // Loaded only now: it needs node:fs, which the common path does without.
    const { DaemonLaunchError, launchDaemon } = await import("./launcher.ts");
    spec = describe([]); // now, before the launcher opens fds of its own (the daemon's pipe, its log)
    try {
      await launchDaemon(options.paths, options.daemonArgv);
      daemon = await DaemonClient.connect(options.paths.socket, cliTransport);
    } catch (startError) {
      if (startError instanceof DaemonLaunchError) return { kind: "no-daemon", reason: startError.message, warn: startError.isTrustProblem };
      if (startError instanceof UntrustedPeerError) return { kind: "no-daemon", reason: startError.message, warn: true };
      if (startError instanceof ConnectFailedError) return { kind: "no-daemon", reason: startError.message, warn: false };
      throw startError;
    }
  }
  try {
    // A worker can die between the grant and our connect; one retry covers it.
    for (let attempt = 0; ; attempt++) {
      // wait: false: with no worker free, run the command here at once rather than queue behind other clients.
      const granted = daemon.lease({ wait: false });
      spec ??= describe(daemon.socketFd === undefined ? [] : [daemon.socketFd]); // synchronous: nothing can settle `granted` before it is awaited
      const grant = await granted;
      try {
        return { link: await WorkerLink.open(grant, { transport: cliTransport, passFds: passFdsToWorker }), spec };
      } catch (error) {
        if (!(error instanceof ConnectFailedError) || attempt >= 1) throw error;
      }
    }
  } catch (error) {
    // BUSY (no worker free, too many connections), a shed or timed-out connection: run it here rather than wait.
    if (error instanceof DaemonRequestError || error instanceof ConnectFailedError) {
      return { kind: "no-daemon", reason: error.message, warn: false };
    }
    if (error instanceof UntrustedPeerError) return { kind: "no-daemon", reason: error.message, warn: true };
    throw error;
  } finally {
    daemon.close();
  }
}
