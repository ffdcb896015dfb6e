// One daemon and one library client for a describe block: started before
// its tests, closed and stopped (with everything the daemon started) after.

import { afterAll, beforeAll } from "bun:test";
import { connect, type ConnectOptions, type RushdClient } from "../../../src/client/library/index.ts";
import { DAEMON_HOOK_TIMEOUT_MS, TestDaemon } from "../../integration/harness.ts";

export interface LibraryFixture {
  readonly daemon: TestDaemon;
  readonly rushd: RushdClient;
}

export function useLibraryClient(mode: "pool" | "fork", daemonArgs: readonly string[] = [], options: ConnectOptions = {}): () => LibraryFixture {
  let fixture: LibraryFixture | undefined;
  let daemon: TestDaemon | undefined;
  beforeAll(async () => {
    daemon = await new TestDaemon(mode, daemonArgs).start();
    fixture = { daemon, rushd: await connect({ socket: daemon.socket, autostart: false, ...options }) };
  }, DAEMON_HOOK_TIMEOUT_MS);
  afterAll(async () => {
    await fixture?.rushd.close();
    await daemon?.stop();
  }, DAEMON_HOOK_TIMEOUT_MS);
  return () => {
    if (fixture === undefined) throw new Error("the library fixture is not started (read it inside a test)");
    return fixture;
  };
}
