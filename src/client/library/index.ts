// The rushd client library: `import { connect } from "rushd"`, under
// Node.js (≥ 18) and Bun. docs/LIBRARY.md is its manual.
//
//   const rushd = await connect();
//   const { status, stdout } = await rushd.run("echo hi", { encoding: "utf8" });
//   await rushd.close();
//
// Built for Node.js by `npm run build` into dist/lib/ (scripts/build-library.ts).

export { connect, RushdClient, type ConnectOptions } from "./client.ts";
export type { CommandOptions, Encoding, RunOptions, RunResult } from "./run-options.ts";
export type { StdinInput } from "./stdin-source.ts";
export { RushdSession, type SessionCheckpoint, type SessionOptions, type SessionRunOptions, type SessionRunResult } from "./session.ts";
export { RunningCommand, type SpawnOptions } from "./spawn.ts";
export { CommandStdin, OutputStream } from "./streams.ts";
export type { SocketKind } from "./transport.ts";
export { RushdAbortError, RushdClosedError, RushdConnectionError, RushdError, RushdProtocolError, RushdTimeoutError } from "./errors.ts";
