// The library's run(): concurrency on one client, results and encodings,
// the caller's cwd and environment at the time of the call, stdin of every
// kind, output caps, and typed errors. Real binary, real daemon, pool and
// fork mode (issue 9).

import { describe, expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { Readable } from "node:stream";
import { connect, RushdConnectionError } from "../../../src/client/library/index.ts";
import { useLibraryClient } from "./harness.ts";
import { until } from "../../../src/common/until.ts";

const text = (bytes: Uint8Array | string): string => (typeof bytes === "string" ? bytes : new TextDecoder().decode(bytes));

describe.each(["pool", "fork"] as const)("%s mode", (mode) => {
  const fixture = useLibraryClient(mode);
  const rushd = () => fixture().rushd;

  test("50 runs at once on one client, each with its own arguments", async () => {
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => rushd().run('echo "$1"', { args: [String(i)], encoding: "utf8" })));
    expect(results.map((result) => result.stdout)).toEqual(Array.from({ length: 50 }, (_, i) => `${i}\n`));
    expect(results.every((result) => result.status === 0)).toBe(true);
  });

  test("a failing command is a result: status, both streams, no exception", async () => {
    const result = await rushd().run("echo out; echo err >&2; exit 3", { encoding: "utf8" });
    expect(result).toMatchObject({ status: 3, signal: null, stdout: "out\n", stderr: "err\n", timedOut: false, truncated: false });
    expect(result.durationUs).toBeGreaterThan(0);
  });

  test("output is bytes by default, exact even when not UTF-8", async () => {
    const result = await rushd().run("printf '\\377\\000a'");
    expect([...(result.stdout as Uint8Array)]).toEqual([0xff, 0, 0x61]);
  });

  test("cwd and environment are the caller's at the time of each call", async () => {
    const before = process.cwd();
    process.env.RUSHD_LIBRARY_TEST = "first";
    try {
      expect((await rushd().run('echo "$RUSHD_LIBRARY_TEST"', { encoding: "utf8" })).stdout).toBe("first\n");
      process.env.RUSHD_LIBRARY_TEST = "second";
      process.chdir("/");
      expect((await rushd().run('echo "$RUSHD_LIBRARY_TEST"; pwd', { encoding: "utf8" })).stdout).toBe("second\n/\n");
      delete process.env.RUSHD_LIBRARY_TEST;
      expect((await rushd().run('echo "${RUSHD_LIBRARY_TEST-unset}"', { encoding: "utf8" })).stdout).toBe("unset\n");
    } finally {
      process.chdir(before);
      delete process.env.RUSHD_LIBRARY_TEST;
    }
  });

  test("connect()'s env is every run's environment unless a run gives its own", async () => {
    const snapshot = { ONLY: "client-wide", PATH: "/usr/bin:/bin" };
    const client = await connect({ socket: fixture().daemon.socket, autostart: false, env: snapshot });
    process.env.RUSHD_LIBRARY_TEST = "from-process-env";
    try {
      expect((await client.run('echo "$ONLY ${RUSHD_LIBRARY_TEST-unset}"', { encoding: "utf8" })).stdout).toBe("client-wide unset\n");
      expect((await client.run('echo "$ONLY"', { env: { ONLY: "per-run" }, encoding: "utf8" })).stdout).toBe("per-run\n");
      const session = await client.session();
      try {
        expect((await session.run('echo "$ONLY"', { encoding: "utf8" })).stdout).toBe("client-wide\n");
      } finally {
        await session.close();
      }
    } finally {
      delete process.env.RUSHD_LIBRARY_TEST;
      await client.close();
    }
  });

  test("env and cwd given replace the caller's", async () => {
    const result = await rushd().run('echo "${HOME-unset} $ONLY"; pwd', { env: { ONLY: "this", PATH: "/usr/bin:/bin" }, cwd: "/tmp", encoding: "utf8" });
    expect(result.stdout).toBe("unset this\n/tmp\n");
  });

  test("stdin as text, bytes, a Node stream and a web stream; none means end of input", async () => {
    expect((await rushd().run("cat", { stdin: "text\n", encoding: "utf8" })).stdout).toBe("text\n");
    expect([...(await rushd().run("cat", { stdin: new Uint8Array([0xff, 10]) })).stdout as Uint8Array]).toEqual([0xff, 10]);
    expect((await rushd().run("cat", { stdin: Readable.from(["a\n", "b\n"]), encoding: "utf8" })).stdout).toBe("a\nb\n");
    const web = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("web\n"));
        controller.close();
      },
    });
    expect((await rushd().run("read line; echo \"got $line\"", { stdin: web, encoding: "utf8" })).stdout).toBe("got web\n");
    expect((await rushd().run("cat; echo end", { encoding: "utf8" })).stdout).toBe("end\n");
  });

  test("a run without stdin gives an external command /dev/null, and so does input already read to its end", async () => {
    expect((await rushd().run("readlink /proc/self/fd/0; cat; echo end", { encoding: "utf8" })).stdout).toBe("/dev/null\nend\n");
    expect((await rushd().run("cat; readlink /proc/self/fd/0", { stdin: "in\n", encoding: "utf8" })).stdout).toBe("in\n/dev/null\n");
    expect((await rushd().run('read a; read b; echo "[$a]"; readlink /proc/self/fd/0; cat', { stdin: "one\n", encoding: "utf8" })).stdout).toBe("[one]\n/dev/null\n");
  });

  test("/dev/stdin, /dev/stdout and /dev/stderr in a redirection are the run's own streams", async () => {
    const result = await rushd().run("echo err >/dev/stderr; echo out >/dev/stdout; wc -c </dev/stdin; echo fd >/dev/fd/2", { stdin: "12345", encoding: "utf8" });
    expect({ stdout: result.stdout, stderr: result.stderr, status: result.status }).toEqual({ stdout: "out\n5\n", stderr: "err\nfd\n", status: 0 });
  });

  test("what an external command leaves unread of stdin stays for the next reader, as under dash with a pipe", async () => {
    // Each as dash gives it with the same input on a pipe.
    const big = Array.from({ length: 50_000 }, (_, i) => `line ${i}`).join("\n") + "\n";
    const cases: [string, string, string][] = [
      ["true; cat", "in\n", "in\n"],
      ["sleep 0.1; cat", "in\n", "in\n"],
      ["readlink /proc/self/fd/0 >/dev/null; cat", "in\n", "in\n"],
      ["head -c 3; echo; cat | wc -c", "abcdefgh", "abc\n5\n"],
      ["read x; /bin/true; read y; echo $x,$y", "1\n2\n", "1,2\n"],
      // More than a pipe holds: the rest of a write still under way comes back too, in order.
      ["sleep 0.2; wc -l", big, "50000\n"],
      ["sleep 0.2; tail -n 1", big, "line 49999\n"],
    ];
    for (const [script, stdin, want] of cases) {
      expect({ script, stdout: (await rushd().run(script, { stdin, encoding: "utf8" })).stdout }).toEqual({ script, stdout: want });
    }
  });

  test("many runs whose commands leave stdin unread leave the workers with the fds they had", async () => {
    const workerFds = async (): Promise<number> => {
      let count = 0;
      for (const worker of (await fixture().daemon.status()).workers) count += readdirSync(`/proc/${worker.pid}/fd`).length;
      return count;
    };
    await rushd().run("true", { stdin: "x" });
    const before = await workerFds();
    for (let i = 0; i < 60; i++) {
      const result = await rushd().run(i % 2 === 0 ? "true" : "head -c 1 >/dev/null; wc -c", { stdin: "abcdef", encoding: "utf8" });
      expect(result.stdout).toBe(i % 2 === 0 ? "" : "5\n");
    }
    // Bun closes some of its own fds a few turns of its loop later; a pipe left open per run would be 60 more.
    if (mode === "pool") await until(async () => (await workerFds()) <= before, { timeoutMs: 10_000, what: `the workers' fds to return to ${before}` });
  }, 30_000);

  test("read takes its line and leaves the rest of stdin to the next reader, builtin or external", async () => {
    const input = Array.from({ length: 3000 }, (_, i) => `line ${i}`).join("\n") + "\n";
    const result = await rushd().run('read a; read b; echo "$a|$b"; n=0; while [ $n -lt 10 ] && read l; do n=$((n+1)); done; echo "$l"; wc -l', { stdin: input, encoding: "utf8" });
    expect(result.stdout).toBe("line 0|line 1\nline 11\n2988\n");
  });

  test("while read over stdin: continuations, a line past the read-ahead, NUL bytes, a last line without newline, as dash reads them", async () => {
    const input = `a\\\nb\n${"x".repeat(70_000)}\nc\0d\nlast`;
    const result = await rushd().run('while read l; do echo ${#l}; done; echo "last=$l"', { stdin: input, encoding: "utf8" });
    expect(result.stdout).toBe("2\n70000\n2\nlast=last\n");
  });

  test("maxOutputBytes keeps the first bytes of each stream and lets the command finish", async () => {
    const result = await rushd().run("head -c 3000000 /dev/zero; echo done >&2; exit 5", { maxOutputBytes: 1000 });
    expect(result.truncated).toBe(true);
    expect(result.stdout.length).toBe(1000);
    expect(text(result.stderr)).toBe("done\n");
    expect(result.status).toBe(5);
  });

  test("maxOutputBytes with onOutputLimit kill ends the command", async () => {
    const result = await rushd().run("yes", { maxOutputBytes: 4096, onOutputLimit: "kill" });
    expect(result.truncated).toBe(true);
    expect(result.stdout.length).toBe(4096);
    expect(result.signal).toBe("SIGKILL");
  });

  test("a background child holding stdout does not hold the run, nor reach the next one", async () => {
    const first = await rushd().run("(sleep 0.5; echo late) & echo started", { encoding: "utf8" });
    expect(first.stdout).toBe("started\n");
    await Bun.sleep(800);
    const next = await rushd().run("echo next", { encoding: "utf8" });
    expect(next.stdout).toBe("next\n");
  });

  test("runs stay isolated from each other", async () => {
    await rushd().run("cd /tmp; export LEAK=1; f() { :; }");
    expect((await rushd().run('echo "${LEAK-unset}"; command -v f || echo nof', { encoding: "utf8", cwd: "/" })).stdout).toBe("unset\nnof\n");
  });
});

test("no daemon and no auto-start: a RushdConnectionError that names the socket", async () => {
  const error = await connect({ socket: "/nonexistent-dir/rushd.sock", autostart: false }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(RushdConnectionError);
  expect((error as Error).message).toContain("/nonexistent-dir/rushd.sock");
});
