import { expect, test } from "bun:test";
import type { Connection } from "../../src/protocol/index.ts";
import { ConnectionTable, effectiveConnectionLimit } from "../../src/daemon/connections.ts";

const fake = (): Connection => ({}) as Connection;

test("at the limit the connection idle the longest is shed; with every one busy a newcomer is refused", () => {
  const table = new ConnectionTable(2);
  const [a, b, c, d] = [fake(), fake(), fake(), fake()];
  expect(table.admit(a, 0)).toEqual({ kind: "admitted", shed: undefined });
  expect(table.admit(b, 1).kind).toBe("admitted");
  table.requestStarted(a, 2); // a is busy, b idle
  const third = table.admit(c, 3);
  expect(third.kind === "admitted" && third.shed?.connection).toBe(b);
  table.requestStarted(c, 4);
  expect(table.admit(d, 5).kind).toBe("refused");
  expect([table.size, table.shedTotal, table.refusedTotal]).toEqual([2, 1, 1]);
  table.requestFinished(a, 6);
  const fourth = table.admit(d, 7);
  expect(fourth.kind === "admitted" && fourth.shed?.connection).toBe(a);
});

test("only connections with no request in flight time out", () => {
  const table = new ConnectionTable(10);
  const [idle, busy, recent] = [fake(), fake(), fake()];
  table.admit(idle, 0);
  table.admit(busy, 0);
  table.requestStarted(busy, 0);
  table.admit(recent, 900);
  expect(table.takeTimedOut(1000, 1000).map((tracked) => tracked.connection)).toEqual([idle]);
  expect(table.size).toBe(2);
  expect(table.timedOutTotal).toBe(1);
});

test.each([
  [100, 20_000, 8, 100],
  [100, 96, 2, 56],
  [100, 40, 8, 1],
])("limit %p with %p open files and %p workers: %p", (configured, openFiles, workers, want) => {
  expect(effectiveConnectionLimit(configured, openFiles, workers)).toBe(want);
});
