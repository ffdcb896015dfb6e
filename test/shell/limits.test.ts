// Limits of the interpreter (issue 4): deep nesting, very long lines, huge
// here-docs and runaway recursion end in a clear error and a status, or just
// work; they never overflow the stack of the process that runs them, nor grow
// its heap without bound. Scripts run in dist/rushd (`npm test` builds it) as
// a child process, so a crash shows up as a wrong status instead of killing
// the test runner; the last group runs them through a daemon and checks that
// its worker survives. Parser-level positions are checked in-process (the
// parser's own limit keeps that safe).

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ShellSyntaxError } from "../../src/shell/errors.ts";
import { MAX_NESTING } from "../../src/shell/lexer.ts";
import { parse } from "../../src/shell/parser/index.ts";
import { MAX_CALL_DEPTH } from "../../src/shell/exec/executor.ts";
import { RUSHD, TestDaemon } from "../integration/harness.ts";

const DEPTH = 10_000;
const ENV = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: "/tmp" };

let dir = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "rushd-limits-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Longer than any case takes; a hung child is killed (a blocked process may not see SIGTERM). */
const CHILD_LIMIT_MS = 20_000;

/** Run dist/rushd with `args`, killing it if it outlives CHILD_LIMIT_MS (its status is then 137). */
async function runRushdBounded(args: readonly string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const child = Bun.spawn([RUSHD, ...args], { env: ENV, stdout: "pipe", stderr: "pipe", timeout: CHILD_LIMIT_MS, killSignal: "SIGKILL" });
  const [stdout, stderr, status] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { status, stdout, stderr };
}

/**
 * Run a script in a fresh `rushd --no-daemon` process, from a file since one
 * argv string is limited to 128 KB. Messages name the script as `$0`; they
 * are given back as `rushd: …`, as `rushd -c` writes them.
 */
async function runInChild(script: string): Promise<{ status: number; stdout: string; stderr: string }> {
  const file = join(dir, `script-${Bun.hash(script).toString(16)}.sh`);
  writeFileSync(file, script);
  const { status, stdout, stderr } = await runRushdBounded(["--no-daemon", file]);
  return { status, stdout, stderr: stderr.replaceAll(`${file}:`, "rushd:") };
}

// [construct, text before, the repeated opener, where in the opener the nesting starts, text after]
const DEEP: readonly (readonly [string, string, string, number, string])[] = [
  ["(", "", "(", 0, "true"],
  ["{", "", "{ ", 0, "true;"],
  ["$(", "echo ", "$(", 0, "true"],
  ['"$(', "echo ", '"$(', 1, "true"],
  ["if", "", "if ", 0, "true"],
  ["${x:-", "echo ", "${x:-", 0, "y"],
  ["$((", "echo ", "$((", 0, "1"],
  ["while", "", "while ", 0, "true"],
  ["case", "", "case x in x) ", 0, "true"],
  ["f()", "", "f() ", 0, "{ :; }"],
];

describe(`${DEPTH} levels of nesting`, () => {
  test.each(DEEP)("%p: a syntax error at the first level past the limit", (_name, before, opener, at, after) => {
    const source = before + opener.repeat(DEPTH) + after;
    let error: unknown;
    try {
      parse(source);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ShellSyntaxError);
    if (!(error instanceof ShellSyntaxError)) return;
    expect(error.detail).toBe("nesting too deep");
    expect(error.line).toBe(1);
    expect(error.column).toBe(before.length + MAX_NESTING * opener.length + at + 1);
  });

  test.each(DEEP)("%p: rushd reports it and exits 2", async (_name, before, opener, _at, after) => {
    const result = await runInChild(`${before}${opener.repeat(DEPTH)}${after}\necho not reached\n`);
    expect(result).toEqual({ status: 2, stdout: "", stderr: expect.stringMatching(/^rushd: 1: Syntax error: nesting too deep\n$/) });
  });
});

describe("long input", () => {
  test("a 1 MB line: a 1 MB word and 200,000 words", async () => {
    const script = `x=${"a".repeat(1_000_000)}; echo \${#x}\nset -- ${"word ".repeat(200_000)}; echo $#\n`;
    expect(await runInChild(script)).toEqual({ status: 0, stdout: "1000000\n200000\n", stderr: "" });
  });

  // 101 lines of 99,900 characters: `read` and `${#line}` see every byte without a 10 MB string on the command line.
  const line = "some text with $x and more ".repeat(3700);
  const lineCount = 101;
  const body = `${line}\n`.repeat(lineCount);
  const count = 'n=0; total=0\nwhile IFS= read -r line; do n=$((n+1)); total=$((total+${#line})); done';

  test("a 10 MB quoted here-doc", async () => {
    const script = `${count} <<'EOF'\n${body}EOF\necho $n $total\n`;
    expect(await runInChild(script)).toEqual({ status: 0, stdout: `${lineCount} ${lineCount * line.length}\n`, stderr: "" });
  });

  test("a 10 MB here-doc with expansions", async () => {
    // Each `$x` (two characters) becomes `X`.
    const script = `x=X\n${count} <<EOF\n${body}EOF\necho $n $total\n`;
    const expanded = line.length - 3700;
    expect(await runInChild(script)).toEqual({ status: 0, stdout: `${lineCount} ${lineCount * expanded}\n`, stderr: "" });
  });
});

