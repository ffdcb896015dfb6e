// The embedding modes of `Shell`: capture sinks, real fds (CLI), a remote
// stdin read on demand (worker), streaming, signals, dispose.

import { expect, test } from "bun:test";
import * as fs from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Shell } from "../../src/shell/index.ts";
import type { OutputSink } from "../../src/shell/index.ts";
import { CaptureSink, FixedSource, fakeHost, makeShell, runScript } from "./helpers.ts";

const ENV = { PATH: "/usr/local/bin:/usr/bin:/bin", HOME: "/root" };

test("constructing and running true/echo needs no process", async () => {
  const result = await runScript("true; echo hi");
  expect(result).toEqual({ stdout: "hi\n", stderr: "", status: 0 });
});

test("a syntax error is reported dash-style with status 2, after running what came before", async () => {
  const result = await runScript("echo before\nif then", { argv0: "rushd" });
  expect(result.stdout).toBe("before\n");
  expect(result.stderr).toMatch(/^rushd: 2: Syntax error: /);
  expect(result.status).toBe(2);
});

test("errors name argv0 and the line", async () => {
  const result = await runScript("\n\nnosuchcommand_zz", { argv0: "rushd" });
  expect(result).toEqual({ stdout: "", stderr: "rushd: 3: nosuchcommand_zz: not found\n", status: 127 });
});

test("fd mode: builtins and externals write to the real fd directly, in order", async () => {
  const file = join(fs.mkdtempSync(join(tmpdir(), "rushd-fd-")), "out");
  const fd = fs.openSync(file, "w");
  const shell = new Shell({
    argv0: "sh", args: [], cwd: "/tmp", env: ENV, host: fakeHost(),
    stdin: { kind: "null" }, stdout: { kind: "fd", fd }, stderr: { kind: "fd", fd },
  });
  const status = await shell.run("echo one; /bin/echo two; printf three; echo; readlink /proc/self/fd/1");
  await shell.dispose();
  fs.closeSync(fd);
  expect(status).toBe(0);
  expect(fs.readFileSync(file, "utf8")).toBe(`one\ntwo\nthree\n${file}\n`);
});

test("source stdin: `read` asks for one byte at a time and leaves the rest for the next shell", async () => {
  const source = new FixedSource("a\nb\n");
  const outputs: string[] = [];
  for (const script of ["read x; echo got $x", "read y; echo got $y"]) {
    const stdout = new CaptureSink();
    const shell = new Shell({
      argv0: "sh", args: [], cwd: "/tmp", env: ENV, host: fakeHost(),
      stdin: { kind: "source", source }, stdout: { kind: "sink", sink: stdout }, stderr: { kind: "null" },
    });
    expect(await shell.run(script)).toBe(0);
    await shell.dispose();
    outputs.push(stdout.text());
  }
  expect(outputs).toEqual(["got a\n", "got b\n"]);
  expect(source.requests.every((n) => n === 1)).toBe(true);
});

test("source stdin is pumped to an external command", async () => {
  const result = await runScript("tr a-z A-Z; echo status $?", { stdin: "hello\nworld\n" });
  expect(result).toEqual({ stdout: "HELLO\nWORLD\nstatus 0\n", stderr: "", status: 0 });
});

test("read loops and externals share the session stdin", async () => {
  const result = await runScript("read first; echo first=$first; cat", { stdin: "1\n2\n3\n" });
  expect(result.stdout).toBe("first=1\n2\n3\n");
});

test("output of an external reaches the sink as it is produced (streaming)", async () => {
  const chunks: string[] = [];
  const sink: OutputSink = { write: (chunk) => void chunks.push(new TextDecoder().decode(chunk)) };
  const shell = new Shell({
    argv0: "sh", args: [], cwd: "/tmp", env: ENV, host: fakeHost(),
    stdin: { kind: "null" }, stdout: { kind: "sink", sink }, stderr: { kind: "null" },
  });
  expect(await shell.run("sh -c 'echo a; sleep 0.2; echo b'")).toBe(0);
  await shell.dispose();
  expect(chunks).toEqual(["a\n", "b\n"]);
});

test("2>&1 into one sink keeps the order of an external's stdout and stderr", async () => {
  const result = await runScript("sh -c 'echo 1; echo 2 >&2; echo 3; echo 4 >&2' 2>&1");
  expect(result.stdout).toBe("1\n2\n3\n4\n");
});

test("an external whose reader went away dies of SIGPIPE quietly, as with a real pipe", async () => {
  const result = await runScript("yes | { read x; echo $x; }; yes | head -1 >&2; echo done");
  expect(result).toEqual({ stdout: "y\ndone\n", stderr: "y\n", status: 0 });
});

