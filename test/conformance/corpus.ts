// The conformance corpus as data: `cases/<group>.sh-cases` (scripts) and
// `expected/<group>.json` (what dash did with them). Shared by the runner
// (conformance.test.ts, daemon-sample.test.ts) and the recorder
// (scripts/record-conformance.ts). Must not import the interpreter.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const CORPUS_DIR = import.meta.dir;
export const CASES_DIR = join(CORPUS_DIR, "cases");
export const EXPECTED_DIR = join(CORPUS_DIR, "expected");
export const KNOWN_DIFFERENCES_FILE = join(CORPUS_DIR, "known-differences.txt");

const CASE_SUFFIX = ".sh-cases";
const HEADER = /^#### (.*)$/;
const CASE_NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export interface Case {
  readonly group: string;
  readonly name: string;
  readonly script: string;
}

/** What one run of a case produced, reduced to what the corpus compares. */
export interface Outcome {
  readonly stdout: string;
  readonly stderr: boolean;
  readonly status: number;
}

export type ExpectedGroup = Record<string, Outcome>;

/** Group names in a stable order (the file names under cases/). */
export function listGroups(): string[] {
  return readdirSync(CASES_DIR)
    .filter((file) => file.endsWith(CASE_SUFFIX))
    .map((file) => file.slice(0, -CASE_SUFFIX.length))
    .sort();
}

/**
 * Split a cases file into cases. Lines before the first header must be
 * comments or blank (a file may start with a note about the group). A
 * script is every line up to the next header, without trailing blank lines.
 */
export function parseCases(group: string, text: string): Case[] {
  const cases: Case[] = [];
  const seen = new Set<string>();
  let name: string | undefined;
  let lines: string[] = [];
  const finish = (): void => {
    if (name === undefined) return;
    while (lines.length > 0 && lines[lines.length - 1]?.trim() === "") lines.pop();
    if (lines.length === 0) throw new Error(`${group}/${name}: empty script`);
    cases.push({ group, name, script: `${lines.join("\n")}\n` });
  };
  text.split("\n").forEach((line, index) => {
    const header = HEADER.exec(line);
    if (header === null) {
      if (name === undefined && line.trim() !== "" && !line.startsWith("#")) {
        throw new Error(`${group}.sh-cases:${index + 1}: text before the first #### header`);
      }
      lines.push(line);
      return;
    }
    finish();
    const candidate = header[1]?.trim() ?? "";
    if (!CASE_NAME.test(candidate)) throw new Error(`${group}.sh-cases:${index + 1}: case name ${JSON.stringify(candidate)} is not kebab-case`);
    if (seen.has(candidate)) throw new Error(`${group}.sh-cases:${index + 1}: duplicate case ${candidate}`);
    seen.add(candidate);
    name = candidate;
    lines = [];
  });
  finish();
  return cases;
}

export function loadCases(group: string): Case[] {
  return parseCases(group, readFileSync(join(CASES_DIR, `${group}${CASE_SUFFIX}`), "utf8"));
}

export function loadExpected(group: string): ExpectedGroup {
  const parsed: unknown = JSON.parse(readFileSync(join(EXPECTED_DIR, `${group}.json`), "utf8"));
  if (typeof parsed !== "object" || parsed === null) throw new Error(`expected/${group}.json: not an object`);
  const result: ExpectedGroup = {};
  for (const [name, value] of Object.entries(parsed)) {
    if (!isOutcome(value)) throw new Error(`expected/${group}.json: ${name}: not {stdout, stderr, status}`);
    result[name] = value;
  }
  return result;
}

function isOutcome(value: unknown): value is Outcome {
  if (typeof value !== "object" || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record.stdout === "string" && typeof record.stderr === "boolean" && typeof record.status === "number";
}

/** `group/case` → reason. A case listed here is expected to disagree with dash. */
export function loadKnownDifferences(text: string): Map<string, string> {
  const known = new Map<string, string>();
  text.split("\n").forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const match = /^([a-z0-9-]+\/[a-z0-9-]+):\s*(\S.*)$/.exec(line);
    if (match === null || match[1] === undefined || match[2] === undefined) {
      throw new Error(`known-differences.txt:${index + 1}: expected "<group>/<case>: <reason>"`);
    }
    if (known.has(match[1])) throw new Error(`known-differences.txt:${index + 1}: ${match[1]} listed twice`);
    known.set(match[1], match[2]);
  });
  return known;
}

/** The fixed environment every case runs with, under dash and under rushd alike. */
export function caseEnv(home: string): Record<string, string> {
  return { PATH: "/usr/local/bin:/usr/bin:/bin", HOME: home, LC_ALL: "C" };
}

/** A short human description of how two outcomes differ. */
export function describeDifference(want: Outcome, got: Outcome): string {
  const parts: string[] = [];
  if (want.status !== got.status) parts.push(`status: want ${want.status}, got ${got.status}`);
  if (want.stderr !== got.stderr) parts.push(want.stderr ? "stderr: want some, got none" : "stderr: want none, got some");
  if (want.stdout !== got.stdout) parts.push(`stdout: want ${JSON.stringify(want.stdout)}, got ${JSON.stringify(got.stdout)}`);
  return parts.join("; ");
}

export function sameOutcome(want: Outcome, got: Outcome): boolean {
  return want.status === got.status && want.stderr === got.stderr && want.stdout === got.stdout;
}
