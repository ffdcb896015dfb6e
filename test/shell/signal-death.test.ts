// Death by signal (Shell.terminatingSignal): which signal's default action
// ended the session's shell, so that an embedding standing for `sh -c` can
// end itself by it. dash: `dash -c 'kill $$'` dies of SIGTERM; `dash -c
// 'sh -c "kill \$\$"'` exits 143 normally; a shell a signal ends runs no EXIT
// trap (`dash -c 'trap "echo bye" EXIT; kill $$'` prints nothing).

import { expect, test } from "bun:test";
import { Shell } from "../../src/shell/index.ts";
import type { InputSource } from "../../src/shell/index.ts";
import { CaptureSink, fakeHost, makeShell } from "./helpers.ts";

const ENV = { PATH: "/usr/local/bin:/usr/bin:/bin", HOME: "/tmp" };

async function run(script: string) {
  const { shell, stdout, stderr } = makeShell();
  const status = await shell.run(script);
  await shell.dispose();
  return { status, stdout: stdout.text(), stderr: stderr.text(), signal: shell.terminatingSignal };
}

test.each([
  ["kill $$", 143, "", "SIGTERM", ""],
  ["kill -TERM $$; echo not reached", 143, "", "SIGTERM", ""],
  ["kill -INT $$", 130, "", "SIGINT", ""],
  ["kill -s HUP $$", 129, "", "SIGHUP", ""],
  ["f() { kill -USR1 $$; }; f; echo not reached", 138, "", "SIGUSR1", ""],
  ["trap 'echo bye' EXIT; kill $$", 143, "", "SIGTERM", ""],
  ["x=$(kill $$); echo not reached", 143, "", "SIGTERM", ""],
  ["(kill $$); echo not reached", 143, "", "SIGTERM", ""],
  // The shell exits; a command it ran died of the signal.
  ["sh -c 'kill $$'", 143, "", undefined, "Terminated\n"],
  ["exit 143", 143, "", undefined, ""],
  ["trap 'echo trapped' TERM; kill $$; echo goes on", 0, "trapped\ngoes on\n", undefined, ""],
  ["trap '' TERM; kill $$; echo ignored", 0, "ignored\n", undefined, ""],
  ["true", 0, "", undefined, ""],
])("%p: status %p, stdout %p, terminatingSignal %p", async (script, status, stdout, signal, stderr) => {
  const result = await run(script);
  expect(result).toEqual({ status, stdout, stderr, signal });
});

/** Input the script waits for until the test has sent its signal. */
class HeldInput implements InputSource {
  readonly asked: Promise<void>;
  private markAsked: () => void = () => undefined;
  constructor() {
    this.asked = new Promise((resolve) => {
      this.markAsked = resolve;
    });
  }
  read(): Promise<Uint8Array | null> {
    this.markAsked();
    return new Promise(() => undefined);
  }
}

test("Shell.signal whose default action ends the shell: run resolves 128+N and names the signal; no EXIT trap", async () => {
  const input = new HeldInput();
  const stdout = new CaptureSink();
  const shell = new Shell({
    argv0: "sh", args: [], cwd: "/tmp", env: ENV, host: fakeHost(),
    stdin: { kind: "source", source: input }, stdout: { kind: "sink", sink: stdout }, stderr: { kind: "null" },
  });
  const running = shell.run("trap 'echo bye' EXIT; cat; echo not reached");
  await input.asked;
  shell.signal("SIGHUP");
  expect(await running).toBe(129);
  await shell.dispose();
  expect(stdout.text()).toBe("");
  expect(shell.terminatingSignal).toBe("SIGHUP");
});

test("a later run that exits normally clears it", async () => {
  const { shell } = makeShell();
  expect(await shell.run("kill $$")).toBe(143);
  expect(shell.terminatingSignal).toBe("SIGTERM");
  expect(await shell.run("true")).toBe(0);
  expect(shell.terminatingSignal).toBeUndefined();
  await shell.dispose();
});
