import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WorkerState } from "../../src/worker/state.ts";

// These tests change this test process's own state through WorkerState and
// check that reset() puts it back; each one ends clean or fails loudly.
describe("WorkerState", () => {
  let state: WorkerState;
  let dir: string;

  beforeEach(() => {
    state = WorkerState.capture();
    dir = realpathSync(mkdtempSync(join(tmpdir(), "rushd-state-")));
  });

  afterEach(() => {
    state.reset();
    expect(state.verify()).toEqual([]);
    rmSync(dir, { recursive: true, force: true });
  });

  test("captures cwd, env and umask", () => {
    expect(state.snapshot.cwd).toBe(process.cwd());
    expect(state.snapshot.env.PATH).toBe(process.env.PATH);
    expect(state.getUmask()).toBe(state.snapshot.umask);
    expect(state.verify()).toEqual([]);
  });

  test("reset removes added, restores changed and re-adds deleted variables", () => {
    process.env.RUSHD_TEST_CHANGED = "before";
    process.env.RUSHD_TEST_DELETED = "keep";
    state = WorkerState.capture();
    state.setEnv("RUSHD_TEST_ADDED", "new");
    state.setEnv("RUSHD_TEST_CHANGED", "after");
    state.setEnv("RUSHD_TEST_DELETED", undefined);
    expect(state.verify().sort()).toEqual([
      "env RUSHD_TEST_ADDED was added", "env RUSHD_TEST_CHANGED was changed", "env RUSHD_TEST_DELETED was deleted",
    ]);
    state.reset();
    expect(process.env.RUSHD_TEST_ADDED).toBeUndefined();
    expect(process.env.RUSHD_TEST_CHANGED).toBe("before");
    expect(process.env.RUSHD_TEST_DELETED).toBe("keep");
    expect(state.verify()).toEqual([]);
    delete process.env.RUSHD_TEST_CHANGED;
    delete process.env.RUSHD_TEST_DELETED;
    state = WorkerState.capture();
  });

  test("reset restores cwd and umask", () => {
    state.chdir(dir);
    state.enterSession(0o077);
    expect(process.cwd()).toBe(dir);
    expect(state.getUmask()).toBe(0o077);
    expect(state.verify()).toContain(`cwd is ${dir}, expected ${state.snapshot.cwd}`);
    state.reset();
    expect(process.cwd()).toBe(state.snapshot.cwd);
    expect(state.getUmask()).toBe(state.snapshot.umask);
  });

  test("reset touches only what the session changed and reports its time", () => {
    const microseconds = state.reset();
    expect(microseconds).toBeGreaterThanOrEqual(0);
    expect(state.verify()).toEqual([]);
  });

  test("verify catches a change that bypassed the tracked setters", () => {
    process.env.RUSHD_TEST_LEAK = "secret";
    state.reset(); // the leak was not tracked, so reset cannot know about it
    expect(state.verify()).toEqual(["env RUSHD_TEST_LEAK was added"]);
    delete process.env.RUSHD_TEST_LEAK;
  });
});
