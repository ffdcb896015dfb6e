// DESIGN §8: large output arrives byte-exact, with memory bounded by backpressure.

import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { RUSHD, useDaemon } from "./harness.ts";

const current = useDaemon("pool", ["--workers", "1", "--max-workers", "1"]);

function rssMiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return match ? Number(match[1]) / 1024 : 0;
}

test("256 MiB of output arrive byte-exact while the reader is slower than the writer", async () => {
  const bytes = 256 * 1024 * 1024;
  const line = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-\n"; // 64 bytes
  const { workers } = await current().status();
  const workerPid = workers[0]?.pid as number;
  const child = Bun.spawn([RUSHD, "-c", `yes '${line.trimEnd()}' | head -c ${bytes}`], { env: current().env, stdout: "pipe", stderr: "pipe" });
  const hasher = new Bun.CryptoHasher("sha256");
  let received = 0;
  let peakWorkerMiB = 0;
  let chunks = 0;
  for await (const chunk of child.stdout) {
    hasher.update(chunk);
    received += chunk.length;
    // A slow consumer: yield to the event loop between chunks so the pipe fills and backpressure must hold.
    if (++chunks % 64 === 0) {
      peakWorkerMiB = Math.max(peakWorkerMiB, rssMiB(workerPid));
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  expect(await child.exited).toBe(0);
  expect(received).toBe(bytes);
  const expected = new Bun.CryptoHasher("sha256");
  const block = line.repeat(16384); // 1 MiB
  for (let at = 0; at < bytes; at += block.length) expected.update(block);
  expect(hasher.digest("hex")).toBe(expected.digest("hex"));
  // Bounded: far below the 256 MiB that went through.
  expect(peakWorkerMiB).toBeLessThan(200);
}, 120_000);
