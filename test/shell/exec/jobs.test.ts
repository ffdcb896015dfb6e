// The job table's numbering, as dash's makejob picks slots: the first unused
// number, or a finished job `wait` waited for, freed on the way; a fork of
// the shell (JobTable.forked) frees one such job.

import { expect, test } from "bun:test";
import type { Subprocess } from "bun";
import { type Job, JobTable } from "../../../src/shell/exec/jobs.ts";
import { CancelToken } from "../../../src/shell/exec/session.ts";

function addJob(table: JobTable, status: number | undefined): Promise<Job> {
  const job = table.add("simple", 1, new CancelToken(), new Set<Subprocess>(), new Map(), () => (status === undefined ? new Promise<number>(() => undefined) : Promise.resolve(status)));
  return status === undefined ? Promise.resolve(job) : job.done.then(() => job);
}

function ids(table: JobTable): number[] {
  return table.all().map((job) => job.id).sort();
}

test("a done job that was not waited for keeps its number", async () => {
  const table = new JobTable();
  await addJob(table, 0);
  table.forked();
  expect(ids(table)).toEqual([1]);
  expect((await addJob(table, 0)).id).toBe(2);
});

test("a fork frees the first waited job, and stops at an unused number", async () => {
  const table = new JobTable();
  const first = await addJob(table, 0);
  const second = await addJob(table, 0);
  first.isWaited = true;
  second.isWaited = true;
  table.forked();
  expect(ids(table)).toEqual([2]);
  table.forked(); // number 1 is unused now: the fork takes it and frees nothing
  expect(ids(table)).toEqual([2]);
});

test("a new job takes a waited job's number; the newest is first by recency", async () => {
  const table = new JobTable();
  const running = await addJob(table, undefined);
  const done = await addJob(table, 0);
  done.isWaited = true;
  const reused = await addJob(table, 0);
  expect(reused.id).toBe(2);
  expect(reused.order).toBeGreaterThan(running.order);
  expect(ids(table)).toEqual([1, 2]);
});
