// Issue 8, seen from the programs people run through `rushd -c`: a
// full-screen program in a terminal, `stty`, a parallel recursive make, and
// a pooled worker's own fd table after many sessions with passed fds. Each
// case here behaved differently from `sh -c` before the caller's fds were
// passed; the expected values are what dash gives in the same spot.
//
// A test needs real programs (script(1) for a pseudo-terminal, vi, less,
// stty, make, mkfifo); it is skipped when one is missing. Every process a
// test starts is either awaited or killed by Bun.spawn's own timeout (a
// guard against a hang, never an assertion), and the daemons are stopped by
// useDaemon with everything they started.

import { describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { until, WaitTimeoutError } from "../../src/common/until.ts";
import { RUSHD, useDaemon } from "./harness.ts";

const has = (...programs: readonly string[]): boolean => programs.every((program) => Bun.which(program) !== null);

/** Long enough for a loaded 2-core machine; only reached if something hangs. */
const HANG_GUARD_MS = 20_000;

interface Finished {
  readonly status: number | null;
  readonly signal: string | number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Run `command` (sh syntax, $R is dist/rushd) on the slave side of a new
 * pseudo-terminal made by script(1), whose stdin is kept open (an EOF would
 * make script send ^D into the terminal). With `reply`, `keys` are typed into
 * the terminal once the program has printed `after`, so a key is never read
 * before the program is ready for it.
 */
async function runInPty(command: string, env: Record<string, string>, reply?: { after: string; keys: string }): Promise<Finished> {
  const child = Bun.spawn(["script", "-qec", command, "/dev/null"], {
    env: { ...env, R: RUSHD, TERM: "xterm", SHELL: "/bin/sh" },
    stdin: "pipe",
    stdout: "pipe",
    stderr: "pipe",
    timeout: HANG_GUARD_MS,
    killSignal: "SIGKILL",
  });
  const stderr = new Response(child.stderr).text();
  const decoder = new TextDecoder();
  let stdout = "";
  let isReplied = reply === undefined;
  for await (const chunk of child.stdout) {
    stdout += decoder.decode(chunk, { stream: true });
    if (reply !== undefined && !isReplied && stdout.includes(reply.after)) {
      child.stdin.write(reply.keys);
      await child.stdin.flush();
      isReplied = true;
    }
  }
  const status = await child.exited;
  await child.stdin.end();
  return { status: child.signalCode === null ? status : null, signal: child.signalCode, stdout, stderr: await stderr };
}

async function runMake(dir: string, env: Record<string, string>): Promise<Finished> {
  const child = Bun.spawn(["make", "-s", "-j2", "--no-print-directory", `SHELL=${RUSHD}`], {
    cwd: dir,
    env: { ...env, LC_ALL: "C" }, // make's warnings in English, as matched below
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
    timeout: HANG_GUARD_MS,
    killSignal: "SIGKILL",
  });
  const [stdout, stderr, status] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { status: child.signalCode === null ? status : null, signal: child.signalCode, stdout, stderr };
}

// A recursive build whose two sub-targets can only finish together: a and b
// meet through two FIFOs, each waiting for the other, so sub's make must run
// them at once, with the second job slot it takes from the top make's
// jobserver. The jobserver's fds reach `$(MAKE) -C sub` only through the
// recipe shell, here `rushd -c`. Run at -j1 (which make falls back to, with
// its "jobserver unavailable" warning, when the fds are missing) it would
// never end.
const TOP_MAKEFILE = "all:\n\t$(MAKE) -C sub\n";
const SUB_MAKEFILE = `all: a b
\t@echo done
a: fifos
\t@echo a >ab.fifo; read x <ba.fifo; echo "a got $$x"
b: fifos
\t@read x <ab.fifo; echo "b got $$x"; echo b >ba.fifo
fifos:
\t@rm -f ab.fifo ba.fifo; mkfifo ab.fifo ba.fifo
.PHONY: all a b fifos
`;

describe.each(["pool", "fork"] as const)("%s mode", (mode) => {
  const current = useDaemon(mode);

  test.if(has("script", "vi"))("vi -c q in a terminal exits 0 through rushd -c", async () => {
    const result = await runInPty(`"$R" -c 'vi -c q'`, current().env);
    expect({ status: result.status, signal: result.signal, stderr: result.stderr }).toEqual({ status: 0, signal: null, stderr: "" });
    // vi drew on the terminal, and did not complain that it has none.
    expect(result.stdout).toContain("\x1b[");
    expect(result.stdout).not.toContain("not to a terminal");
    expect(result.stdout).not.toContain("not from a terminal");
  });

  test.if(has("script", "less"))("less in a terminal shows the file and quits on q through rushd -c", async () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), "rushd-less-")));
    try {
      writeFileSync(join(dir, "page.txt"), "first line\nsecond line\n");
      // less prints (END) at the end of a short file, then waits for a key.
      const result = await runInPty(`"$R" -c 'less "$1"' sh ${join(dir, "page.txt")}`, current().env, { after: "(END)", keys: "q" });
      expect({ status: result.status, signal: result.signal, stderr: result.stderr }).toEqual({ status: 0, signal: null, stderr: "" });
      expect(result.stdout).toContain("first line");
      expect(result.stdout).toContain("second line");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test.if(has("script", "stty"))("stty size through rushd -c prints the terminal's size", async () => {
    // dash -c 'stty size' in the same terminal prints "40 100".
    const result = await runInPty(`stty rows 40 cols 100 && "$R" -c 'stty size; test -t 0 && test -t 1 && echo tty'`, current().env);
    expect(result).toEqual({ status: 0, signal: null, stdout: "40 100\r\ntty\r\n", stderr: "" });
  });

  test.if(has("make", "mkfifo"))("make -j2 SHELL=rushd: a recursive make gets the jobserver and runs its two targets at once", async () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), "rushd-make-")));
    try {
      writeFileSync(join(dir, "Makefile"), TOP_MAKEFILE);
      mkdirSync(join(dir, "sub"));
      writeFileSync(join(dir, "sub", "Makefile"), SUB_MAKEFILE);
      // GNU make 4.3 says "make[1]: warning: jobserver unavailable: using -j1.  Add '+' to parent make rule."
      // when the fds in MAKEFLAGS are not open; stderr must be empty. As with SHELL=/usr/bin/dash.
      expect(await runMake(dir, current().env)).toEqual({ status: 0, signal: null, stdout: "b got a\na got b\ndone\n", stderr: "" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // Found while writing these tests: under dash, `sh -c CMD` with no name
  // operand sets $0 to its own argv[0] (XCU sh: "the first argument passed to
  // sh from its parent"), so (exec -a foo dash -c 'echo $0') prints foo and
  // make SHELL=/usr/bin/dash reports "/usr/bin/dash: 1: nosuch: not found";
  // rushd -c always says "rushd" (src/cli/invocation.ts falls back to a fixed
  // name). Left to the owners of src/cli; run with `bun test --todo`.
  test("$0 of rushd -c without a name operand is the caller's argv[0], as in dash", async () => {
    const child = Bun.spawn(["bash", "-c", `(exec -a foo "$R" -c 'echo $0')`], { env: { ...current().env, R: RUSHD }, stdout: "pipe" });
    expect(await new Response(child.stdout).text()).toBe("foo\n");
    expect(await child.exited).toBe(0);
  });
});

/** A process's open fds: number → what it refers to (a path, pipe:[inode], socket:[inode], anon_inode:…). */
function fdTable(pid: number): Record<string, string> {
  const table: Record<string, string> = {};
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      table[fd] = readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch (error) {
      // Closed between the listing and the readlink: it is not open any more.
      if (error instanceof Error && "code" in error && error.code === "ENOENT") continue;
      throw error;
    }
  }
  return table;
}

