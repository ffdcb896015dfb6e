// Issue 8: `read` in a worker reads the caller's stdin fd itself (passed with
// SCM_RIGHTS). On a regular file it reads blocks and moves the offset back to
// just after the line, and that offset is the caller's too: whatever reads the
// file next, in the session or in the caller after `rushd -c` exits, starts
// right after the last line read. A pipe is still never read past the line.
// Correctness only; the time is in `bun run bench`.

import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { until } from "../../src/common/until.ts";
import { RUSHD, useDaemon } from "./harness.ts";

const DIR = realpathSync(mkdtempSync(join(tmpdir(), "rushd-read-blocks-")));
afterAll(() => rmSync(DIR, { recursive: true, force: true }));

/** Short and long lines (up to 3,000 bytes, past a block), each numbered. */
const LINES = Array.from({ length: 2000 }, (_, i) => `${i}:${"y".repeat((i * 53) % 3000)}\n`);
const FILE = join(DIR, "lines");
writeFileSync(FILE, LINES.join(""));

function shell(script: string, env: Record<string, string>): Promise<{ status: number; stdout: string; stderr: string }> {
  const child = Bun.spawn(["bash", "-c", script], { env: { ...env, R: RUSHD, F: FILE }, cwd: DIR, stdout: "pipe", stderr: "pipe" });
  return Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]).then(([stdout, stderr, status]) => ({ status, stdout, stderr }));
}

describe.each(["pool", "fork"] as const)("%s mode", (mode) => {
  const current = useDaemon(mode, ["--workers", "1", "--max-workers", "2"]);

  test("rushd -c 'while read l; do echo \"$l\"; done; cat' < file prints the file, the worker serving it", async () => {
    const before = (await current().status()).requests_total;
    const result = await shell(`"$R" -c 'while read l; do echo "$l"; done; cat' < "$F"`, current().env);
    expect(result).toEqual({ status: 0, stdout: LINES.join(""), stderr: "" });
    // Served by the daemon, not by the in-process fallback. Workers batch their counters off the hot
    // path (they reach the daemon within 100 ms of the session), so the count may come a little later.
    await until(async () => (await current().status()).requests_total === before + 1, { timeoutMs: 5000, what: "the session counted by the daemon" });
  });

  test("a loop stopped part way leaves the rest to cat, in the session and in the caller afterwards", async () => {
    const inSession = await shell(`"$R" -c 'while read -r l; do case $l in 1500:*) break;; esac; done; cat' < "$F"`, current().env);
    expect(inSession).toEqual({ status: 0, stdout: LINES.slice(1501).join(""), stderr: "" });
    // The offset the worker left is the caller's: the open file is shared.
    const inCaller = await shell(`{ "$R" -c 'read a; read b; echo "\${#a} \${#b}"'; cat; } < "$F"`, current().env);
    expect(inCaller).toEqual({ status: 0, stdout: `2 55\n${LINES.slice(2).join("")}`, stderr: "" });
  });

  test("from a pipe, the worker's read takes no byte past the line", async () => {
    const result = await shell(`seq 5 | { "$R" -c 'read x; echo "x=$x"'; cat; }`, current().env);
    expect(result).toEqual({ status: 0, stdout: "x=1\n2\n3\n4\n5\n", stderr: "" });
  });
});
