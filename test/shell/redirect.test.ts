// Redirections where rushd once went past dash: an fd number is one digit, as
// in dash, so digits before `>` that are more than one are a word, and a dup
// target must be one digit or `-` (else dash's "Bad fd number", found when
// the redirection is made, which ends the shell).
// (POSIX redirections are covered by the conformance corpus.)

import { expect, test } from "bun:test";
import { runScript } from "./helpers.ts";

test.each([
  ["echo hi 30000>out; cat out", "hi 30000\n", "", 0],
  ["exec 2147483647>/dev/null; echo after", "", "sh: 1: exec: 2147483647: not found\n", 127],
  ["echo >&30000; echo \"after $?\"", "", "sh: 1: Syntax error: Bad fd number\n", 2],
  ["x=10; echo a >&$x; echo \"after $?\"", "", "sh: 1: Syntax error: Bad fd number\n", 2],
  ["x=abc; (echo a >&$x); echo \"subshell $?\"", "subshell 2\n", "sh: 1: Syntax error: Bad fd number\n", 0],
  // `n>&n` leaves n alone, open or closed.
  ["exec 5>&-; echo x 5>&5; echo \"status $?\"", "x\nstatus 0\n", "", 0],
  // A closed fd is dash's error (status 2); onto fd 2 the message goes nowhere.
  ["echo x >&7; echo \"status $?\"", "status 2\n", "sh: 1: 7: Bad file descriptor\n", 0],
  ["echo x 2>&7; echo \"status $?\"", "status 2\n", "", 0],
])("%p", async (script, stdout, stderr, status) => {
  expect(await runScript(script)).toEqual({ stdout, stderr, status });
});
