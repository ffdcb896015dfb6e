// dash's exact messages (the corpus compares only whether there was stderr)
// for the places where rushd followed dash rather than bash: builtins that
// take no options, fg/bg without job control, `eval` and `.` naming
// themselves in the messages of what they run, substitutions that fail only
// when expanded, `function` as a plain word. Every row was checked against
// `dash -c "$script" sh`.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runScript } from "./helpers.ts";

type Case = readonly [script: string, stdout: string, stderr: string, status: number];

let dir = "";
beforeAll(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), "rushd-messages-")));
  writeFileSync(join(dir, "lib"), "true\nnonexist-cmd\n");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function table(name: string, cases: readonly Case[]): void {
  describe(name, () => {
    test.each(cases.map((c) => [...c]))("%s", async (script, stdout, stderr, status) => {
      expect(await runScript(script, { cwd: dir })).toEqual({ stdout, stderr, status });
    });
  });
}

table("builtins that take no options", [
  ["type -p true; echo $?", "-p: not found\ntrue is a shell builtin\n127\n", "", 0],
  ["type source function; echo $?", "source: not found\nfunction: not found\n127\n", "", 0],
  ["exec -a name true", "", "sh: 1: exec: -a: not found\n", 127],
  ["f() { :; }; exec f", "", "sh: 1: exec: f: not found\n", 127],
  ["(exec /); echo $?", "126\n", "sh: 1: exec: /: Permission denied\n", 0],
  ["f() { local -n x; }; f", "", "sh: 1: local: -n: bad variable name\n", 2],
  ["chdir /nonexistent-dir", "", "sh: 1: chdir: can't cd to /nonexistent-dir\n", 2],
]);

table("fg and bg without job control", [
  ["fg; echo $?", "2\n", "sh: 1: fg: No current job\n", 0],
  ["true & bg %1", "", "sh: 1: bg: job %1 not created under job control\n", 2],
  ["true & fg", "", "sh: 1: fg: job (null) not created under job control\n", 2],
]);

table("eval and . name themselves", [
  ["eval nonexist-cmd", "", "sh: 1: eval: nonexist-cmd: not found\n", 127],
  ["eval 'command nonexist-cmd'", "", "sh: 1: eval: nonexist-cmd: not found\n", 127],
  ["x=$(eval nonexist-cmd)", "", "sh: 1: eval: nonexist-cmd: not found\n", 127],
  // A builtin names itself, not the eval around it.
  ["eval 'cd /nonexistent-dir'", "", "sh: 1: cd: can't cd to /nonexistent-dir\n", 2],
  // A function defined in eval and called outside it is not in eval any more.
  ["eval 'f() { nonexist-cmd; }'; eval f; f", "", "sh: 1: eval: nonexist-cmd: not found\nsh: 1: nonexist-cmd: not found\n", 127],
  [". ./lib", "", "sh: 2: ./lib: nonexist-cmd: not found\n", 127],
  // dash's `.` looks in PATH only, and without a file does nothing.
  ["PATH=/usr/bin; . lib", "", "sh: 1: .: lib: not found\n", 2],
  [".; echo $?", "0\n", "", 0],
  // A signal's trap names the eval it interrupted, even inside `kill`; the EXIT trap names none.
  ["trap nonexist-cmd USR1; eval 'kill -USR1 $$'", "", "sh: 1: eval: nonexist-cmd: not found\n", 0],
  ["eval 'trap nonexist-cmd EXIT; exit'", "", "sh: 1: nonexist-cmd: not found\n", 0],
]);

table("substitutions dash cannot read", [
  ["echo before; echo ${x^}", "before\n", "sh: 1: Bad substitution\n", 2],
  ["eval 'echo ${!x}'", "", "sh: 1: eval: Bad substitution\n", 2],
  ["true || echo ${!x}; echo after", "after\n", "", 0],
  ['echo "${x-a', "", "sh: 1: Syntax error: Unterminated quoted string\n", 2],
]);

table("function is a plain word", [
  ["function", "", "sh: 1: function: not found\n", 127],
  ["function() { echo called; }; function", "called\n", "", 0],
]);

describe("the variables set at start-up", () => {
  test("PATH has dash's default when the environment has none, not exported (PWD is, as dash exports it)", async () => {
    expect(await runScript("echo \"$PATH\"; export -p", { cwd: dir, env: { HOME: "/root" } })).toEqual({
      stdout: `/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\nexport HOME='/root'\nexport PWD='${dir}'\n`,
      stderr: "",
      status: 0,
    });
  });

  test("PPID replaces an inherited value and stays exported", async () => {
    const result = await runScript('[ "$PPID" = 5 ] || echo replaced; export -p | grep -c PPID', { cwd: dir, env: { PATH: "/usr/bin:/bin", PPID: "5" } });
    expect(result).toEqual({ stdout: "replaced\n1\n", stderr: "", status: 0 });
  });

  test("no RANDOM, SECONDS or SHLVL; PS2 and PS4 as dash sets them", async () => {
    const result = await runScript('echo "${RANDOM-u} ${SECONDS-u} ${SHLVL-u} [$PS2] [$PS4]"', { cwd: dir });
    expect(result).toEqual({ stdout: "u u u [> ] [+ ]\n", stderr: "", status: 0 });
  });
});
