// A pooled worker retires on evidence (issue 10): here, memory grown past
// --max-worker-growth-mb. It is checked every 64 sessions; the retired
// worker's reason reaches the daemon's log, and a fresh worker serves on.
// (With room for a replacement it is replaced first: replacement.test.ts.)

import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { until } from "../../src/common/until.ts";
import { useLibraryClient } from "../client/library/harness.ts";

const fixture = useLibraryClient("pool", ["--workers", "1", "--max-workers", "1", "--max-worker-growth-mb", "16"], { maxConcurrency: 1 });

test("a worker whose RSS grew past the bound retires and is replaced; one that did not grow serves on", async () => {
  const { daemon, rushd } = fixture();
  const [first] = (await daemon.status()).workers.map((worker) => worker.pid);
  // 64 small sessions: checked, not grown: the same worker.
  for (let i = 0; i < 64; i++) expect((await rushd.run("true")).status).toBe(0);
  expect((await daemon.status()).workers.map((worker) => worker.pid)).toEqual([first as number]);
  // One session holds a 48 MB value (96 MB as a JS string); the worker's RSS stays up after it.
  const big = await rushd.run('x=$(head -c 50331648 /dev/zero | tr "\\0" a); echo ${#x}', { encoding: "utf8" });
  expect(big.stdout).toBe("50331648\n");
  for (let i = 0; i < 64; i++) expect((await rushd.run("true")).status).toBe(0);
  // It asks the daemon for a replacement first (replacement.test.ts); with --max-workers 1 there is
  // no room for one, so the daemon tells it to retire at once: it leaves at its next session boundary.
  await until(async () => {
    expect((await rushd.run("true")).status).toBe(0);
    return !(await daemon.status()).workers.some((worker) => worker.pid === first);
  }, { timeoutMs: 10_000, what: "the grown worker gone" });
  expect(readFileSync(`${daemon.socket}.log`, "utf8")).toMatch(/memory grew from [\d.]+ MB to [\d.]+ MB/);
  expect((await rushd.run("echo served", { encoding: "utf8" })).stdout).toBe("served\n");
}, 60_000);
