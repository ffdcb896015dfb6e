import { describe, expect, test } from "bun:test";
import { daemonOptionsToArgv, parseDaemonOptions, UsageError } from "../../src/daemon/options.ts";

describe("parseDaemonOptions", () => {
  test("defaults follow DESIGN §2", () => {
    const { options } = parseDaemonOptions([], {});
    expect(options).toMatchObject({ mode: "pool", workers: 4, maxWorkers: 8, maxRequestsPerWorker: 1_000_000, maxWorkerGrowthMb: 64, maxQueue: 100, maxConnections: 100, requestTimeoutS: 0, verifyReset: false });
  });

  test("flags win over RUSHD_* variables", () => {
    const { options } = parseDaemonOptions(["--workers", "3"], { RUSHD_WORKERS: "9", RUSHD_MODE: "fork", RUSHD_VERIFY_RESET: "1" });
    expect(options).toMatchObject({ workers: 3, maxWorkers: 6, mode: "fork", verifyReset: true });
  });

  test("--flag=value and leftover arguments", () => {
    const { options, rest } = parseDaemonOptions(["--mode=fork", "extra", "--max-queue", "5"], {});
    expect(options.mode).toBe("fork");
    expect(options.maxQueue).toBe(5);
    expect(rest).toEqual(["extra"]);
  });

  test.each([
    [["--mode", "thread"]],
    [["--workers", "-1"]],
    [["--max-queue", "0"]],
    [["--workers", "4", "--max-workers", "2"]],
    [["--socket"]],
  ])("rejects %p", (argv) => {
    expect(() => parseDaemonOptions(argv, {})).toThrow(UsageError);
  });

  test("--idle-exit: undefined unless given (the launcher then chooses), from the flag or RUSHD_IDLE_EXIT", () => {
    expect(parseDaemonOptions([], {}).options.idleExitS).toBeUndefined();
    expect(parseDaemonOptions([], { RUSHD_IDLE_EXIT: "30" }).options.idleExitS).toBe(30);
    expect(parseDaemonOptions(["--idle-exit=0"], { RUSHD_IDLE_EXIT: "30" }).options.idleExitS).toBe(0);
    expect(daemonOptionsToArgv(parseDaemonOptions([], {}).options)).not.toContain("--idle-exit");
    expect(daemonOptionsToArgv(parseDaemonOptions(["--idle-exit", "5"], {}).options)).toEqual(expect.arrayContaining(["--idle-exit", "5"]));
  });

  test("round-trips through argv", () => {
    const { options } = parseDaemonOptions(["--mode", "fork", "--workers", "2", "--verify-reset"], {});
    expect(parseDaemonOptions(daemonOptionsToArgv(options), {}).options).toEqual(options);
  });
});
