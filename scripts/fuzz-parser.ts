// The long run of the parser fuzz (issue 4); `npm test` runs a short one
// (test/shell/fuzz-parser.test.ts) over the same properties.
//
//   bun scripts/fuzz-parser.ts [--runs N] [--seed S] [--minutes M] [--property TEXT]
//   bun scripts/fuzz-parser.ts --seed S --path P --property TEXT    (replay a counterexample)
//
// Each property runs in a child process with N runs (default 2000) from seed
// S (default: the time); with --minutes it repeats with the next seeds until
// the time is up. A failing property prints its shrunk counterexample. A
// child that hangs (no new input for a minute) or dies is killed and the input
// it was on is printed instead, since a synchronous hang or a crash cannot be
// shrunk in-process. Exits 1 if any property failed.

import fc from "fast-check";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { type FuzzProperty, properties, toProperty } from "../test/shell/fuzz/properties.ts";

/** No new input for this long: the child is stuck in a synchronous loop. */
const STALL_MS = 60_000;
const POLL_MS = 1000;

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "2000" },
    seed: { type: "string" },
    minutes: { type: "string" },
    property: { type: "string" },
    path: { type: "string" },
    child: { type: "string" },
    current: { type: "string" },
  },
  strict: true,
});

function positiveNumber(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} needs a positive number, got ${JSON.stringify(text)}`);
  return n;
}

/** What a child reports on its last line of stdout. */
interface ChildResult {
  readonly numRuns: number;
  readonly failed: boolean;
  readonly report?: string;
  readonly input?: string;
}

async function runChild(index: number, seed: number, runs: number, replayPath: string | undefined, currentFile: string): Promise<void> {
  const property = properties[index];
  if (property === undefined) throw new Error(`no property ${index}`);
  const record = (source: string) => fs.writeFileSync(currentFile, source);
  const details = await fc.check(toProperty(property, record), { seed, numRuns: runs, path: replayPath, includeErrorInReport: true });
  const result: ChildResult = {
    numRuns: details.numRuns,
    failed: details.failed,
    report: details.failed ? fc.defaultReportMessage(details) : undefined,
    input: details.counterexample?.[0],
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

interface Outcome {
  readonly runs: number;
  readonly failure?: string;
}

/** Run one property in a child process, watching it for hangs and crashes. */
async function runProperty(index: number, property: FuzzProperty, seed: number, runs: number, replayPath: string | undefined, dir: string): Promise<Outcome> {
  const currentFile = path.join(dir, `current-${index}`);
  fs.writeFileSync(currentFile, "");
  const args = [process.execPath, import.meta.path, "--child", String(index), "--seed", String(seed), "--runs", String(runs), "--current", currentFile];
  if (replayPath !== undefined) args.push("--path", replayPath);
  const child = Bun.spawn(args, { stdout: "pipe", stderr: "inherit" });
  const output = new Response(child.stdout).text();
  let isStalled = false;
  const watchdog = setInterval(() => {
    if (Date.now() - fs.statSync(currentFile).mtimeMs > STALL_MS) {
      isStalled = true;
      child.kill("SIGKILL");
    }
  }, POLL_MS);
  const [text, code] = await Promise.all([output, child.exited]);
  clearInterval(watchdog);
  const input = fs.readFileSync(currentFile, "utf8");
  const describe = (what: string) => `${property.name}: ${what} (seed ${seed}) on this input:\n${JSON.stringify(input)}\n${input}`;
  if (isStalled) return { runs: 0, failure: describe(`no progress for ${STALL_MS / 1000} s, killed`) };
  const last = text.trimEnd().split("\n").pop() ?? "";
  let result: ChildResult;
  try {
    result = JSON.parse(last) as ChildResult;
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    return { runs: 0, failure: describe(`the child died (exit ${code}, signal ${child.signalCode ?? "none"})`) };
  }
  if (!result.failed) return { runs: result.numRuns };
  const shrunk = result.input === undefined ? "" : `\nShrunk input, as text:\n${result.input}`;
  return { runs: result.numRuns, failure: `${property.name}:\n${result.report ?? ""}${shrunk}` };
}

async function main(): Promise<number> {
  const runs = positiveNumber(values.runs, "runs") ?? 2000;
  if (values.child !== undefined) {
    await runChild(Number(values.child), Number(values.seed), runs, values.path, values.current ?? "/dev/null");
    return 0;
  }
  const seed0 = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
  const minutes = positiveNumber(values.minutes, "minutes");
  const selected = properties.map((p, index) => ({ p, index })).filter(({ p }) => values.property === undefined || p.name.includes(values.property));
  if (selected.length === 0) throw new Error(`no property matches ${JSON.stringify(values.property)}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rushd-fuzz-"));
  const started = Date.now();
  const deadline = minutes === undefined ? 0 : started + minutes * 60_000;
  const totals = new Map<string, number>();
  const failures: string[] = [];
  console.log(`fuzz-parser: seed ${seed0}, ${runs} runs per property and round${minutes === undefined ? "" : `, ${minutes} min`}`);
  try {
    for (let round = 0; ; round++) {
      const seed = seed0 + round;
      for (const { p, index } of selected) {
        const roundStart = Date.now();
        const outcome = await runProperty(index, p, seed, runs, values.path, dir);
        totals.set(p.name, (totals.get(p.name) ?? 0) + outcome.runs);
        const seconds = ((Date.now() - roundStart) / 1000).toFixed(1);
        console.log(`  seed ${seed}  ${outcome.failure === undefined ? "ok  " : "FAIL"}  ${String(outcome.runs).padStart(6)} runs  ${seconds.padStart(6)} s  ${p.name}`);
        if (outcome.failure !== undefined) {
          // At once, so that a run stopped early still shows it.
          failures.push(p.name);
          console.log(`\nFAILED ${outcome.failure}\n`);
        }
      }
      if (values.path !== undefined || Date.now() >= deadline) break;
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log(`\n${((Date.now() - started) / 60_000).toFixed(1)} min:`);
  for (const [name, count] of totals) console.log(`  ${String(count).padStart(8)} runs  ${name}`);
  if (failures.length > 0) console.log(`\n${failures.length} failure(s), shown above: ${failures.join("; ")}`);
  return failures.length === 0 ? 0 : 1;
}

process.exit(await main());
