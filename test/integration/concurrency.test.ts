// Many clients at once (DESIGN §8): every byte of output reaches the right
// client, and pool and fork mode agree on randomized session sequences.

import { describe, expect, test } from "bun:test";
import { connect } from "../../src/client/library/index.ts";
import { TestDaemon, useDaemon } from "./harness.ts";

describe("concurrent clients", () => {
  const current = useDaemon("pool", ["--workers", "2", "--max-workers", "8"]);

  test("40 held connections × 25 requests: each output is exact and goes to its own client", async () => {
    const clients = await Promise.all(Array.from({ length: 40 }, () => connect({ socket: current().socket, autostart: false })));
    try {
      await Promise.all(clients.map(async (client, c) => {
        for (let r = 0; r < 25; r++) {
          const tag = `client-${c}-request-${r}`;
          const result = await client.run(`printf '%s\\n' "$1"; i=0; while [ $i -lt 50 ]; do echo "$1 $i"; i=$((i+1)); done`, { args: [tag] });
          const lines = new TextDecoder().decode(result.stdout).split("\n");
          expect(result.status).toBe(0);
          expect(lines[0]).toBe(tag);
          expect(lines.length).toBe(52);
          expect(lines[50]).toBe(`${tag} 49`);
        }
      }));
    } finally {
      for (const client of clients) client.close();
    }
  }, 120_000);

  test("20 parallel rushd -c processes each get their own output and status", async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => current().sh(`echo "job $1"; exit $(($1 % 7))`, { args: ["sh", String(i)] })));
    results.forEach((result, i) => {
      expect(result.stdout).toBe(`job ${i}\n`);
      expect(result.status).toBe(i % 7);
    });
  }, 60_000);
});

// The test of record (DESIGN §4): the same sequence of sessions gives the same results in both modes.
test("randomized session sequences give the same results in pool and fork mode", async () => {
  const steps = [
    "cd /; pwd", "pwd", "export A=1; echo ${A}", 'echo "${A-unset}"', "f() { echo f; }; f", "f 2>/dev/null || echo no-f",
    "umask 027; umask", "umask", "x=5; echo $((x*2))", 'echo "${x-unset}"', "alias l=echo; l alias", "l 2>/dev/null; echo $?",
    "trap 'echo trapped' EXIT; true", "set -e; false; echo unreachable", "echo $?", "cd /tmp && cd - >/dev/null; pwd",
  ];
  // A fixed seed: the same "random" order every run, so a failure can be replayed.
  let seed = 20261126;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  const sequence = Array.from({ length: 40 }, () => steps[next() % steps.length] as string);
  const outcomes: Record<string, string[]> = {};
  for (const mode of ["pool", "fork"] as const) {
    const daemon = await new TestDaemon(mode, mode === "pool" ? ["--workers", "1", "--max-workers", "1"] : []).start();
    try {
      const client = await connect({ socket: daemon.socket, autostart: false });
      const results: string[] = [];
      for (const script of sequence) {
        const result = await client.run(script, { cwd: daemon.dir, umask: 0o022 });
        results.push(`${result.status}|${new TextDecoder().decode(result.stdout)}|${new TextDecoder().decode(result.stderr)}`);
      }
      client.close();
      outcomes[mode] = results;
    } finally {
      await daemon.stop();
    }
  }
  expect(outcomes.pool).toEqual(outcomes.fork as string[]);
}, 120_000);
