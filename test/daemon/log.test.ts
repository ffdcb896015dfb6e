import { expect, test } from "bun:test";
import { closeSync, openSync } from "node:fs";
import { DaemonLog } from "../../src/daemon/log.ts";

test("a write that fails (ENOSPC on /dev/full) is dropped and counted, never thrown", () => {
  const fd = openSync("/dev/full", "w");
  try {
    const log = new DaemonLog(fd);
    for (let i = 0; i < 5; i++) log.line(`line ${i}`);
    expect([log.written, log.dropped]).toEqual([0, 5]);
  } finally {
    closeSync(fd);
  }
});

test("a burst beyond the rate limit is dropped, then reported once writing may go on", () => {
  const fd = openSync("/dev/null", "w");
  let now = 0;
  try {
    const log = new DaemonLog(fd, () => now);
    for (let i = 0; i < 250; i++) log.line("flood");
    expect([log.written, log.dropped]).toEqual([200, 50]);
    now += 1000; // 20 lines/s refill
    log.line("after");
    expect(log.written).toBe(201);
  } finally {
    closeSync(fd);
  }
});
