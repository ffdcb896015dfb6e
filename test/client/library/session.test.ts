// Persistent sessions through the library: state shared between runs as in
// a real shell, stdin per run, `exit` ending the session, output of earlier
// runs' background jobs kept out of later runs, checkpoints exported and
// resumed in another session, and one-shot runs isolated from sessions.
// Real binary, real daemon, pool and fork mode (issue 9).

import { describe, expect, test } from "bun:test";
import { connect, RushdClosedError, RushdProtocolError } from "../../../src/client/library/index.ts";
import { TestDaemon } from "../../integration/harness.ts";
import { useLibraryClient } from "./harness.ts";

describe.each(["pool", "fork"] as const)("%s mode", (mode) => {
  const fixture = useLibraryClient(mode);
  const rushd = () => fixture().rushd;

  test("runs share cwd, variables, functions, aliases, options and traps", async () => {
    const session = await rushd().session({ cwd: "/" });
    try {
      await session.run("cd /tmp; export A=1; B=2; f() { echo \"f$A$B\"; }; alias g='echo g'; set -u; trap 'echo trapped' USR1");
      const result = await session.run("pwd; f; echo \"$B\"; g; case $- in *u*) echo nounset;; esac; kill -USR1 $$", { encoding: "utf8" });
      expect(result.stdout).toBe("/tmp\nf12\n2\ng\nnounset\ntrapped\n");
      expect(result.status).toBe(0);
    } finally {
      await session.close();
    }
  });

  test("each run has its own stdin; one that reads to the end does not end the next one's", async () => {
    const session = await rushd().session();
    try {
      expect((await session.run("cat", { stdin: "first\n", encoding: "utf8" })).stdout).toBe("first\n");
      expect((await session.run("read x; echo \"got $x\"", { stdin: "second\n", encoding: "utf8" })).stdout).toBe("got second\n");
      expect((await session.run("cat; echo end", { encoding: "utf8" })).stdout).toBe("end\n");
    } finally {
      await session.close();
    }
  });

  test("what a run's external command left unread of its stdin is not the next run's", async () => {
    const session = await rushd().session();
    try {
      expect((await session.run("sleep 0.05", { stdin: "leftover\n", encoding: "utf8" })).stdout).toBe("");
      expect((await session.run("cat; echo end", { encoding: "utf8" })).stdout).toBe("end\n");
      expect((await session.run("cat; echo end", { stdin: "mine\n", encoding: "utf8" })).stdout).toBe("mine\nend\n");
    } finally {
      await session.close();
    }
  });

  test("what a run's read left of its stdin (read ahead by the worker) is not the next run's", async () => {
    const session = await rushd().session();
    try {
      expect((await session.run('read x; echo "got $x"', { stdin: "one\ntwo\nthree\n", encoding: "utf8" })).stdout).toBe("got one\n");
      expect((await session.run('while read y; do echo "[$y]"; done', { stdin: "four\n", encoding: "utf8" })).stdout).toBe("[four]\n");
      expect((await session.run('read z; echo "z=$z $?"', { encoding: "utf8" })).stdout).toBe("z= 1\n");
    } finally {
      await session.close();
    }
  });

  test("exit ends the session with a clear result; the EXIT trap runs then, not after each run", async () => {
    const session = await rushd().session();
    await session.run("trap 'echo bye' EXIT");
    expect((await session.run("echo still", { encoding: "utf8" })).stdout).toBe("still\n");
    const last = await session.run("exit 4", { encoding: "utf8" });
    expect(last).toMatchObject({ status: 4, stdout: "bye\n", sessionEnded: true });
    expect(session.isEnded).toBe(true);
    expect(await session.run("echo no").catch((e: unknown) => e)).toBeInstanceOf(RushdClosedError);
    await session.close();
  });

  test("what an earlier run's background job writes later does not reach a later run", async () => {
    const session = await rushd().session();
    try {
      expect((await session.run("(sleep 0.3; echo late) & echo now", { encoding: "utf8" })).stdout).toBe("now\n");
      const later = await session.run("sleep 0.6; echo next", { encoding: "utf8" });
      expect(later.stdout).toBe("next\n");
    } finally {
      await session.close();
    }
  });

  test("a checkpoint is JSON and resumes in a new session: cwd, variables, functions, aliases, options, umask", async () => {
    const session = await rushd().session({ cwd: "/" });
    await session.run("cd /tmp; export A=1; B='two words'; f() { echo \"f$A\"; }; alias g='echo g'; set -o noglob; umask 027");
    const state = JSON.parse(JSON.stringify(await session.exportState()));
    await session.close();
    const resumed = await rushd().session({ state });
    try {
      const result = await resumed.run("pwd; echo \"$A/$B\"; f; g; case $- in *f*) echo noglob;; esac; umask; sh -c 'echo \"child $A\"'", { encoding: "utf8" });
      expect(result.stdout).toBe("/tmp\n1/two words\nf1\ng\nnoglob\n0027\nchild 1\n");
    } finally {
      await resumed.close();
    }
  });

  test("one-shot runs stay isolated from a session before and after it", async () => {
    const session = await rushd().session({ cwd: "/" });
    await session.run("cd /tmp; export SESSION_ONLY=1");
    expect((await rushd().run('echo "${SESSION_ONLY-unset}"; pwd', { cwd: "/", encoding: "utf8" })).stdout).toBe("unset\n/\n");
    await session.close();
    expect((await rushd().run('echo "${SESSION_ONLY-unset}"; pwd', { cwd: "/", encoding: "utf8" })).stdout).toBe("unset\n/\n");
  });
});

test("a checkpoint from one daemon resumes on another", async () => {
  const first = await new TestDaemon("pool").start();
  const second = await new TestDaemon("fork").start();
  try {
    const a = await connect({ socket: first.socket, autostart: false });
    const session = await a.session({ cwd: "/" });
    await session.run("cd /tmp; export MOVED=yes; g() { echo \"g $MOVED\"; }");
    const state = JSON.stringify(await session.exportState());
    await a.close();
    const b = await connect({ socket: second.socket, autostart: false });
    const resumed = await b.session({ state: JSON.parse(state) });
    expect((await resumed.run("pwd; g", { encoding: "utf8" })).stdout).toBe("/tmp\ng yes\n");
    await b.close();
  } finally {
    await first.stop();
    await second.stop();
  }
}, 30_000);

test("a malformed checkpoint is refused with a protocol error that says what is wrong", async () => {
  const daemon = await new TestDaemon("pool").start();
  try {
    const client = await connect({ socket: daemon.socket, autostart: false });
    const error = await client.session({ state: { version: 1, cwd: 7 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RushdProtocolError);
    expect((error as RushdProtocolError).code).toBe("BAD_FIELD");
    expect((error as Error).message).toContain("cwd");
    await client.close();
  } finally {
    await daemon.stop();
  }
}, 30_000);
