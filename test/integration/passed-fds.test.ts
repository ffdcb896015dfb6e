// Issue 8 (first step): `rushd -c` hands the worker its own fds (SCM_RIGHTS),
// so the command runs on the caller's stdin, stdout, stderr, terminal and
// any other fd it was given, as under `sh -c`; the worker closes them after
// the session.

import { describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { until } from "../../src/common/until.ts";
import { RUSHD, useDaemon } from "./harness.ts";

function shell(script: string, env: Record<string, string>, cwd?: string): Promise<{ status: number; stdout: string; stderr: string }> {
  const child = Bun.spawn(["bash", "-c", script], { env: { ...env, R: RUSHD }, cwd, stdout: "pipe", stderr: "pipe" });
  return Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]).then(([stdout, stderr, status]) => ({ status, stdout, stderr }));
}

describe.each(["pool", "fork"] as const)("%s mode", (mode) => {
  const current = useDaemon(mode, ["--workers", "1", "--max-workers", "2"]);

  test("the caller's stdin is not read ahead: a while-read loop around rushd -c runs once per line", async () => {
    const result = await shell(`seq 10 | while read -r l; do "$R" -c 'ls / >/dev/null; echo "$1"' x "$l"; done`, current().env);
    expect(result).toEqual({ status: 0, stdout: "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", stderr: "" });
  });

  test("the caller's fds are the command's, and only they: fd 10 on /dev/null and a file at 12 included", async () => {
    // Each fd with where it points, for the shell itself and an external command, as under dash.
    const list = "for n in 0 1 2 3 4 5 6 7 8 9 10 11 12 13; do [ -e /proc/self/fd/$n ] && echo $n; done; ls /proc/self/fd | sort -n | tr '\\n' ' '; echo";
    const around = "10</dev/null 12</etc/hostname </dev/null 2>/dev/null 251>&- | cat";
    const [dash, rushd] = await Promise.all([shell(`dash -c "$L" ${around}`, { ...current().env, L: list }), shell(`"$R" -c "$L" ${around}`, { ...current().env, L: list })]);
    expect(rushd).toEqual(dash);
    expect(rushd.stdout).toContain("10\n");
    // dash's redirections take one digit: fds 10 and 12 reach external commands (and /dev/fd paths).
    expect((await shell(`"$R" -c 'cat /dev/fd/10; echo "st=$?"; head -c 2 /dev/fd/12; echo; [ -e /dev/fd/12 ] && echo open' 10</dev/null 12</etc/hostname`, current().env)).stdout).toMatch(/^st=0\n..\nopen\n$/);
  });

  test("an fd the caller opened reaches the command, and /dev/stdin is the caller's stdin", async () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), "rushd-fds-")));
    try {
      const result = await shell(`"$R" -c 'echo x >&3; cat /dev/stdin' 3>fd3.out <<<piped`, current().env, dir);
      expect(result).toEqual({ status: 0, stdout: "piped\n", stderr: "" });
      expect(readFileSync(join(dir, "fd3.out"), "utf8")).toBe("x\n");
      // stdout and stderr to one file keep their order: they are one fd.
      await shell(`"$R" -c 'echo a; echo b >&2; echo c; echo d >&2' >order.out 2>&1`, current().env, dir);
      expect(readFileSync(join(dir, "order.out"), "utf8")).toBe("a\nb\nc\nd\n");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("/dev/stdin, /dev/stdout, /dev/stderr and /dev/fd/N in a redirection name the session's fds, as they name dash's", async () => {
    // Each line as dash gives it (recorded with dash 0.5.12 on Linux).
    const cases: [string, string, { status: number; stdout: string; stderr: string }][] = [
      ["echo oops >/dev/stderr; echo out >/dev/stdout; echo three >/dev/fd/2", "2>&1 | cat", { status: 0, stdout: "oops\nout\nthree\n", stderr: "" }],
      ["cat </dev/stdin; read x </dev/stdin; echo \"[$x]\"", "<<<piped", { status: 0, stdout: "piped\n[]\n", stderr: "" }],
      ["exec 4>&1; echo viafour >/dev/fd/4; echo proc >/proc/self/fd/4", "| cat", { status: 0, stdout: "viafour\nproc\n", stderr: "" }],
      ["cat </dev/fd/7", "", { status: 2, stdout: "", stderr: "cannot open /dev/fd/7: No such file" }],
      ["echo x >/dev/fd/7", "", { status: 2, stdout: "", stderr: "cannot create /dev/fd/7: Directory nonexistent" }],
      ["exec 1>&-; echo x >/dev/stdout", "", { status: 2, stdout: "", stderr: "cannot create /dev/stdout: Directory nonexistent" }],
      ["echo y >/dev/fd/01", "", { status: 2, stdout: "", stderr: "cannot create /dev/fd/01: Directory nonexistent" }],
      // test's file operators and `.` look at the session's fds too.
      ["[ -e /dev/fd/3 ] && echo has3; [ -e /dev/fd/5 ] || echo no5; [ -f /dev/fd/3 ] && echo file3; [ -p /dev/stdout ] && echo pipe", "3</etc/hostname | cat", { status: 0, stdout: "has3\nno5\nfile3\npipe\n", stderr: "" }],
      [". /dev/stdin; echo after", "<<<'echo sourced'", { status: 0, stdout: "sourced\nafter\n", stderr: "" }],
      [". /dev/fd/7", "", { status: 2, stdout: "", stderr: ".: cannot open /dev/fd/7: No such file" }],
    ];
    for (const [script, around, want] of cases) {
      const result = await shell(`"$R" -c '${script.replaceAll("'", "'\\''")}' ${around}`, current().env);
      // The message's prefix is the shell's name ($0: the client's path here, `dash` under dash).
      expect({ script, ...result, stderr: result.stderr.replace(/^.*: 1: /, "").trimEnd() }).toEqual({ script, ...want });
    }
  });

  test("/dev/fd/N of a file the caller gave opens it anew, truncating it as under dash", async () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), "rushd-fdpath-")));
    try {
      writeFileSync(join(dir, "f"), "before\n");
      const result = await shell(`"$R" -c 'echo one >&3; echo two >/dev/fd/3; echo three >>/dev/fd/3' 3>>f; cat f`, current().env, dir);
      expect(result).toEqual({ status: 0, stdout: "two\nthree\n", stderr: "" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("in a terminal the command opens /dev/tty (ssh's and sudo's prompts), builtin and external, as under sh -c", async () => {
    // script(1) makes the pseudo-terminal the controlling terminal of rushd -c, as a login shell has one.
    const probe = `exec 3</dev/tty && echo builtin; sh -c "exec 4</dev/tty && echo external"; tty`;
    const result = await shell(`script -qec '"$R" -c "$PROBE"' /dev/null </dev/null`, { ...current().env, PROBE: probe });
    expect(result.stdout.replaceAll("\r", "")).toMatch(/^builtin\nexternal\n\/dev\/pts\/\d+\n$/);
  });

  test("in a terminal the command sees a terminal on 0, 1 and 2", async () => {
    const result = await shell(`script -qec "$R -c 'test -t 0 && test -t 1 && test -t 2 && echo tty'" /dev/null </dev/null`, current().env);
    expect(result.stdout.replaceAll("\r", "")).toBe("tty\n");
  });

  test("the command has the caller's limits, nice value and ignored signals", async () => {
    expect(await shell(`ulimit -n 777 && "$R" -c 'ulimit -n'`, current().env)).toEqual({ status: 0, stdout: "777\n", stderr: "" });
    expect(await shell(`nice -n 7 "$R" -c 'nice'`, current().env)).toEqual({ status: 0, stdout: "7\n", stderr: "" });
    // POSIX: a signal ignored on entry to a non-interactive shell cannot be trapped.
    const ignored = await shell(`trap '' USR1; "$R" -c 'trap "echo caught" USR1; kill -USR1 $$; echo alive'`, current().env);
    expect(ignored).toEqual({ status: 0, stdout: "alive\n", stderr: "" });
    // Also those the client forwards to the session: it must not take them over from the caller.
    for (const signal of ["INT", "TERM", "HUP", "QUIT"]) {
      const kept = await shell(`trap '' ${signal}; "$R" -c 'trap "echo caught" ${signal}; kill -${signal} $$; echo alive'`, current().env);
      expect({ signal, ...kept }).toEqual({ signal, status: 0, stdout: "alive\n", stderr: "" });
    }
  });

  test("another process that signals $$ reaches the session's shell, as it reaches dash, and the worker lives on", async () => {
    // A worker that died of a signal is replaced, and counted; the pool growing and shrinking back
    // under a loaded machine's timing is not (its pids may change, its count of replacements does not).
    const replacedBefore = (await current().status()).workers_replaced;
    // Each as dash gives it (recorded with dash 0.5.12); the statuses are what the calling bash sees.
    const cases: [string, { status: number; stdout: string }][] = [
      [`trap "echo got" USR1; sh -c "kill -USR1 $$; sleep 0.2; echo child $?"; echo after $?`, { status: 0, stdout: "child 0\ngot\nafter 0\n" }],
      [`trap "echo got-term" TERM; /bin/kill -TERM $$; sleep 0.2; echo after`, { status: 0, stdout: "got-term\nafter\n" }],
      [`/bin/kill $$; echo not-reached`, { status: 143, stdout: "" }],
      [`(sleep 0.2; /bin/kill $$) & sleep 5; echo not-reached`, { status: 143, stdout: "" }],
    ];
    for (const [script, want] of cases) {
      const result = await shell(`"$R" -c "$S"`, { ...current().env, S: script });
      expect({ script, status: result.status, stdout: result.stdout }).toEqual({ script, ...want });
    }
    expect((await current().status()).workers_replaced).toBe(replacedBefore);
    // The caller signals the shell it started: rushd -c passes USR1 on, as it does INT and TERM.
    const fromCaller = await shell(`"$R" -c 'trap "echo usr1" USR1; sleep 1; echo done' & sleep 0.4; kill -USR1 $!; wait $!`, current().env);
    expect({ status: fromCaller.status, stdout: fromCaller.stdout }).toEqual({ status: 0, stdout: "usr1\ndone\n" });
  });

  test("a command that kills its own shell ends rushd -c by that signal, as sh -c", async () => {
    const child = Bun.spawn([RUSHD, "-c", "kill $$"], { env: current().env, stdout: "pipe" });
    await child.exited;
    expect(child.signalCode).toBe("SIGTERM");
    const exitsNormally = Bun.spawn([RUSHD, "-c", "sh -c 'kill $$'; echo $?"], { env: current().env, stdout: "pipe" });
    expect(await new Response(exitsNormally.stdout).text()).toBe("143\n");
    expect(await exitsNormally.exited).toBe(0);
  });

  test("a background command that redirected its output does not hold the caller's stdout open", async () => {
    const tag = `${3000 + Math.floor(Math.random() * 5000)}.5`;
    try {
      // A hang here (the test's timeout) is the failure: the reader waits for the pipe to close.
      const result = await shell(`"$R" -c 'sleep ${tag} >/dev/null 2>&1 & echo started' | cat`, current().env);
      expect(result).toEqual({ status: 0, stdout: "started\n", stderr: "" });
    } finally {
      Bun.spawnSync(["pkill", "-f", `sleep ${tag}`]);
    }
  }, 20_000);

  test("a closed fd stays closed for the command", async () => {
    // As dash: the redirection to the closed fd 2 fails (its message has nowhere to go), status 2.
    const result = await shell(`"$R" -c 'echo out; echo err >&2' 2>&-`, current().env);
    expect(result).toEqual({ status: 2, stdout: "out\n", stderr: "" });
    expect(await shell(`"$R" -c 'echo out; echo err >&2' 2>/dev/null`, current().env)).toEqual({ status: 0, stdout: "out\n", stderr: "" });
  });
});

describe("the worker's own fds", () => {
  const current = useDaemon("pool", ["--workers", "1", "--max-workers", "1"]);

  test("after many sessions with passed fds the worker has the fds it had before", async () => {
    await current().sh("true");
    const [worker] = (await current().status()).workers;
    const pid = worker?.pid as number;
    const fdsOf = () => readdirSync(`/proc/${pid}/fd`).length;
    const before = fdsOf();
    const dir = realpathSync(mkdtempSync(join(tmpdir(), "rushd-fds-")));
    try {
      writeFileSync(join(dir, "in"), "line\n");
      const result = await shell(`for i in $(seq 100); do "$R" -c 'read x; echo "$x" >&3; echo o; echo e >&2' 3>>fd3 <in >/dev/null 2>&1 || exit 1; done; wc -l <fd3`, current().env, dir);
      expect(result).toEqual({ status: 0, stdout: "100\n", stderr: "" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // Sessions the worker turns away (attached to the caller's controlling terminal) give the fds back too.
    const terminal = await shell(`for i in $(seq 10); do script -qec "$R -c 'true'" /dev/null </dev/null || exit 1; done; echo done`, current().env);
    expect(terminal).toEqual({ status: 0, stdout: "done\n", stderr: "" });
    expect((await current().status()).workers.map((each) => each.pid)).toEqual([pid]);
    // Bun closes some of its own fds a few turns of its loop later: wait for the count to settle.
    await until(() => fdsOf() <= before, { timeoutMs: 10_000, what: `the worker's fds to return to ${before}` });
  }, 60_000);
});
