// Resource exhaustion (issue 7): a session that runs out of fds hears of it
// on its own stderr, with a failing status, and leaks nothing. The session
// runs in a child process with a low open-files limit (children/fd-exhaustion.ts),
// so the exhaustion is that process's, not the test runner's.

import { expect, test } from "bun:test";
import { join } from "node:path";

const CHILD = join(import.meta.dir, "children", "fd-exhaustion.ts");
/** Longer than the case takes; a hung child is killed. */
const CHILD_LIMIT_MS = 20_000;

interface Report {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly fdsBefore: number;
  readonly fdsAfter: number;
  readonly started: number;
}

function isReport(value: unknown): value is Report {
  return typeof value === "object" && value !== null && "status" in value && "stdout" in value && "stderr" in value && "fdsAfter" in value;
}

test("out of fds: what cannot start says so on the session's stderr and fails (126; a pipe: 2), nothing leaks, nothing reaches the process's stderr", async () => {
  // dash's `ulimit -n` sets the soft and the hard limit (Bun raises its soft limit to the hard one).
  const child = Bun.spawn(["/bin/sh", "-c", 'ulimit -n 64 && exec "$0" "$@"', process.execPath, CHILD], {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin" },
    stdout: "pipe",
    stderr: "pipe",
    timeout: CHILD_LIMIT_MS,
    killSignal: "SIGKILL",
  });
  const [stdout, stderr, status] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  expect({ status, stderr }).toEqual({ status: 0, stderr: "" });
  const report: unknown = JSON.parse(stdout);
  if (!isReport(report)) throw new Error(`not a report: ${stdout}`);

  const counts = /^foreground 126\npipeline 2\nstarted\nkilled=(\d+) failed=(\d+) other=0\n$/.exec(report.stdout);
  expect(counts).not.toBeNull();
  const killed = Number(counts?.[1]);
  const failed = Number(counts?.[2]);
  // Some sleeps started (and were killed), the rest could not: a background job's status (126) says so to `wait`.
  expect(killed).toBeGreaterThan(0);
  expect(failed).toBeGreaterThan(0);
  expect(killed + failed).toBe(200);
  expect(report.status).toBe(0);
  // The host heard of exactly the processes that started.
  expect(report.started).toBe(killed);

  const lines = report.stderr.split("\n").slice(0, -1);
  const count = (line: string | RegExp): number => lines.filter((l) => (typeof line === "string" ? l === line : line.test(l))).length;
  expect(count("sh: 2: cannot start sleep: Too many open files")).toBe(failed);
  expect(count("Killed")).toBe(killed);
  expect(count(/^sh: \d+: cannot open file: Too many open files$/)).toBe(1);
  expect(count("sh: 4: cannot start /bin/echo: Too many open files")).toBe(1);
  expect(count("sh: 5: Pipe call failed")).toBe(1);
  expect(lines).toHaveLength(failed + killed + 3);

  // The session's pipes and the fds it opened are all closed again.
  expect(report.fdsAfter).toBe(report.fdsBefore);
}, 30_000);
