// Output streamed as produced, stdin forwarded only on demand, nothing lost.

import { describe, expect, test } from "bun:test";
import { DaemonClient } from "../../src/client/daemon-client.ts";
import { cliTransport } from "../../src/client/transport/cli-transport.ts";
import { WorkerLink, type SessionIO } from "../../src/client/worker-link.ts";
import { RUSHD, useDaemon, type RunResult } from "./harness.ts";

/** Run a script under dash, the way a user's shell script would call rushd -c. */
async function outerShell(script: string, env: Record<string, string>): Promise<RunResult> {
  const child = Bun.spawn(["/bin/sh", "-c", script], { env, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, status] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { status, stdout, stderr };
}

describe.each(["pool", "fork"] as const)("%s mode", (mode) => {
  const current = useDaemon(mode);

  test("stdin reaches an external command", async () => {
    expect(await current().sh("cat", { stdin: "abc\n" })).toEqual({ status: 0, stdout: "abc\n", stderr: "" });
  });

  test("an Execute that says the command has no stdin: end of input at once, and the worker never asks for any", async () => {
    const daemon = await DaemonClient.connect(current().socket, cliTransport);
    const link = await WorkerLink.open(await daemon.lease(), { transport: cliTransport });
    daemon.close();
    try {
      const spec = { cwd: "/", env: { PATH: process.env.PATH ?? "/usr/bin:/bin" }, argv0: "sh", args: [], umask: 0o022 };
      const script = 'cat; read x; echo "read=$? x=$x"; head -c 1; echo "head=$?"';
      let asked = 0;
      const decoder = new TextDecoder();
      const run = async (noStdin: boolean): Promise<string> => {
        let stdout = "";
        const io: SessionIO = {
          stdout: (data) => void (stdout += decoder.decode(data)),
          stderr: () => undefined,
          stdin: async () => {
            asked++;
            return null;
          },
          noStdin,
        };
        expect((await link.run(spec, script, io)).status).toBe(0);
        return stdout;
      };
      expect(await run(true)).toBe("read=1 x=\nhead=0\n");
      expect(asked).toBe(0);
      // The same script with input that only happens to be empty: the first reader asks, and the end it learns holds for the rest.
      if (mode === "pool") {
        expect(await run(false)).toBe("read=1 x=\nhead=0\n");
        expect(asked).toBe(1);
      }
    } finally {
      link.close();
    }
  });

  test("stdin is read only as far as the command reads it", async () => {
    const script = `printf 'a\\nb\\n' | { '${RUSHD}' -c 'read x; echo $x'; '${RUSHD}' -c 'read y; echo $y'; }`;
    expect(await outerShell(script, current().env)).toEqual({ status: 0, stdout: "a\nb\n", stderr: "" });
  });

  test("a while-read loop around rushd -c loses no lines", async () => {
    const script = `printf '1\\n2\\n3\\n' | while read l; do '${RUSHD}' -c 'echo "got $1"' sh "$l"; done`;
    expect((await outerShell(script, current().env)).stdout).toBe("got 1\ngot 2\ngot 3\n");
  });

  test("stdout and stderr keep their bytes and streams", async () => {
    const result = await current().sh("echo out; echo err >&2; /usr/bin/printf '\\001\\377\\000x'", { binary: true });
    expect([...result.stdoutBytes]).toEqual([..."out\n"].map((c) => c.charCodeAt(0)).concat([1, 255, 0, 120]));
    expect(result.stderr).toBe("err\n");
  });

  test("large output arrives byte-exact", async () => {
    const result = await current().sh("i=0; while [ $i -lt 2000 ]; do echo line-$i-abcdefghijklmnopqrstuvwxyz; i=$((i+1)); done | cat");
    const lines = result.stdout.split("\n");
    expect(lines.length).toBe(2001);
    expect(lines[1999]).toBe("line-1999-abcdefghijklmnopqrstuvwxyz");
  });

  test("output reaches the client before the command ends", async () => {
    // The command waits for a line we send only after reading its first output:
    // if output were held until the end, the first read would never complete.
    const child = Bun.spawn([RUSHD, "-c", "echo first; read x; echo \"second $x\""], { env: current().env, stdin: "pipe", stdout: "pipe", stderr: "pipe" });
    const reader = child.stdout.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe("first\n");
    child.stdin.write("go\n");
    await child.stdin.end();
    let rest = "";
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += new TextDecoder().decode(chunk.value);
    expect(rest).toBe("second go\n");
    expect(await child.exited).toBe(0);
  });

  test("output is streamed while an external command runs", async () => {
    // `sleep` runs in the background of the event loop: the batched "a" must leave before it ends.
    const child = Bun.spawn([RUSHD, "-c", "echo a; sleep 30; echo b"], { env: current().env, stdout: "pipe", stderr: "pipe" });
    const reader = child.stdout.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe("a\n");
    child.kill("SIGINT");
    expect(await child.exited).toBe(130);
  });

  test("Ctrl-C while read waits for the caller's stdin ends the command at once, by SIGINT", async () => {
    // Nothing is ever written: a read that held the worker until input came would never end.
    const child = Bun.spawn([RUSHD, "-c", 'read x; echo "got $x"'], { env: current().env, stdin: "pipe", stdout: "pipe", stderr: "pipe" });
    await Bun.sleep(300); // the session is up and its read waits
    child.kill("SIGINT");
    expect(await child.exited).toBe(130);
    expect(await new Response(child.stdout).text()).toBe("");
    child.stdin.end();
  });

  test("a trapped signal interrupts the read: the trap runs, read gives 1, what comes later is left for the next read", async () => {
    const script = 'trap "echo trapped" INT; read x; echo "status $? x=$x"; read y; echo "y=$y"';
    const child = Bun.spawn([RUSHD, "-c", script], { env: current().env, stdin: "pipe", stdout: "pipe", stderr: "pipe" });
    await Bun.sleep(300);
    child.kill("SIGINT");
    await Bun.sleep(100);
    child.stdin.write("late\n");
    await child.stdin.end();
    expect(await new Response(child.stdout).text()).toBe("trapped\nstatus 1 x=\ny=late\n");
    expect(await child.exited).toBe(0);
  });

  test("$0 and positional parameters come from the command line", async () => {
    expect((await current().sh('echo "$0|$1|$2|$#"', { args: ["name", "a b", "c"] })).stdout).toBe("name|a b|c|2\n");
  });
});
