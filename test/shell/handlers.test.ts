// The executor's outside effects go through injected handlers: fake programs,
// fake directories, fake files.

import { expect, test } from "bun:test";
import * as fs from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultHandlers, type Handlers, Shell } from "../../src/shell/index.ts";
import { CaptureSink, fakeHost } from "./helpers.ts";

async function runWith(handlers: Handlers, script: string) {
  const stdout = new CaptureSink();
  const stderr = new CaptureSink();
  const shell = new Shell(
    {
      argv0: "sh", args: [], cwd: "/work", env: { PATH: "/bin", LANG: "C" }, host: fakeHost(),
      stdin: { kind: "null" }, stdout: { kind: "sink", sink: stdout }, stderr: { kind: "sink", sink: stderr },
    },
    { handlers },
  );
  const status = await shell.run(script);
  await shell.dispose();
  return { stdout: stdout.text(), stderr: stderr.text(), status };
}

const calls: { argv: readonly string[]; cwd: string; env: Readonly<Record<string, string>> }[] = [];
const fake: Handlers = {
  exec(argv, env, shell) {
    calls.push({ argv, cwd: shell.state.cwd, env });
    if (argv[0] === "fail") return 3;
    return Promise.resolve(shell.write(1, `ran ${argv.join(" ")}\n`)).then(() => 0);
  },
  open: defaultHandlers.open,
  readDir: (path) => (path === "/work" ? ["x.c", "y.c", "z.h"] : null),
};

test.each([
  ["prog a b", "ran prog a b\n", 0],
  ["fail; echo $?", "3\n", 0],
  ["echo *.c", "x.c y.c\n", 0],
  ["prog *.h | cat_is_fake_too", "ran cat_is_fake_too\n", 0],
  ["x=$(prog sub); echo \"[$x]\"", "[ran prog sub]\n", 0],
])("%s", async (script, stdout, status) => {
  const result = await runWith(fake, script);
  expect({ stdout: result.stdout, status: result.status }).toEqual({ stdout, status });
});

test("prefix assignments reach the external's environment only", async () => {
  calls.length = 0;
  await runWith(fake, "V=1 prog; prog");
  expect(calls.map((c) => c.env.V)).toEqual(["1", undefined]);
  expect(calls.map((c) => c.env.LANG)).toEqual(["C", "C"]);
  expect(calls[0]?.cwd).toBe("/work");
});

test("a handler's pending open (a FIFO) keeps the event loop turning, and a signal gives it up", async () => {
  let release: (fd: number) => void = () => undefined;
  let aborted = 0;
  const waiting: Handlers = {
    ...fake,
    open: (path, flags, mode) =>
      path.endsWith("/fifo")
        ? { fd: new Promise<number>((resolve) => (release = resolve)), abort: () => aborted++ }
        : defaultHandlers.open(path, flags, mode),
  };
  const stdout = new CaptureSink();
  const shell = new Shell(
    {
      argv0: "sh", args: [], cwd: "/work", env: { PATH: "/bin" }, host: fakeHost(),
      stdin: { kind: "null" }, stdout: { kind: "sink", sink: stdout }, stderr: { kind: "null" },
    },
    { handlers: waiting },
  );
  const file = join(fs.mkdtempSync(join(tmpdir(), "rushd-open-")), "out");
  const running = shell.run("echo before; echo x > fifo; echo after");
  await stdout.waitFor("before\n");
  // The open waits; the process is not stopped: this very await returns.
  await new Promise<void>((resolve) => setTimeout(resolve, 1));
  expect(stdout.text()).toBe("before\n");
  release(fs.openSync(file, "w"));
  expect(await running).toBe(0);
  expect(stdout.text()).toBe("before\nafter\n");
  expect(fs.readFileSync(file, "utf8")).toBe("x\n");
  expect(aborted).toBe(0);
  await shell.dispose();
});

test("the default open of a FIFO waits off the event loop; a signal interrupts it (dash: Interrupted system call)", async () => {
  const dir = fs.mkdtempSync(join(tmpdir(), "rushd-fifo-"));
  const fifo = join(dir, "f");
  expect(Bun.spawnSync(["mkfifo", fifo]).exitCode).toBe(0);
  const stdout = new CaptureSink();
  const stderr = new CaptureSink();
  // The default handlers, with each open announced (the events this test waits for).
  const opens: (() => void)[] = [];
  const opened = [0, 1].map((n) => new Promise<void>((resolve) => (opens[n] = resolve)));
  let count = 0;
  const announcing: Handlers = {
    ...defaultHandlers,
    open(path, flags, mode) {
      const result = defaultHandlers.open(path, flags, mode);
      opens[count++]?.();
      return result;
    },
  };
  const shell = new Shell(
    {
      argv0: "sh", args: [], cwd: dir, env: { PATH: "/usr/bin:/bin" }, host: fakeHost(),
      stdin: { kind: "null" }, stdout: { kind: "sink", sink: stdout }, stderr: { kind: "sink", sink: stderr },
    },
    { handlers: announcing },
  );
  const running = shell.run("trap 'echo trapped' USR1; read x < f; echo \"status $? [$x]\"; read y < f; echo \"[$y]\"");
  // The first open waits for a writer; had it blocked the process, nothing here would run.
  await opened[0];
  shell.signal("USR1");
  await stdout.waitFor("status 2 []\n");
  await opened[1];
  // The write end is opened by another process, and held open until the shell is done: the
  // abandoned first open may hold a thread of the (small, on 2 cores) thread pool, so the second
  // open may start only after a writer came, and must still find one.
  const writer = Bun.spawn(["sh", "-c", 'exec 3>"$1"; printf "line\\n" >&3; cat >/dev/null', "sh", fifo], { stdin: "pipe" });
  expect(await running).toBe(0);
  writer.stdin.end();
  expect(await writer.exited).toBe(0);
  await shell.dispose();
  expect(stdout.text()).toBe("trapped\nstatus 2 []\n[line]\n");
  expect(stderr.text()).toBe("sh: 1: cannot open f: Interrupted system call\n");
});
