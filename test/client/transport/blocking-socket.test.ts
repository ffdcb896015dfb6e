// rushd -c's blocking sockets (client/transport/blocking-socket.ts): connect,
// write and read on a blocking fd, against a server in another process (a
// blocking read here stops this process's event loop, so the server cannot
// be in it). Every server process is killed by pid after its test.

import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BlockingConnectError, BlockingSocket } from "../../../src/client/transport/blocking-socket.ts";

const started: { dir: string; child: ReturnType<typeof Bun.spawn> }[] = [];

afterEach(async () => {
  for (const { dir, child } of started.splice(0)) {
    child.kill("SIGKILL");
    await child.exited;
    rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * A server on a new socket that answers each connection with "got:" and
 * what it received so far, then closes: after `delayMs`, or, with
 * `onSignal`, only when it receives SIGUSR1.
 */
async function startServer(delayMs: number, onSignal = false): Promise<{ path: string; pid: number }> {
  const dir = mkdtempSync(join(tmpdir(), "rushd-blocking-"));
  const path = join(dir, "s");
  const source = `
    const open = new Set();
    const answer = (s) => { s.write("got:" + s.data); s.end(); };
    process.on("SIGUSR1", () => { for (const s of open) answer(s); });
    Bun.listen({ unix: ${JSON.stringify(path)}, socket: {
      open(s) { s.data = ""; open.add(s); if (!${onSignal}) setTimeout(() => answer(s), ${delayMs}); },
      data(s, chunk) { s.data += new TextDecoder().decode(chunk); },
      close(s) { open.delete(s); },
    } });
    console.log("listening");`;
  const child = Bun.spawn([process.execPath, "-e", source], { stdout: "pipe", stderr: "inherit" });
  started.push({ dir, child });
  const reader = child.stdout.getReader();
  await reader.read(); // "listening"
  reader.releaseLock();
  return { path, pid: child.pid };
}

describe("BlockingSocket", () => {
  test("writes, then reads what the peer sends, then null at its end", async () => {
    const socket = BlockingSocket.connect((await startServer(50)).path);
    try {
      expect(socket.peerUid()).toBe(process.getuid?.() ?? 0);
      expect(socket.write(new TextEncoder().encode("hello"))).toBe(true);
      let text = "";
      for (let chunk = await socket.read(); chunk !== null; chunk = await socket.read()) text += new TextDecoder().decode(chunk);
      expect(text).toBe("got:hello");
    } finally {
      socket.close();
    }
  });

  test("a socket nobody listens on is a BlockingConnectError with connect's errno", () => {
    const dir = mkdtempSync(join(tmpdir(), "rushd-blocking-"));
    try {
      let caught: unknown;
      try {
        BlockingSocket.connect(join(dir, "nothing-here"));
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(BlockingConnectError);
      expect((caught as BlockingConnectError).errno).toBe(2); // ENOENT
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a signal that arrives while read() waits runs its handler during the wait", async () => {
    // The server answers only when the handler tells it to: the read can end only if the handler ran meanwhile.
    const server = await startServer(0, true);
    const socket = BlockingSocket.connect(server.path);
    const handler = () => process.kill(server.pid, "SIGUSR1");
    process.on("SIGUSR2", handler);
    try {
      const killer = Bun.spawn(["sh", "-c", `sleep 0.2; kill -USR2 ${process.pid}`]);
      const chunk = await socket.read();
      await killer.exited;
      expect(chunk === null ? null : new TextDecoder().decode(chunk)).toBe("got:");
    } finally {
      process.off("SIGUSR2", handler);
      socket.close();
    }
  });
});
