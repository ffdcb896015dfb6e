// DESIGN §2 and §8: the socket directory is the boundary; secrets stay in their session.

import { expect, test } from "bun:test";
import { chmodSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { until } from "../../src/common/until.ts";
import { runRushd, useDaemon } from "./harness.ts";

const current = useDaemon("pool", ["--workers", "1", "--max-workers", "1"]);

test("the socket is 0600 and its directory 0700, worker sockets included", async () => {
  expect(statSync(current().dir).mode & 0o777).toBe(0o700);
  expect(statSync(current().socket).mode & 0o777).toBe(0o600);
  // A worker listens once it has warmed up.
  await until(async () => (await current().status()).workers.some((worker) => worker.state === "idle"), { timeoutMs: 15_000, what: "a ready worker" });
  const { workers } = await current().status();
  for (const worker of workers) {
    const workerSockets = readdirSync(current().dir).filter((name) => /^d\.sock\.\d+\.w\d+$/.test(name));
    expect(workerSockets.length).toBeGreaterThanOrEqual(1);
    for (const name of workerSockets) expect(statSync(join(current().dir, name)).mode & 0o777).toBe(0o600);
    expect(worker.pid).toBeGreaterThan(0);
  }
});

test("the daemon refuses a socket directory open to group or others", async () => {
  const open = join(current().dir, "open");
  mkdirSync(open);
  chmodSync(open, 0o755);
  const result = await runRushd(["daemon", "--socket", join(open, "x.sock")], { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: current().dir });
  expect(result.status).toBe(1);
  expect(result.stderr).toContain("refusing socket directory");
});

test("a secret in one session's environment never reaches the next session", async () => {
  const secret = "s3cr3t-value-9f8e7d";
  expect((await current().sh('echo "$TOKEN"', { env: { TOKEN: secret } })).stdout).toBe(`${secret}\n`);
  expect((await current().sh(`export LEAK=${secret}; echo set`)).stdout).toBe("set\n");
  const after = await current().sh("env; set");
  expect(after.status).toBe(0);
  expect(after.stdout).not.toContain(secret);
  expect((await current().status()).workers.length).toBe(1); // the same worker served all three
});
