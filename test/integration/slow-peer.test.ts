// A `rushd -c` whose caller is slow: a reader that takes its output only
// after 24 s, input that comes only after 24 s, or a terminal whose output
// is stopped (Ctrl-S) for 24 s. The worker waits without
// stopping its event loop (shell/exec/io-waits.ts), so it keeps answering
// its daemon's health checks, which kill a worker silent for 20 s. Before,
// the writer was killed mid-output (12,769 of 100,000 lines, status 255) and
// the reader's worker too. The wait is the point of the test: it takes 24 s.

import { expect, test } from "bun:test";
import * as fs from "node:fs";
import { RUSHD, useDaemon } from "./harness.ts";
import { openTerminal, resumeOutput, stopOutput } from "../pseudo-terminal.ts";

const current = useDaemon("pool", ["--workers", "3"]); // one for each stalled caller, all at once
const STALL_S = 24; // past the daemon's 20 s health timeout (daemon/pool.ts)

function bash(script: string): Promise<{ status: number; stdout: string; stderr: string }> {
  const child = Bun.spawn(["bash", "-c", script], { env: { ...current().env, R: RUSHD }, stdout: "pipe", stderr: "pipe" });
  return Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]).then(([stdout, stderr, status]) => ({ status, stdout, stderr }));
}

/** A `rushd -c` writing 2,000 lines to a terminal whose output is stopped for STALL_S; what the terminal shows, and the status. */
async function toStoppedTerminal(): Promise<{ status: number; shown: string }> {
  const { master, terminal } = openTerminal({ blockingMaster: true });
  const lines = Array.from({ length: 2000 }, (_, i) => `${i}\r\n`).join(""); // the terminal's ONLCR
  stopOutput(terminal);
  const client = Bun.spawn([RUSHD, "-c", "i=0; while [ $i -lt 2000 ]; do echo $i; i=$((i+1)); done"], { env: current().env, stdin: "ignore", stdout: terminal, stderr: terminal });
  const shows = Bun.spawn(["head", "-c", String(lines.length)], { stdin: master, stdout: "pipe" });
  await Bun.sleep(STALL_S * 1000);
  resumeOutput(terminal);
  const [status, shown] = await Promise.all([client.exited, new Response(shows.stdout).text()]);
  await shows.exited;
  fs.closeSync(terminal);
  fs.closeSync(master);
  return { status, shown: shown === lines ? "all 2000 lines" : `${shown.length} of ${lines.length} bytes` };
}

test(`a caller that reads the output only after ${STALL_S} s gets all of it, and status 0; one whose input comes after ${STALL_S} s gets it read; a terminal stopped for ${STALL_S} s shows all of it`, async () => {
  const terminal = toStoppedTerminal();
  const writer = bash(`"$R" -c 'i=0; while [ $i -lt 100000 ]; do echo $i; i=$((i+1)); done' | (sleep ${STALL_S}; wc -l); echo "status \${PIPESTATUS[0]}"`);
  const reader = bash(`(sleep ${STALL_S}; echo late) | "$R" -c 'read x; echo "got $x"'; echo "status $?"`);
  expect(await writer).toEqual({ status: 0, stdout: "100000\nstatus 0\n", stderr: "" });
  expect(await reader).toEqual({ status: 0, stdout: "got late\nstatus 0\n", stderr: "" });
  expect(await terminal).toEqual({ status: 0, shown: "all 2000 lines" });
  const status = await current().status();
  expect(status.workers_replaced).toBe(0); // no worker was taken for wedged and killed
}, (STALL_S + 30) * 1000);
