// What every measure gets: the plan, the daemons and held clients, and the
// cleanup registry for anything it starts itself.

import type { RushdClient } from "../../src/client/library/index.ts";
import type { Cleanup } from "./cleanup.ts";
import type { BenchDaemon } from "./daemons.ts";
import type { Plan } from "./plan.ts";
import type { CommandOutput } from "./processes.ts";

export interface BenchContext {
  readonly plan: Plan;
  /** Absolute path of dist/rushd. */
  readonly rushd: string;
  /** The private 0700 directory holding every socket. */
  readonly dir: string;
  readonly pool: BenchDaemon;
  readonly fork: BenchDaemon;
  /** A second pool daemon that never retires workers for their count (--max-requests-per-worker 100000000), to show what retirement costs. */
  readonly steady: BenchDaemon;
  /** One held connection (worker lease) on the pool daemon, used by every single-client measure. */
  readonly poolClient: RushdClient;
  readonly forkClient: RushdClient;
  readonly steadyClient: RushdClient;
  /** A compiled Bun hello-world: the runtime's start-up floor. */
  readonly helloBinary: string;
  /** A compiled Bun program that runs its arguments with the caller's stdio: the floor of `rushd -c` running an external command. */
  readonly spawnFloorBinary: string;
  readonly cleanup: Cleanup;
  progress(line: string): void;
}

const decoder = new TextDecoder();

/** One rushd session over a held connection, as status and stdout text; `workerUs` collects the worker's own run time. */
export async function runOn(client: RushdClient, script: string, workerUs?: number[]): Promise<CommandOutput> {
  const result = await client.run(script);
  workerUs?.push(result.durationUs);
  return { status: result.status, stdout: decoder.decode(result.stdout) };
}
