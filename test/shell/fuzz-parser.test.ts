// The short, fixed-seed run of the parser fuzz (issue 4): a few hundred
// cases per property, so that `npm test` catches regressions in seconds.
// The long run is `bun scripts/fuzz-parser.ts`; properties and generators
// are in test/shell/fuzz/.

import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { checkRun, properties, toProperty } from "./fuzz/properties.ts";
import { runScript } from "./helpers.ts";

const SEED = 20_240_404;

test.each(properties.map((p) => [p.name, p] as const))("%s", async (_name, p) => {
  const details = await fc.check(toProperty(p), { seed: SEED, numRuns: p.quickRuns, includeErrorInReport: true });
  // The counterexample, shrunk, with the seed and path that replay it (bun scripts/fuzz-parser.ts --seed S --path P).
  expect(details.failed ? fc.defaultReportMessage(details) : undefined).toBeUndefined();
  expect(details.numRuns).toBe(p.quickRuns);
}, 60_000);

// Found by the fuzz: each ended in "internal error" (status 2) before its fix.
describe("regressions", () => {
  // XCU 2.8.1: an expansion error in a compound command's redirection ends the shell, as in a simple command's.
  test.each([
    ["{ :; } > $((1/0)); echo not reached", 'sh: 1: arithmetic expression: division by zero: "1/0"\n'],
    // The same for the words of compound commands.
    ["case $((1/0)) in *) ;; esac; echo not reached", 'sh: 1: arithmetic expression: division by zero: "1/0"\n'],
    ["case x in $((1/0))) ;; esac; echo not reached", 'sh: 1: arithmetic expression: division by zero: "1/0"\n'],
    ["for i in ${x?no}; do :; done; echo not reached", "sh: 1: x: no\n"],
    ["[[ $((1/0)) = 1 ]]; echo not reached", 'sh: 1: arithmetic expression: division by zero: "1/0"\n'],
    ["readonly x; case a in ${x=b}) ;; esac; echo not reached", "sh: 1: x: is read only\n"],
    ["readonly x; for i in ${x=b}; do :; done; echo not reached", "sh: 1: x: is read only\n"],
  ])("%j", async (script, stderr) => {
    expect(await runScript(script)).toEqual({ status: 2, stdout: "", stderr });
  });

  // An error in a here-document body fails only the redirection (status 2), as in dash.
  test.each([
    ["x=a; ( : ) <<EOF\n$((x))\nEOF\necho after $?", "after 2\n", "sh: 1: Illegal number: a\n"],
    ["for i in 1; do :; done <<EOF\n${x?no}\nEOF\necho after $?", "after 2\n", "sh: 1: x: no\n"],
  ])("%j", async (script, stdout, stderr) => {
    expect(await runScript(script)).toEqual({ status: 0, stdout, stderr });
  });

  // Only the subshell ends.
  test.each([
    ["x=$(case x in $((1/0))) ;; esac); echo after $?", "after 2\n", 'sh: 1: arithmetic expression: division by zero: "1/0"\n'],
    ["(for i in ${x?no}; do :; done); echo after $?", "after 2\n", "sh: 1: x: no\n"],
    ["case x in ${x?no}) ;; esac & wait $!; echo after $?", "after 2\n", "sh: 1: x: no\n"],
  ])("%j", async (script, stdout, stderr) => {
    expect(await runScript(script)).toEqual({ status: 0, stdout, stderr });
  });

  // `return` in an EXIT trap ends only the trap action; the status is kept, as in dash (it escaped the subshell).
  test.each([
    ["trap 'return 3' EXIT; echo x", 0, "x\n"],
    ["(trap 'return 3' EXIT; echo x); echo after $?", 0, "x\nafter 0\n"],
    ["x=$(trap 'return 5' EXIT; echo x); echo $? $x", 0, "0 x\n"],
    ["trap 'return' EXIT & wait; echo after $?", 0, "after 0\n"],
  ])("%j", async (script, status, stdout) => {
    expect(await runScript(script)).toEqual({ status, stdout, stderr: "" });
  });

  // A shell's status is 0..255 (Shell.run gave 300); a function's return value is kept, as in dash.
  test.each([
    ["return 300", 44, ""],
    ["f() { return 300; }; f", 44, ""],
    ["x=$(return 300); echo $?", 0, "44\n"],
    ["(f() { return 300; }; f); echo $?", 0, "44\n"],
    ["f() { return 300; }; f; echo $?", 0, "300\n"],
  ])("%j", async (script, status, stdout) => {
    expect(await runScript(script)).toEqual({ status, stdout, stderr: "" });
  });

  test.each([
    // A builtin's error message to an fd 2 that is a here-doc (or open for reading) is lost, as in dash.
    ["cd /no/such/dir 2<<EOF\nEOF\necho $?", "2\n", ""],
    ["x=$(cd /no/such/dir 2<<EOF\nEOF\n); echo $?", "2\n", ""],
    ["cd /no/such/dir 2<&3; echo $?", "2\n", ""],
    // Writing to an fd open for reading only is an I/O error of the builtin (dash names it twice).
    ["echo hi >&3; echo $?", "1\n", "sh: 1: echo: echo: I/O error\n"],
    ["printf hi 1<&3; echo $?", "1\n", "sh: 1: printf: printf: I/O error\n"],
    // The same for the read end of a pipeline's kernel pipe (written on the thread pool).
    ['env true | env echo "$(printf x >&0; echo $?)"', "1\n", "sh: 1: printf: printf: I/O error\n"],
    // `set -x` output to such an fd 2 is lost too.
    ["{ set -x; x=1; } 2<&3; echo $?", "0\n", "+ echo 0\n"],
    ["{ set -x; x=1; } 2<&3 & wait; echo $?", "0\n", ""],
  ])("%j", async (script, stdout, stderr) => {
    // fd 3: a file open for reading only (/dev/null would be the shell's null target).
    expect(await runScript(`exec 3</etc/passwd; ${script}`)).toEqual({ status: 0, stdout, stderr });
  });

  // Inputs of the run properties, replayed through the same check.
  test.each([
    // A background job's EXIT trap wrote to a pipe whose reader was gone: its BrokenPipeFlow escaped the job ("background job failed").
    "{ _loop0=0; while [ $((_loop0 += 1)) -le 2 ] && { [ ] | eval 'eval '\\''echo > $((0));'\\''&'\ntrap 'echo;' EXIT& }; do fna; done; } | echo; umask; ",
  ])("counterexample %#", async (source) => {
    await checkRun(source, { mustFinish: false });
  });
});
