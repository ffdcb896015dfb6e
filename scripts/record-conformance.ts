// Re-record the conformance corpus's expected results from dash (the oracle).
//
//   bun scripts/record-conformance.ts [group…]
//
// Each case runs as `dash -c "$script" sh` in a fresh temp dir (also $HOME),
// with PATH/HOME/LC_ALL only, stdin from /dev/null and a 5 s limit. A case
// that times out is a corpus error: it is reported and the run fails.

import { mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Case, caseEnv, EXPECTED_DIR, listGroups, loadCases, type Outcome } from "../test/conformance/corpus.ts";

const DASH = "/usr/bin/dash";
const TIMEOUT_MS = 5000;
const SLOW_MS = 1000;
const PARALLEL = 8;

class CaseTimeout extends Error {}

async function record(testCase: Case): Promise<Outcome> {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), "rushd-conf-")));
  try {
    // Own process group, so that a timeout also kills what the script started.
    const child = Bun.spawn([DASH, "-c", testCase.script, "sh"], {
      cwd: dir,
      env: caseEnv(dir),
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
      detached: true,
    });
    const startedMs = performance.now();
    const killGroup = (): void => {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // The group is already gone: nothing left to kill.
      }
    };
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), TIMEOUT_MS);
    });
    const stdout = new Response(child.stdout).arrayBuffer();
    const stderr = new Response(child.stderr).arrayBuffer();
    const exited = await Promise.race([child.exited, timedOut]);
    clearTimeout(timer);
    killGroup(); // leftovers of a finished script must not hold the pipes open
    if (exited === "timeout") throw new CaseTimeout(`${testCase.group}/${testCase.name}: timed out after ${TIMEOUT_MS} ms`);
    const [out, err] = await Promise.all([stdout, stderr]);
    const elapsedMs = performance.now() - startedMs;
    if (elapsedMs > SLOW_MS) console.warn(`warning: ${testCase.group}/${testCase.name} took ${Math.round(elapsedMs)} ms (cases should be well under a second)`);
    return { stdout: new TextDecoder().decode(out), stderr: err.byteLength > 0, status: exited };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function recordGroup(group: string): Promise<string[]> {
  const cases = loadCases(group);
  const results = new Map<string, Outcome>();
  const errors: string[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < cases.length) {
      const testCase = cases[next++];
      if (testCase === undefined) break;
      try {
        results.set(testCase.name, await record(testCase));
      } catch (error) {
        errors.push(error instanceof Error ? error.message : String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  const ordered: Record<string, Outcome> = {};
  for (const testCase of cases) {
    const outcome = results.get(testCase.name);
    if (outcome !== undefined) ordered[testCase.name] = outcome;
  }
  if (errors.length === 0) writeFileSync(join(EXPECTED_DIR, `${group}.json`), `${JSON.stringify(ordered, null, 2)}\n`);
  console.log(`${group.padEnd(20)} ${String(cases.length).padStart(4)} cases${errors.length > 0 ? `, ${errors.length} errors (not written)` : ""}`);
  return errors;
}

async function main(): Promise<number> {
  const all = listGroups();
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((group) => !all.includes(group));
  if (unknown.length > 0) {
    console.error(`unknown group(s): ${unknown.join(", ")} (have: ${all.join(", ")})`);
    return 2;
  }
  const errors: string[] = [];
  for (const group of wanted.length > 0 ? wanted : all) errors.push(...(await recordGroup(group)));
  for (const error of errors) console.error(error);
  return errors.length > 0 ? 1 : 0;
}

process.exit(await main());
