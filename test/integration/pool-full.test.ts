// A full pool (issue 8 item 7): `rushd -c` does not queue behind other
// clients; with no worker free and the pool at --max-workers it runs the
// command in process at once, silently. The library still queues.

import { describe, expect, test } from "bun:test";
import { connect } from "../../src/client/library/index.ts";
import { until } from "../../src/common/until.ts";
import { RUSHD, useDaemon } from "./harness.ts";

const ITEMS = 32;
const PARALLEL = 16;

describe("a full pool", () => {
  const current = useDaemon("pool", ["--workers", "1", "--max-workers", "2"]);

  test(`xargs -P${PARALLEL} over ${ITEMS} × rushd -c 'sleep 1; echo': all succeed; those no worker could take ran in process`, async () => {
    await until(async () => (await current().status()).workers.some((worker) => worker.state === "idle"), { timeoutMs: 15_000, what: "the first worker to be ready" });
    const before = await current().status();
    const items = Array.from({ length: ITEMS }, (_, i) => `item-${i}`);
    const xargs = Bun.spawn(["xargs", `-P${PARALLEL}`, "-n1", RUSHD, "-c", 'sleep 1; echo "$1"', "sh"], {
      env: current().env,
      stdin: new TextEncoder().encode(`${items.join("\n")}\n`),
      stdout: "pipe",
      stderr: "pipe",
    });
    const [stdout, stderr, status] = await Promise.all([new Response(xargs.stdout).text(), new Response(xargs.stderr).text(), xargs.exited]);
    expect({ status, stderr }).toEqual({ status: 0, stderr: "" }); // the in-process runs say nothing
    expect(stdout.split("\n").filter((line) => line !== "").sort()).toEqual([...items].sort());

    const after = await current().status();
    const refused = (after.leases_refused_no_wait as number) - (before.leases_refused_no_wait as number);
    const leased = (after.leases_total as number) - (before.leases_total as number);
    expect(refused).toBeGreaterThanOrEqual(1);
    expect(leased).toBeGreaterThanOrEqual(1);
    // Every client asked once: it got a worker or was told to run in process, never queued.
    expect(leased + refused).toBe(ITEMS);
    expect(after.workers_peak as number).toBeLessThanOrEqual(2);
    expect(after.workers_started as number).toBeLessThanOrEqual(2);
  }, 120_000);

  test("the library still queues for a worker when the pool is full, and is never refused", async () => {
    const before = await current().status();
    const clients = await Promise.all(Array.from({ length: 3 }, () => connect({ socket: current().socket, autostart: false })));
    try {
      // Three clients, two workers: one of them must wait for another's lease to end.
      const results = await Promise.all(clients.map((client, i) => client.run('sleep 1; echo "lib $1"', { args: [String(i)] })));
      results.forEach((result, i) => {
        expect(result.status).toBe(0);
        expect(new TextDecoder().decode(result.stdout)).toBe(`lib ${i}\n`);
        expect(new TextDecoder().decode(result.stderr)).toBe("");
      });
    } finally {
      for (const client of clients) client.close();
    }
    const after = await current().status();
    expect(after.leases_refused_no_wait).toBe(before.leases_refused_no_wait);
    expect(after.workers_peak as number).toBeLessThanOrEqual(2);
  }, 60_000);
});
