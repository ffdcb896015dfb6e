// --profile-stages: a worker reports where each session's time went with
// its result (the bench's round-trip breakdown); without it, nothing.

import { describe, expect, test } from "bun:test";
import { useLibraryClient } from "./harness.ts";

describe("a daemon started with --profile-stages", () => {
  const fixture = useLibraryClient("pool", ["--workers", "1", "--profile-stages"]);

  test("reports the worker's stages with each result, the tail of the session before from the second on", async () => {
    const { rushd } = fixture();
    const first = await rushd.run("echo hi");
    expect(new TextDecoder().decode(first.stdout)).toBe("hi\n");
    const second = await rushd.run("true");
    for (const result of [first, second]) {
      for (const stage of ["decode", "session set-up", "script"]) {
        expect(result.stages?.[stage]).toBeGreaterThanOrEqual(0);
        expect(Number.isInteger(result.stages?.[stage])).toBe(true);
      }
    }
    // The first session's result write, dispose and reset came after its own result.
    for (const stage of ["previous result encode", "previous result write", "previous dispose", "previous reset"]) expect(second.stages?.[stage]).toBeGreaterThanOrEqual(0);
  });
});

describe("a daemon without --profile-stages", () => {
  const fixture = useLibraryClient("pool", ["--workers", "1"]);

  test("reports no stages", async () => {
    const result = await fixture().rushd.run("true");
    expect(result.status).toBe(0);
    expect(result.stages).toBeUndefined();
    expect("stages" in result).toBe(false);
  });
});