/**
 * `count` clients in one bash loop (a fork and an exec each, ~10 ms, not a
 * Bun.spawn from here), each with 0, 1, 2 and 3 passed; stdin a file for
 * half of them, a pipe for the others (`read` looks at a pipe through a pipe
 * of the worker's own, which must not count as a new fd).
 */
async function runPassedFdClients(count: number, dir: string, env: Record<string, string>): Promise<{ status: number; stderr: string }> {
  const client = `"$R" -c 'read x; echo "$x" >&3; echo o; echo e >&2' 3>>fd3 >/dev/null 2>&1`;
  const loop = Bun.spawn(["bash", "-c", `for i in $(seq ${count}); do if [ $((i % 2)) = 0 ]; then ${client} <in || exit 1; else cat in | ${client} || exit 1; fi; done`], {
    cwd: dir,
    env: { ...env, R: RUSHD },
    stdout: "ignore",
    stderr: "pipe",
  });
  const [stderr, status] = await Promise.all([new Response(loop.stderr).text(), loop.exited]);
  return { status, stderr };
}

describe("a pooled worker's fds after 1000 sessions with passed fds", () => {
  // One worker that serves the sessions and is not retired by them:
  // --max-requests-per-worker must be above the 1000 sessions.
  const current = useDaemon("pool", ["--workers", "1", "--max-workers", "1", "--max-requests-per-worker", "5000"]);
  const SESSIONS = 1000;
  // A client that finds the one worker still resetting runs its command
  // itself (rushd -c never queues): such sessions are made up for in
  // another round, so the worker serves exactly SESSIONS whatever the load.
  const MAX_ROUNDS = 5;

  test("are exactly the fds it had before them", async () => {
    await current().sh("true"); // the worker has served a session: whatever Bun opens once is open
    // Its report of that session is batched (within 100 ms): the baseline must include it.
    const settled = (status: Awaited<ReturnType<ReturnType<typeof current>["status"]>>): boolean =>
      (status.workers[0]?.requests ?? 0) + Number(status.leases_refused_no_wait) >= 1;
    await until(async () => settled(await current().status()), { timeoutMs: 10_000, what: "the warm-up session's report" });
    const first = await current().status();
    const [worker] = first.workers;
    if (worker === undefined) throw new Error("the daemon has no worker");
    const before = fdTable(worker.pid);
    const dir = realpathSync(mkdtempSync(join(tmpdir(), "rushd-fds-")));
    let clients = 0;
    let served = 0;
    try {
      writeFileSync(join(dir, "in"), "line\n");
      for (let round = 0; round < MAX_ROUNDS && served < SESSIONS; round++) {
        expect(await runPassedFdClients(SESSIONS - served, dir, current().env)).toEqual({ status: 0, stderr: "" });
        clients += SESSIONS - served;
        // The worker reports what it served in batches (within 100 ms): wait for the counts to arrive.
        let now = await current().status();
        const accounted = (status: typeof now): number =>
          (status.workers[0]?.requests ?? 0) - worker.requests + Number(status.leases_refused_no_wait) - Number(first.leases_refused_no_wait);
        await until(async () => accounted((now = await current().status())) >= clients, { timeoutMs: 10_000, what: "the served counts" }).catch(() => undefined);
        expect(now.workers.map((each) => each.pid)).toEqual([worker.pid]); // the same worker, never replaced
        served = (now.workers[0]?.requests ?? 0) - worker.requests;
        // Every client was served by the worker or refused a lease and ran in process: none is lost.
        expect(accounted(now)).toBe(clients);
      }
      expect(served).toBe(SESSIONS);
      expect(readFileSync(join(dir, "fd3"), "utf8")).toBe("line\n".repeat(clients));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // Bun closes some of its own fds a few turns of its loop late: let the table settle, then compare it whole.
    try {
      await until(() => Bun.deepEquals(fdTable(worker.pid), before), { timeoutMs: 10_000, what: "the worker's fd table to return to what it was" });
    } catch (error) {
      if (!(error instanceof WaitTimeoutError)) throw error; // the comparison below shows what differs
    }
    expect(fdTable(worker.pid)).toEqual(before);
  }, 90_000);
});
