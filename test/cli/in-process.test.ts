// `rushd --no-daemon` (src/cli/in-process.ts): the interpreter in the rushd
// process, on that process's own fds — every one its caller gave it —, with
// its caller's exact bytes and ignored signals, ending itself by the signal
// that ended its shell. Runs dist/rushd (`npm test` builds it). dash does the
// same with each script (noted per test).

import { afterAll, expect, test } from "bun:test";
import * as fs from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RUSHD } from "../integration/harness.ts";

const DIR = fs.realpathSync(fs.mkdtempSync(join(tmpdir(), "rushd-in-process-")));
afterAll(() => fs.rmSync(DIR, { recursive: true, force: true }));
const ENV = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: DIR };
/** Longer than any case takes; a hung child is killed. */
const CHILD_LIMIT_MS = 20_000;

interface Outcome {
  readonly status: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run `cmd` (dist/rushd, or /bin/sh starting it) with stdin /dev/null and `extra` fds from 3 on. */
async function run(cmd: readonly string[], extra: readonly (number | "ignore")[] = []): Promise<Outcome> {
  const child = Bun.spawn([...cmd], {
    cwd: DIR, env: ENV, stdio: ["ignore", "pipe", "pipe", ...extra], timeout: CHILD_LIMIT_MS, killSignal: "SIGKILL",
  });
  const [stdout, stderr] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { status: child.exitCode, signal: child.signalCode === null ? null : String(child.signalCode), stdout, stderr };
}

/** Through /bin/sh, with `$0` the rushd binary: argv and traps that Bun.spawn cannot give (bytes that are not UTF-8, ignored signals). */
function throughSh(script: string): string[] {
  return ["/bin/sh", "-c", script, RUSHD];
}

test("exec 7<&0 </dev/null, then an external command (every autoconf configure starts so): it runs", async () => {
  const file = join(DIR, "s");
  fs.writeFileSync(file, "exec 7<&0 </dev/null\nls -d /\n");
  expect(await run([RUSHD, "--no-daemon", file])).toEqual({ status: 0, signal: null, stdout: "/\n", stderr: "" });
});

test("an fd the caller gave (3>f) is the session's: builtins and commands write to it; one it did not give is closed", async () => {
  const file = join(DIR, "three");
  const fd = fs.openSync(file, "w");
  const result = await run([RUSHD, "--no-daemon", "-c", "echo one >&3; sh -c 'echo two >&3'; echo x >&4; echo $?"], [fd]);
  fs.closeSync(fd);
  // dash: `4: Bad file descriptor` on stderr and status 2.
  expect({ ...result, stderr: result.stderr.length > 0 }).toEqual({ status: 0, signal: null, stdout: "2\n", stderr: true });
  expect(fs.readFileSync(file, "utf8")).toBe("one\ntwo\n");
});

test("a signal another process sends to $$ runs the shell's trap, or ends it, as under dash", async () => {
  // dash: the trap runs once the command that sent it is done; that command does not get it.
  const trapped = 'trap "echo got" USR1; sh -c "kill -USR1 $$; sleep 0.2; echo child $?"; echo after $?';
  expect(await run([RUSHD, "--no-daemon", "-c", trapped])).toEqual({ status: 0, signal: null, stdout: "child 0\ngot\nafter 0\n", stderr: "" });
  // dash ends at once by a signal it does not trap, not after the command it waits for.
  const fromJob = "(sleep 0.2; kill $$) & sleep 20; echo not-reached";
  expect(await run([RUSHD, "--no-daemon", "-c", fromJob])).toEqual({ status: null, signal: "SIGTERM", stdout: "", stderr: "" });
  expect(await run([RUSHD, "--no-daemon", "-c", "/bin/kill -USR2 $$; echo not-reached"])).toEqual({ status: null, signal: "SIGUSR2", stdout: "", stderr: "" });
});

test("kill $$ ends rushd by SIGTERM, as sh -c ends; a child's death is a status", async () => {
  expect(await run([RUSHD, "--no-daemon", "-c", "kill $$; echo not reached"])).toEqual({ status: null, signal: "SIGTERM", stdout: "", stderr: "" });
  expect(await run([RUSHD, "--no-daemon", "-c", "sh -c 'kill $$'"])).toEqual({ status: 143, signal: null, stdout: "", stderr: "Terminated\n" });
});

test("bytes that are not UTF-8 in -c, $1, the environment and a script's name and text stay exact", async () => {
  const script = `x=$(printf 'a\\377'); export X=$(printf '\\376')
"$0" --no-daemon -c 'printf %s "$1" | od -An -tx1; printf %s "$X" | od -An -tx1' sh "$x"
"$0" --no-daemon -c "$(printf 'printf %%s \\375 | od -An -tx1')"
printf 'printf %%s "\\374" | od -An -tx1\\n' > "s$x"; "$0" --no-daemon "s$x"`;
  expect(await run(throughSh(script))).toEqual({ status: 0, signal: null, stdout: " 61 ff\n fe\n fd\n fc\n", stderr: "" });
});

test("read on a file as stdin, in process, leaves its offset just past the line: the caller and the script read on from there", async () => {
  // dash: 21, then 3 and 4 from the caller's cat; the script file's read takes 5, its cat prints 6.
  const script = `printf '1\\n2\\n3\\n4\\n' > f; { "$0" --no-daemon -c 'read a; read b; echo "$b$a"'; cat; } < f
printf 'read x; echo "x=$x"; cat\\n' > s; printf '5\\n6\\n' > g; "$0" s < g`;
  expect(await run(throughSh(script))).toEqual({ status: 0, signal: null, stdout: "21\n3\n4\nx=5\n6\n", stderr: "" });
});

test("a signal the caller ignored stays ignored: trap lists an action but never runs it, children ignore it", async () => {
  const script = `trap '' USR1; "$0" --no-daemon -c 'trap "echo x" USR1; trap; kill -USR1 $$; echo alive; sh -c "kill -USR1 \\$\\$; echo child alive"'`;
  expect(await run(throughSh(script))).toEqual({ status: 0, signal: null, stdout: "trap -- 'echo x' USR1\nalive\nchild alive\n", stderr: "" });
});