test("adjacent external commands are joined by a kernel pipe", async () => {
  const result = await runScript("/bin/echo x | readlink /proc/self/fd/0");
  expect(result.stdout).toMatch(/^pipe:\[\d+\]\n$/);
});

test("externals get the shell's cwd and only its exported environment", async () => {
  const result = await runScript("cd /usr; /bin/pwd; unexported=1; export exported=2; env | grep -c -e unexported -e '^exported=2'", { env: ENV });
  expect(result.stdout).toBe("/usr\n1\n");
});

test("signal() forwards to the foreground command and ends the shell with 128+N", async () => {
  const { shell, stdout } = makeShell();
  const running = shell.run("sh -c 'echo started; exec sleep 5'; echo after");
  // Wait for the child to announce itself, then interrupt it.
  await stdout.waitFor("started");
  shell.signal("SIGINT");
  expect(await running).toBe(130);
  expect(stdout.text()).toBe("started\n");
  await shell.dispose();
});

test("a trapped signal runs its trap and the shell goes on", async () => {
  const { shell, stdout } = makeShell();
  const running = shell.run("trap 'echo caught' INT; sh -c 'echo started; exec sleep 5'; echo after $?");
  await stdout.waitFor("started");
  shell.signal("SIGINT");
  expect(await running).toBe(0);
  expect(stdout.text()).toBe("started\ncaught\nafter 130\n");
  await shell.dispose();
});

function fdsOpenOn(suffix: string): number {
  let count = 0;
  for (const fd of fs.readdirSync("/proc/self/fd")) {
    try {
      if (fs.readlinkSync(`/proc/self/fd/${fd}`).endsWith(suffix)) count++;
    } catch (error) {
      // The fd of the directory listing itself is gone by now.
      if (!(error instanceof Error && "code" in error)) throw error;
    }
  }
  return count;
}

test("a signal interrupts `wait`, which returns 128+N after the trap runs", async () => {
  const { shell, stdout } = makeShell();
  const running = shell.run("trap 'echo caught' USR1; sh -c 'echo started; exec sleep 5' & wait; echo after $?; kill $!");
  await stdout.waitFor("started");
  shell.signal("SIGUSR1");
  expect(await running).toBe(0);
  expect(stdout.text()).toBe("started\ncaught\nafter 138\n");
  await shell.dispose();
});

test("dispose closes fds the session opened with exec", async () => {
  const dir = fs.mkdtempSync(join(tmpdir(), "rushd-exec-"));
  const { shell } = makeShell({ cwd: dir });
  expect(await shell.run("exec 7>owned; echo x >&7")).toBe(0);
  expect(fdsOpenOn("/owned")).toBe(1);
  await shell.dispose();
  await shell.dispose();
  expect(fdsOpenOn("/owned")).toBe(0);
  expect(fs.readFileSync(join(dir, "owned"), "utf8")).toBe("x\n");
});

test("umask goes through the host", async () => {
  const host = fakeHost();
  const stdout = new CaptureSink();
  const shell = new Shell({
    argv0: "sh", args: [], cwd: "/tmp", env: ENV, host,
    stdin: { kind: "null" }, stdout: { kind: "sink", sink: stdout }, stderr: { kind: "null" },
  });
  expect(await shell.run("umask; umask 077; umask; (umask 000); umask -S")).toBe(0);
  expect(stdout.text()).toBe("0022\n0077\nu=rwx,g=,o=\n");
  expect(host.mask).toBe(0o077);
});

test("exit in a subshell or function leaves only that", async () => {
  const result = await runScript("(exit 4); echo $?; f() { (exit 5); echo in f $?; return 6; }; f; echo $?");
  expect(result.stdout).toBe("4\nin f 5\n6\n");
});

test("$0 and positional parameters come from the options", async () => {
  const result = await runScript('echo "$0" "$#" "$1" "$2"', { argv0: "myname", args: ["a b", "c"] });
  expect(result.stdout).toBe("myname 2 a b c\n");
});

test("set -v echoes file input (run with isFileInput, and `.`), not a -c string or eval", async () => {
  const dir = fs.mkdtempSync(join(tmpdir(), "rushd-verbose-"));
  fs.writeFileSync(join(dir, "inc.sh"), "echo sourced\n");
  const script = `set -v\necho one\neval 'echo two'\n. ${join(dir, "inc.sh")}\n`;
  const asString = makeShell();
  expect(await asString.shell.run(script)).toBe(0);
  const asFile = makeShell();
  expect(await asFile.shell.run(script, { isFileInput: true })).toBe(0);
  expect(asString.stderr.text()).toBe("echo sourced\n");
  expect(asFile.stderr.text()).toBe(`echo one\neval 'echo two'\n. ${join(dir, "inc.sh")}\necho sourced\n`);
  expect(asFile.stdout.text()).toBe("one\ntwo\nsourced\n");
});
