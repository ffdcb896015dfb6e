// The round-trip breakdown (scripts/bench/breakdown.ts) from synthetic
// samples: each stage lands in its row, a session's result write comes from
// the next sample's report, and the socket row is the remainder.

import { expect, test } from "bun:test";
import { breakdownTable, roundTripBreakdown, type StageSample } from "../../scripts/bench/breakdown.ts";

function sample(offsetNs: number, worker: Record<string, number>): StageSample {
  // 2 µs to encode, 3 µs from the arrival of the result to the resumed caller, 20 µs in all.
  return { startNs: offsetNs, encodedNs: offsetNs + 2000, arrivedNs: offsetNs + 17_000, doneNs: offsetNs + 20_000, worker };
}

const workerStages = { "decode": 500, "queue to set-up": 100, "session set-up": 1000, "queue to script": 100, "script": 1300 };

test("each stage gets its row, in microseconds, and the socket row is what the others leave", () => {
  const samples = [
    sample(0, workerStages),
    sample(100_000, { ...workerStages, "previous result encode": 500, "previous result write": 1500, "previous dispose": 400, "previous reset": 150 }),
  ];
  const rows = roundTripBreakdown(samples);
  const us = (stage: string): number | undefined => rows.find((row) => row.stage === stage)?.medianUs;
  expect(us("build and encode the request")).toBe(2);
  expect(us("decode")).toBe(0.5);
  expect(us("session set-up")).toBe(1);
  expect(us("script")).toBe(1.3);
  // The first session's result encode and write are what the second sample reported as "previous".
  expect(us("result encode")).toBe(0.5);
  expect(us("result write (the system call; the woken client may run first)")).toBe(1.5);
  expect(us("dispose of the session")).toBe(0.4);
  expect(us("reset of the worker state")).toBe(0.15);
  expect(us("decode the result, resume the caller")).toBe(3);
  expect(us("round trip (whole)")).toBe(20);
  // 20 − 2 (client encode) − 3 (worker's path: 0.5+0.1+1+0.1+1.3) − 2 (result write) − 3 (client wake-up).
  expect(us("socket: both writes, both wake-ups (the rest)")).toBeCloseTo(10, 6);
  // The last sample has no successor to report its result write: only pairs are counted.
  expect(rows.find((row) => row.stage === "round trip (whole)")).toMatchObject({ meanUs: 20 });
});

test("the table shows every row with its share of the mean round trip", () => {
  const samples = [0, 1, 2].map((i) => sample(i * 100_000, { ...workerStages, "previous result write": 2000 }));
  const table = breakdownTable(roundTripBreakdown(samples));
  expect(table.columns).toEqual(["stage", "where", "median", "mean", "share of the mean round trip", "mean in the slowest 1%"]);
  const whole = table.rows.find((row) => row[0] === "round trip (whole)");
  expect(whole).toEqual(["round trip (whole)", "client", "20.00 µs", "20.00 µs", "100%", "20.00 µs"]);
  const encode = table.rows.find((row) => row[0] === "build and encode the request");
  expect(encode?.[4]).toBe("10%");
});

test("the last column is each stage's mean over the slowest 1% of round trips", () => {
  // 199 samples of 20 µs and one of 120 µs whose extra 100 µs is in the worker's set-up: 2 pairs of 100 are the tail.
  const samples = Array.from({ length: 201 }, (_, i) => sample(i * 1_000_000, workerStages));
  samples[50] = { ...sample(50 * 1_000_000, { ...workerStages, "session set-up": 101_000 }), arrivedNs: 50 * 1_000_000 + 117_000, doneNs: 50 * 1_000_000 + 120_000 };
  const rows = roundTripBreakdown(samples);
  const tail = (stage: string): number | undefined => rows.find((row) => row.stage === stage)?.tailMeanUs;
  // The slowest 1% of 200 pairs is 2 of them: the 120 µs one and one of 20 µs.
  expect(tail("round trip (whole)")).toBe(70);
  expect(tail("session set-up")).toBe(51);
  expect(rows.find((row) => row.stage === "session set-up")?.medianUs).toBe(1);
});
