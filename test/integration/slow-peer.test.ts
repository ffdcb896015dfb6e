// A `rushd -c` whose caller is slow: a reader that takes its output only
// after 24 s, or input that comes only after 24 s. The worker waits without
// stopping its event loop (shell/exec/io-waits.ts), so it keeps answering
// its daemon's health checks, which kill a worker silent for 20 s. Before,
// the writer was killed mid-output (12,769 of 100,000 lines, status 255) and
// the reader's worker too. The wait is the point of the test: it takes 24 s.

import { expect, test } from "bun:test";
import { RUSHD, useDaemon } from "./harness.ts";

const current = useDaemon("pool", ["--workers", "2"]);
const STALL_S = 24; // past the daemon's 20 s health timeout (daemon/pool.ts)

function bash(script: string): Promise<{ status: number; stdout: string; stderr: string }> {
  const child = Bun.spawn(["bash", "-c", script], { env: { ...current().env, R: RUSHD }, stdout: "pipe", stderr: "pipe" });
  return Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]).then(([stdout, stderr, status]) => ({ status, stdout, stderr }));
}

test(`a caller that reads the output only after ${STALL_S} s gets all of it, and status 0; one whose input comes after ${STALL_S} s gets it read`, async () => {
  const writer = bash(`"$R" -c 'i=0; while [ $i -lt 100000 ]; do echo $i; i=$((i+1)); done' | (sleep ${STALL_S}; wc -l); echo "status \${PIPESTATUS[0]}"`);
  const reader = bash(`(sleep ${STALL_S}; echo late) | "$R" -c 'read x; echo "got $x"'; echo "status $?"`);
  expect(await writer).toEqual({ status: 0, stdout: "100000\nstatus 0\n", stderr: "" });
  expect(await reader).toEqual({ status: 0, stdout: "got late\nstatus 0\n", stderr: "" });
  const status = await current().status();
  expect(status.workers_replaced).toBe(0); // no worker was taken for wedged and killed
}, (STALL_S + 30) * 1000);
