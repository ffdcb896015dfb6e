// `rushd -c`'s direct path: lease a worker and run one session on it over
// blocking sockets (transport/blocking-socket.ts), with no event-loop
// socket, no Connection and no promise per message. A `rushd -c` is a whole
// process per command, so what it costs to start is its cost: this path
// took 1.4 ms off a cold `rushd -c true` (measured, docs/ARCHITECTURE.md).
//
// It covers the common case only: a daemon that answers, a worker that takes
// the caller's fds. Anything else before the session is sent (no daemon, so
// one may have to be started; a socket that is not our user's; fds that
// cannot be passed) returns "fallback", and run-command.ts, loaded only
// then, does it all again with its full handling. Nothing has run by then.

import { CLIENT_ACCEPTS, message, PROTOCOL_VERSION, type Message } from "../protocol/messages.ts";
import { decodeMessage, encodeMessage } from "../protocol/codec.ts";
import { FrameReader } from "../protocol/frame.ts";
import { ProtocolError } from "../protocol/errors.ts";
import { concatBytes } from "../common/concat-bytes.ts";
import { FdPassingError, newNonce, sendFds } from "../common/fd-passing.ts";
import { isTrustedPeer } from "../common/peer-credentials.ts";
import { EXIT_OUTPUT_CLOSED, isRefusedBeforeRunning, lostSession, workerErrorText, type ClientOutcome, type SessionDescriber } from "./client-outcome.ts";
import { forwardSignals } from "./forwarded-signals.ts";
import { sessionInitMessage, type SessionSpec } from "./session-init.ts";
import { OutputClosedError, readUpTo, writeAll } from "./stdio.ts";
import { BlockingConnectError, BlockingSocket } from "./transport/blocking-socket.ts";

/** The one request on each connection: the Lease on the daemon's, the session's Execute on the worker's. */
const REQUEST_ID = 1;

/** Not handled here: nothing has run, and the general path (run-command.ts) takes over. */
export type Fallback = "fallback";

export async function runDirect(describe: SessionDescriber, script: string, daemonSocket: string): Promise<ClientOutcome | Fallback> {
  const leased = await lease(daemonSocket, describe);
  if (leased === "fallback" || "kind" in leased) return leased;
  const { worker, spec, grant } = leased;
  try {
    const fds = spec.passFds ?? [];
    // A worker that names no fd socket takes no fds: stdio must be streamed, which the general path does.
    if (grant.fdSocket === undefined) return "fallback";
    const nonce = newNonce();
    try {
      sendFds(grant.fdSocket, nonce, fds);
    } catch (error) {
      if (error instanceof FdPassingError) return "fallback"; // stdio must be streamed: the general path does that
      throw error;
    }
    const init = sessionInitMessage(spec, { token: grant.token, passed: { fds: [...fds], nonce }, persistent: false });
    const request = concatBytes([encodeMessage(REQUEST_ID, init), encodeMessage(REQUEST_ID, message("Execute", { script }))]);
    // The worker had closed (it ended the lease): none of it arrived, nothing ran.
    if (!worker.write(request)) return { kind: "no-daemon", reason: "the worker had closed the lease before the session was sent", warn: false };
    const stopForwarding = forwardSignals((signal) => worker.write(encodeMessage(REQUEST_ID, message("Signal", { signal }))));
    try {
      return await awaitResult(worker);
    } catch (error) {
      if (error instanceof OutputClosedError) return { kind: "status", status: EXIT_OUTPUT_CLOSED };
      if (error instanceof ProtocolError) return lostSession(`connection to the worker lost: ${error.message}`, error.code);
      throw error;
    } finally {
      stopForwarding();
    }
  } finally {
    worker.close();
  }
}

/** Ask the daemon for a worker that is free now (wait: false) and connect to it; describe the session meanwhile. */
async function lease(daemonSocket: string, describe: SessionDescriber): Promise<{ worker: BlockingSocket; spec: SessionSpec; grant: Message<"LeaseGrant"> } | ClientOutcome | Fallback> {
  const daemon = connectTrusted(daemonSocket);
  if (daemon === undefined) return "fallback";
  let grant: Message<"LeaseGrant">;
  let spec: SessionSpec;
  try {
    if (!daemon.write(encodeMessage(REQUEST_ID, message("Lease", { version: PROTOCOL_VERSION, wait: false })))) return "fallback";
    spec = describe([daemon.fd]); // while the daemon answers
    const reply = await nextMessage(daemon, new FrameReader());
    if (reply === undefined) return "fallback";
    // BUSY (no worker free, too many connections): run it here rather than wait, as the general path does.
    if (reply.type === "Error") return { kind: "no-daemon", reason: reply.message, warn: false };
    if (reply.type !== "LeaseGrant") return "fallback";
    grant = reply;
  } finally {
    daemon.close();
  }
  const worker = connectTrusted(grant.socket);
  return worker === undefined ? "fallback" : { worker, spec, grant };
}

/** A connection to `path` if something of our own user's accepts there (DESIGN §8), else undefined. */
function connectTrusted(path: string): BlockingSocket | undefined {
  let socket: BlockingSocket;
  try {
    socket = BlockingSocket.connect(path);
  } catch (error) {
    if (error instanceof BlockingConnectError) return undefined;
    throw error;
  }
  if (!isTrustedPeer(socket.peerUid(), process.getuid?.() ?? 0)) {
    socket.close(); // nothing was sent; the general path refuses it again and says so
    return undefined;
  }
  return socket;
}

/** The next whole message on `socket`; undefined if it closed first or sent something that is not one. */
async function nextMessage(socket: BlockingSocket, reader: FrameReader): Promise<Message | undefined> {
  try {
    for (;;) {
      const chunk = await socket.read();
      if (chunk === null) return undefined;
      const [frame] = reader.push(chunk);
      if (frame !== undefined) return decodeMessage(frame.payload, CLIENT_ACCEPTS);
    }
  } catch (error) {
    if (error instanceof ProtocolError) return undefined;
    throw error;
  }
}

/** Read the worker's messages until the session's ExecutionResult, and say how it ended. */
async function awaitResult(worker: BlockingSocket): Promise<ClientOutcome> {
  const reader = new FrameReader();
  let started = false;
  for (;;) {
    const chunk = await worker.read();
    if (chunk === null) return lostSession("connection to the worker lost (the worker exited)", "WORKER_LOST");
    for (const frame of reader.push(chunk)) {
      const msg = decodeMessage(frame.payload, CLIENT_ACCEPTS);
      switch (msg.type) {
        case "ExecutionResult":
          return { kind: "status", status: msg.status, signal: msg.signal };
        case "LeaseEnded":
          // Before any of the session arrived: the worker yielded first, nothing ran.
          if (!started) return { kind: "no-daemon", reason: "the worker ended the lease before running the session", warn: false };
          break;
        case "Error": {
          if (isRefusedBeforeRunning(msg.code)) return { kind: "no-daemon", reason: msg.message, warn: false };
          return lostSession(workerErrorText(msg.code, msg.message), msg.code);
        }
        // The fds were passed, so the worker writes to them itself; streamed output or input would be
        // a worker's choice the protocol allows, and is served rather than lost.
        case "Stdout":
        case "Stderr":
          started = true;
          await writeAll(msg.type === "Stdout" ? 1 : 2, msg.data);
          break;
        case "StdinWanted": {
          started = true;
          const data = await readUpTo(0, msg.maxBytes);
          worker.write(encodeMessage(frame.id, data === null ? message("StdinEnd", {}) : message("Stdin", { data })));
          break;
        }
        default:
          started = true;
      }
    }
  }
}
