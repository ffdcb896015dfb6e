// The client's lease pool, with fake links and a fake daemon: how many
// leases it takes, that it never queues at the daemon while it holds a
// link, and that a waiter is served whatever order leases end in.

import { expect, test } from "bun:test";
import { DaemonRequestError } from "../../../src/client/daemon-client.ts";
import { LeasePool, type PooledLink } from "../../../src/client/library/lease-pool.ts";

class FakeLink implements PooledLink {
  isUsable = true;
  closed = false;
  constructor(readonly id: number) {}
  cancel(): void {}
  close(): void {
    this.closed = true;
  }
}

/** A daemon with `free` workers; each request is recorded with its wait flag and answered when settled. */
class FakeDaemon {
  readonly requests: { wait: boolean; settle: (free: boolean) => void }[] = [];
  readonly made: FakeLink[] = [];
  source = (wait: boolean): Promise<FakeLink> =>
    new Promise((resolve, reject) => {
      this.requests.push({
        wait,
        settle: (free) => {
          if (!free) return reject(new DaemonRequestError("BUSY", "no worker free"));
          const link = new FakeLink(this.made.length + 1);
          this.made.push(link);
          resolve(link);
        },
      });
    });
}

const turn = () => new Promise((resolve) => setTimeout(resolve, 0));

test("leases up to the limit for concurrent commands, then reuses the links", async () => {
  const daemon = new FakeDaemon();
  const pool = new LeasePool(daemon.source, 2);
  const waiting = [pool.acquire(), pool.acquire(), pool.acquire()];
  expect(daemon.requests.length).toBe(2);
  for (const request of daemon.requests) request.settle(true);
  const [a, b] = await Promise.all(waiting.slice(0, 2));
  pool.release(a as FakeLink);
  expect(await waiting[2]).toBe(a as FakeLink);
  pool.release(b as FakeLink);
  expect(daemon.requests.length).toBe(2);
  pool.close();
  expect((a as FakeLink).closed && (b as FakeLink).closed).toBe(true);
});

test("only the first lease may queue at the daemon; later ones ask with wait: false", async () => {
  const daemon = new FakeDaemon();
  const pool = new LeasePool(daemon.source, 4);
  const first = pool.acquire();
  daemon.requests[0]?.settle(true);
  await first;
  const second = pool.acquire();
  expect(daemon.requests.map((request) => request.wait)).toEqual([true, false]);
  daemon.requests[1]?.settle(false); // BUSY: the second command waits for the first link
  await turn();
  expect(daemon.requests.length).toBe(2);
  pool.release(await first);
  expect(await second).toBe(await first);
  pool.close();
});

test("a BUSY answer after every held link ended its lease asks again, waiting, instead of stranding the waiter", async () => {
  const daemon = new FakeDaemon();
  const pool = new LeasePool(daemon.source, 4);
  const first = pool.acquire();
  daemon.requests[0]?.settle(true);
  const link = await first;
  const waiter = pool.acquire(); // asks with wait: false while `link` is busy
  link.isUsable = false; // its worker ends the lease
  pool.release(link);
  daemon.requests[1]?.settle(false); // BUSY arrives after the release
  await turn();
  expect(daemon.requests.length).toBe(3);
  expect(daemon.requests[2]?.wait).toBe(true);
  daemon.requests[2]?.settle(true);
  expect((await waiter).id).toBe(2);
  pool.close();
});

test("close rejects commands still waiting for a link and closes late leases", async () => {
  const daemon = new FakeDaemon();
  const pool = new LeasePool(daemon.source, 1);
  const waiting = pool.acquire();
  pool.close();
  expect((await waiting.catch((error: unknown) => error) as Error).name).toBe("RushdClosedError");
  daemon.requests[0]?.settle(true);
  await turn();
  expect(daemon.made.map((link) => link.closed)).toEqual([true]);
});

test("an abort while waiting for a link takes the command out of the queue at once", async () => {
  const daemon = new FakeDaemon();
  const pool = new LeasePool(daemon.source, 1);
  const first = pool.acquire();
  daemon.requests[0]?.settle(true);
  const link = await first;
  const controller = new AbortController();
  const queued = pool.acquire(controller.signal);
  const next = pool.acquire();
  controller.abort();
  expect((await queued.catch((error: unknown) => error) as Error).name).toBe("AbortError");
  pool.release(link);
  expect(await next).toBe(link); // the link went to the next waiter, not to the aborted one
  pool.close();
});

test("takeIdle hands out a free link at once, never ahead of a waiting command, never an unusable one", async () => {
  const daemon = new FakeDaemon();
  const pool = new LeasePool(daemon.source, 2);
  expect(pool.takeIdle()).toBeUndefined(); // nothing leased yet
  const first = pool.acquire();
  daemon.requests[0]?.settle(true);
  const link = (await first) as FakeLink;
  expect(pool.takeIdle()).toBeUndefined(); // it is busy
  pool.release(link);
  expect(pool.takeIdle()).toBe(link);
  // A command waiting for a link is served first: takeIdle leaves the freed link to it.
  const waiting = pool.acquire();
  pool.release(link);
  expect(pool.takeIdle()).toBeUndefined();
  expect(await waiting).toBe(link);
  pool.release(link);
  link.isUsable = false;
  expect(pool.takeIdle()).toBeUndefined();
  expect(link.closed).toBe(true);
  pool.close();
  expect(pool.takeIdle()).toBeUndefined();
});
