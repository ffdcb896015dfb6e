// Redirections past what dash has: fd numbers above 9 (a bash extension) are
// bounded by the session's open-files limit, refused as bash refuses them.
// (POSIX redirections are covered by the conformance corpus.)

import { expect, test } from "bun:test";
import { runScript } from "./helpers.ts";

test.each([
  // A special builtin's redirection error ends the shell, as dash's does (`exec 9>/nonexistent/x`).
  ["exec 2147483647>/dev/null; echo after", "", "sh: 1: 2147483647: Bad file descriptor\n", 1],
  ["command exec 2147483647>/dev/null; echo \"after $?\"", "after 1\n", "sh: 1: 2147483647: Bad file descriptor\n", 0],
  ["echo >&30000; echo \"after $?\"", "after 1\n", "sh: 1: 30000: Bad file descriptor\n", 0],
  ["echo hi 30000>/dev/null; echo \"after $?\"", "after 1\n", "sh: 1: 30000: Bad file descriptor\n", 0],
  ["{ echo in; } 2147483647<&0; echo \"group $?\"", "group 1\n", "sh: 1: 2147483647: Bad file descriptor\n", 0],
  // An error in a compound command's redirections names its first line, as in dash.
  ["echo\n{\n:\n} 2147483647<&0", "\n", "sh: 2: 2147483647: Bad file descriptor\n", 1],
  ["\ncat 30000<<EOF\nx\nEOF\necho \"here-doc $?\"", "here-doc 1\n", "sh: 2: 30000: Bad file descriptor\n", 0],
  ["f() { echo in f; }; f 30000>x; echo \"function $?\"", "function 1\n", "sh: 1: 30000: Bad file descriptor\n", 0],
  // The limit is the session's own `ulimit -n` once it sets one.
  ["ulimit -n 100; echo hi 99>/dev/null; echo $?; echo hi 100>/dev/null; echo $?; echo >&100; echo $?", "hi\n0\n1\n1\n", "sh: 1: 100: Bad file descriptor\nsh: 1: 100: Bad file descriptor\n", 0],
  ["(ulimit -n 20; echo hi 20>/dev/null; echo \"in $?\"); echo hi 20>/dev/null", "in 1\nhi\n", "sh: 1: 20: Bad file descriptor\n", 0],
  // Closing an fd that cannot be open does nothing, as in bash.
  ["exec 30000>&-; echo \"closed $?\"", "closed 0\n", "", 0],
  // Below the limit, nothing changes: a closed fd is dash's error (status 2).
  ["exec 12>/dev/null; echo \"twelve $?\" >&12; echo >&13; echo \"closed $?\"", "closed 2\n", "sh: 1: 13: Bad file descriptor\n", 0],
])("%p", async (script, stdout, stderr, status) => {
  expect(await runScript(script)).toEqual({ stdout, stderr, status });
});

test("an external command started after a refused fd gets a small fd table", async () => {
  // The refused fd is never recorded: the child's fds stay 0, 1 and 2 (and the listing's own).
  const result = await runScript("{ command exec 2147483647>/dev/null; } 2>/dev/null; ls /proc/self/fd | wc -l");
  expect(result).toEqual({ stdout: "4\n", stderr: "", status: 0 });
});
