// Retirement without a stall (issue 10, item 3): a worn pooled worker (here
// its memory grew past --max-worker-growth-mb) asks for its replacement and
// serves on; once the replacement is ready the daemon tells it to retire,
// and its client's next session runs on the warm replacement. The order is
// read from the daemon's log; nothing here is timed.

import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { until } from "../../src/common/until.ts";
import { useLibraryClient } from "../client/library/harness.ts";

const fixture = useLibraryClient("pool", ["--workers", "1", "--max-workers", "2", "--max-worker-growth-mb", "16"], { maxConcurrency: 1 });

async function servingPid(): Promise<number> {
  const { rushd } = fixture();
  const result = await rushd.run("echo $$", { encoding: "utf8" });
  expect(result.status).toBe(0);
  return Number(result.stdout.trim());
}

test("a worn worker is replaced first: it serves on until its replacement is ready, then its client moves", async () => {
  const { daemon, rushd } = fixture();
  const worn = await servingPid();
  // One session holds a 48 MB value; the RSS stays up, and the next check (every 64 sessions) sees it.
  const big = await rushd.run('x=$(head -c 50331648 /dev/zero | tr "\\0" a); echo ${#x}', { encoding: "utf8" });
  expect(big.stdout).toBe("50331648\n");
  // Every session succeeds, on the worn worker until the switch, then on the replacement.
  const pids: number[] = [];
  await until(async () => {
    pids.push(await servingPid());
    return pids.at(-1) !== worn;
  }, { timeoutMs: 30_000, what: "a session served by the replacement", firstDelayMs: 0, maxDelayMs: 0 });
  const replacement = pids.at(-1) as number;
  expect(pids.slice(0, -1).every((pid) => pid === worn)).toBe(true);
  await until(() => /retired: memory grew/.test(readFileSync(`${daemon.socket}.log`, "utf8")), { timeoutMs: 10_000, what: "the worn worker's exit in the log" });
  const log = readFileSync(`${daemon.socket}.log`, "utf8");
  const asked = log.indexOf(`worker ${worn}: memory grew`);
  const ready = log.indexOf(`worker ${replacement} is ready: worker ${worn} retires at its next session boundary`);
  const retired = log.indexOf(`worker ${worn} retired: memory grew`);
  expect(asked).toBeGreaterThanOrEqual(0);
  expect(log).toContain(`starting worker ${replacement} to replace it first`);
  expect(ready).toBeGreaterThan(asked);
  expect(retired).toBeGreaterThan(ready);
  // The replacement serves on.
  expect(await servingPid()).toBe(replacement);
}, 60_000);