// Inside eval or `.`, the message names it after the line number, as dash's messages do.
const TOO_DEEP = /^rushd: \d+: (?:(?:eval|\S+\/[^:]+): )?maximum recursion depth exceeded\n/;

// [case, script, status, stdout]; every one reports the recursion once or more on stderr.
const RUNAWAY: readonly (readonly [string, string, number, string])[] = [
  ["a function calling itself", "f() { f; }; f; echo not reached", 2, ""],
  ["a function that awaits output between calls", "f() { echo x >/dev/null; f; }; f; echo not reached", 2, ""],
  ["a function in a subshell", "f() { (f); }; f; echo after $?", 0, "after 2\n"],
  ["a function in a command substitution", "f() { echo $(f); }; f; echo after $?", 0, "\nafter 0\n"],
  ["a function in a pipeline", "f() { f | :; }; f; echo after $?", 0, "after 0\n"],
  ["a function in the background", "f() { f & wait; }; f; echo after $?", 0, "after 0\n"],
  ["eval of itself", `e='eval "$e"'; eval "$e"; echo not reached`, 2, ""],
  ["eval of a command substitution of itself", `e='x=$(eval "$e")'; eval "$e"; echo after $?`, 0, "after 2\n"],
  ["a trap that raises its signal", 'trap "kill -USR1 \\$\\$" USR1; kill -USR1 $$; echo not reached', 2, ""],
];

describe(`runaway recursion stops at ${MAX_CALL_DEPTH} levels`, () => {
  test.each(RUNAWAY)("%s", async (_name, script, status, stdout) => {
    const result = await runInChild(script);
    expect(result).toEqual({ status, stdout, stderr: expect.stringMatching(TOO_DEEP) });
  });

  test(". of a file that sources itself", async () => {
    const file = join(dir, "self.sh");
    writeFileSync(file, `. ${file}\n`);
    const result = await runInChild(`. ${file}; echo not reached`);
    expect(result).toEqual({ status: 2, stdout: "", stderr: expect.stringMatching(TOO_DEEP) });
  });

  // A command substitution of a function is two levels: the subshell and the call.
  const within = MAX_CALL_DEPTH - 10;
  test.each([
    ["function calls", within, `f() { [ $1 -lt ${within} ] && f $(($1 + 1)) || echo $1; }; f 0`],
    ["evals", within, `n=0; e='n=$((n+1)); [ $n -lt ${within} ] && eval "$e"'; eval "$e"; echo $n`],
    ["command substitutions of a function", within / 2, `f() { [ $1 -lt ${within / 2} ] && echo $(f $(($1 + 1))) || echo $1; }; f 0`],
  ])("%s nested %d levels deep work", async (_name, levels, script) => {
    expect(await runInChild(script)).toEqual({ status: 0, stdout: `${levels}\n`, stderr: "" });
  });
});

describe("no deadlock", () => {
  // Found by the fuzz: the stages of `ext | ext` share a kernel pipe, and `read` in the second
  // stage's words read it with the event loop stopped while the first stage still waited in that
  // loop for `$(…)`: rushd hung for ever (and, blocked, ignored SIGTERM).
  test("a builtin reading a pipeline's kernel pipe while the writer waits for a substitution", async () => {
    const script = 'x=$(true | true) env printf "a\\nb\\n" | cat - "$(read y; echo /dev/null)"; echo "[$y]"';
    expect(await runRushdBounded(["--no-daemon", "-c", script])).toEqual({ status: 0, stdout: "b\n[]\n", stderr: "" });
  });
});

describe("through a daemon", () => {
  let daemon: TestDaemon | undefined;
  afterAll(async () => {
    await daemon?.stop();
  });

  test("a worker survives runaway recursion and deep nesting, and keeps serving", async () => {
    daemon = await new TestDaemon("pool").start();
    const before = (await daemon.status()).workers.map((w) => w.pid).sort();
    for (const [, script, status, stdout] of RUNAWAY) {
      const result = await daemon.sh(script);
      // In a worker the JS stack a session starts on is deeper and its frames' sizes depend on
      // how far the JIT got: eval's parser may find the stack spent a few levels before the call
      // limit does. Either way the run ends with a clean error and status 2 (checked exactly in
      // process above); what matters here is that the worker lives on.
      expect(result).toEqual({ status, stdout, stderr: expect.stringMatching(new RegExp(`${TOO_DEEP.source}|^rushd: \\d+: Syntax error: nesting too deep\n`)) });
    }
    for (const [, before_, opener, , after] of DEEP) {
      // `-c` takes one argv string (at most 128 KB).
      const result = await daemon.sh(`${before_}${opener.repeat(DEPTH)}${after}`);
      expect(result).toEqual({ status: 2, stdout: "", stderr: "rushd: 1: Syntax error: nesting too deep\n" });
    }
    expect(await daemon.sh("echo ok")).toEqual({ status: 0, stdout: "ok\n", stderr: "" });
    // Survived: the same workers still serve. (A loaded machine may have started one more for a
    // `rushd -c` that found none idle yet; that is growth, not a replacement.)
    expect((await daemon.status()).workers.map((w) => w.pid)).toEqual(expect.arrayContaining(before));
  });
});
