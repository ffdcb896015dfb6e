// Differential conformance through the real binary and a real daemon in pool
// mode, for a deterministic sample of the corpus (every 15th case in corpus
// order): the same comparison as conformance.test.ts, but the script travels
// `rushd -c` → daemon → worker and back. Cases listed in known-differences.txt
// are run but not judged here (their in-process verdict is conformance.test.ts's job).

import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TestDaemon } from "../integration/harness.ts";
import { type Case, caseEnv, describeDifference, KNOWN_DIFFERENCES_FILE, listGroups, loadCases, loadExpected, loadKnownDifferences, type Outcome, sameOutcome } from "./corpus.ts";

const SAMPLE_EVERY = 15;
const CASE_TIMEOUT_MS = 5000;

const allCases = listGroups().flatMap((group) => loadCases(group));
const sample = allCases.filter((_, index) => index % SAMPLE_EVERY === 0);
const expected = new Map(listGroups().map((group) => [group, loadExpected(group)]));
const known = loadKnownDifferences(readFileSync(KNOWN_DIFFERENCES_FILE, "utf8"));

let daemon: TestDaemon;

beforeAll(async () => {
  daemon = await new TestDaemon("pool").start();
});

afterAll(async () => {
  await daemon.stop();
}, 30_000);

async function runThroughDaemon(testCase: Case): Promise<Outcome | string> {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), "rushd-conf-")));
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const timedOut = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve(`timed out after ${CASE_TIMEOUT_MS} ms`), CASE_TIMEOUT_MS);
    });
    // `rushd -c script sh`, like the recording's `dash -c script sh`: $0 is sh.
    const ran = daemon.sh(testCase.script, { cwd: dir, env: caseEnv(dir), args: ["sh"] });
    const result = await Promise.race([ran, timedOut]);
    if (typeof result === "string") return result;
    return { stdout: result.stdout, stderr: result.stderr.length > 0, status: result.status };
  } finally {
    clearTimeout(timer);
    rmSync(dir, { recursive: true, force: true });
  }
}

test.each(sample.map((c) => [`${c.group}/${c.name}`, c] as const))("%s through the daemon", async (key, testCase) => {
  const want = expected.get(testCase.group)?.[testCase.name];
  expect(want).toBeDefined();
  if (want === undefined) return;
  const got = await runThroughDaemon(testCase);
  if (known.has(key)) return; // a known in-process difference: judged by conformance.test.ts
  const problem = typeof got === "string" ? got : sameOutcome(want, got) ? undefined : describeDifference(want, got);
  expect(problem === undefined ? undefined : `${key} through the daemon: ${problem}\nscript:\n${testCase.script}`).toBeUndefined();
}, CASE_TIMEOUT_MS + 5000);
