// Differential conformance: every case of the corpus (cases/*.sh-cases) runs
// through the interpreter and must give dash's stdout, stderr presence and
// exit status (expected/*.json, recorded by scripts/record-conformance.ts).
// A case listed in known-differences.txt must still differ: when it starts to
// agree, the test asks for the entry to be removed. Prints the agreement
// table per group at the end.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import {
  type Case,
  describeDifference,
  type ExpectedGroup,
  KNOWN_DIFFERENCES_FILE,
  listGroups,
  loadCases,
  loadExpected,
  loadKnownDifferences,
  sameOutcome,
} from "./corpus.ts";
import { CasePool, type RunResult } from "./runner.ts";

const CASE_TIMEOUT_MS = 5000;
// Two cores are the norm in CI: three children keep both busy while one waits on a spawn.
const WORKERS = 3;
const RUN_ALL_TIMEOUT_MS = 240_000;

// CONFORMANCE_GROUPS=a,b runs only those groups (a quick loop while working on them).
const only = process.env.CONFORMANCE_GROUPS?.split(",").filter((group) => group !== "");
const groups = listGroups().filter((group) => only === undefined || only.includes(group));
const casesByGroup = new Map<string, Case[]>(groups.map((group) => [group, loadCases(group)]));
const expectedByGroup = new Map<string, ExpectedGroup>(groups.map((group) => [group, loadExpected(group)]));
const known = loadKnownDifferences(readFileSync(KNOWN_DIFFERENCES_FILE, "utf8"));
const allCases = [...casesByGroup.values()].flat();

type Verdict = "agree" | "known" | "stale-known" | "disagree";
const verdicts = new Map<string, Verdict>();
let results = new Map<string, RunResult>();
const pool = new CasePool(WORKERS, CASE_TIMEOUT_MS);

beforeAll(async () => {
  results = await pool.runAll(allCases);
}, RUN_ALL_TIMEOUT_MS);

afterAll(() => {
  pool.close();
  printTable();
});

/** Why this case fails the test, or undefined when it passes. */
function judge(testCase: Case): string | undefined {
  const key = `${testCase.group}/${testCase.name}`;
  const want = expectedByGroup.get(testCase.group)?.[testCase.name];
  if (want === undefined) return `${key} has no recorded result: run \`bun scripts/record-conformance.ts ${testCase.group}\``;
  const result = results.get(key);
  if (result === undefined) return `${key} did not run`;
  const agrees = result.kind === "done" && sameOutcome(want, result.outcome);
  const reason = known.get(key);
  if (reason !== undefined) {
    verdicts.set(key, agrees ? "stale-known" : "known");
    return agrees ? `${key} now agrees with dash: remove it from known-differences.txt (was: ${reason})` : undefined;
  }
  verdicts.set(key, agrees ? "agree" : "disagree");
  if (agrees) return undefined;
  const detail = result.kind === "done" ? describeDifference(want, result.outcome) : result.reason;
  const stderr = result.kind === "done" && result.stderrText !== "" ? `\nrushd's stderr: ${JSON.stringify(result.stderrText)}` : "";
  return `${key} disagrees with dash: ${detail}${stderr}\nscript:\n${testCase.script}`;
}

test("the corpus is consistent (every case recorded, every known difference a real case)", () => {
  const problems: string[] = [];
  for (const [group, cases] of casesByGroup) {
    const names = new Set(cases.map((c) => c.name));
    for (const name of Object.keys(expectedByGroup.get(group) ?? {})) {
      if (!names.has(name)) problems.push(`expected/${group}.json: ${name} is not a case (re-record the group)`);
    }
  }
  const keys = new Set(allCases.map((c) => `${c.group}/${c.name}`));
  for (const key of known.keys()) if (!keys.has(key) && groups.includes(key.split("/")[0] ?? "")) problems.push(`known-differences.txt: ${key} is not a case`);
  expect(problems).toEqual([]);
});

for (const [group, cases] of casesByGroup) {
  describe(group, () => {
    test.each(cases.map((c) => [c.name, c] as const))("%s", (_name, testCase) => {
      expect(judge(testCase)).toBeUndefined();
    });
  });
}

function printTable(): void {
  const rows: string[][] = [["group", "cases", "agree", "known-diff", "unexpected", "agreement"]];
  let totalCases = 0;
  let totalAgree = 0;
  let totalKnown = 0;
  let totalUnexpected = 0;
  const percent = (part: number, whole: number): string => (whole === 0 ? "-" : `${((100 * part) / whole).toFixed(1)}%`);
  for (const [group, cases] of casesByGroup) {
    let agree = 0;
    let knownCount = 0;
    let unexpected = 0;
    for (const testCase of cases) {
      const verdict = verdicts.get(`${group}/${testCase.name}`);
      if (verdict === "agree" || verdict === "stale-known") agree++;
      if (verdict === "known") knownCount++;
      if (verdict === "disagree" || verdict === "stale-known" || verdict === undefined) unexpected++;
    }
    rows.push([group, String(cases.length), String(agree), String(knownCount), String(unexpected), percent(agree, cases.length)]);
    totalCases += cases.length;
    totalAgree += agree;
    totalKnown += knownCount;
    totalUnexpected += unexpected;
  }
  rows.push(["total", String(totalCases), String(totalAgree), String(totalKnown), String(totalUnexpected), percent(totalAgree, totalCases)]);
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  const lines = rows.map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join("  "));
  console.log(`\nConformance with dash (stdout, stderr presence, status):\n${lines.join("\n")}\n`);
}
