// `bun scripts/startup-profile.ts [--samples N] [--socket PATH] [NAME=COMMAND...]`:
// how long whole processes take to start and exit, spawned from Bun in turn
// (interleaved, so the machine's noise falls on every contender alike).
// Prints the median and p90 of each, in milliseconds, and each one's median
// as a multiple of the first contender's.
//
// Default contenders: a compiled Bun hello-world (built here on first use:
// the baseline the client is measured against), `dist/rushd --version`,
// `dist/rushd -c true` against a running daemon (start one first:
// `dist/rushd start --socket PATH`) and `dash -c true` if dash is installed.
// Not the bench (`bun run bench`, "Whole process"): a quick before/after.

import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dir, "..");

interface Contender {
  readonly name: string;
  readonly argv: readonly string[];
}

function option(argv: string[], name: string): string | undefined {
  const at = argv.indexOf(name);
  if (at < 0) return undefined;
  const value = argv[at + 1];
  argv.splice(at, 2);
  return value;
}

function helloWorld(): string {
  const dir = mkdtempSync(join(tmpdir(), "rushd-startup-"));
  const source = join(dir, "hello.ts");
  const binary = join(dir, "hello");
  writeFileSync(source, 'console.log("hello world");\n');
  const built = Bun.spawnSync([process.execPath, "build", "--compile", "--minify", "--bytecode", source, "--outfile", binary], { stdout: "ignore", stderr: "inherit" });
  if (built.exitCode !== 0) throw new Error("cannot build the hello-world baseline");
  return binary;
}

function which(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(":")) if (dir !== "" && existsSync(join(dir, name))) return join(dir, name);
  return undefined;
}

function defaultContenders(rushd: string): Contender[] {
  const contenders: Contender[] = [
    { name: "hello-world", argv: [helloWorld()] },
    { name: "rushd --version", argv: [rushd, "--version"] },
    { name: "rushd -c true", argv: [rushd, "-c", "true"] },
  ];
  const dash = which("dash");
  if (dash !== undefined) contenders.push({ name: "dash -c true", argv: [dash, "-c", "true"] });
  return contenders;
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

async function timeOnce(argv: readonly string[], env: Record<string, string | undefined>): Promise<number> {
  const started = Bun.nanoseconds();
  const child = Bun.spawn([...argv], { env, stdin: "ignore", stdout: "ignore", stderr: "inherit" });
  const status = await child.exited;
  const elapsedMs = (Bun.nanoseconds() - started) / 1e6;
  if (status !== 0) throw new Error(`${argv.join(" ")} exited with ${status}`);
  return elapsedMs;
}

async function main(args: string[]): Promise<void> {
  const samples = Number(option(args, "--samples") ?? "100");
  const socket = option(args, "--socket");
  const rushd = option(args, "--rushd") ?? join(ROOT, "dist", "rushd");
  const env: Record<string, string | undefined> = { ...process.env, RUSHD_AUTOSTART: "0" };
  if (socket !== undefined) env.RUSHD_SOCKET = socket;
  const contenders = args.length > 0
    ? args.map((arg) => {
      const at = arg.indexOf("=");
      return { name: arg.slice(0, at), argv: arg.slice(at + 1).split(" ") };
    })
    : defaultContenders(rushd);
  // Without a daemon, rushd -c would quietly time its in-process fallback (named contenders are the caller's to check).
  const probe = args.length > 0 ? undefined : Bun.spawnSync([rushd, ...(socket === undefined ? [] : ["--socket", socket]), "-c", "true"], { env: { ...env, RUSHD_DEBUG: "1" }, stderr: "pipe" });
  if (probe?.stderr.toString().includes("in process")) throw new Error(`no daemon serves rushd -c (start one: ${rushd} start${socket === undefined ? "" : ` --socket ${socket}`})`);
  const times: number[][] = contenders.map(() => []);
  for (const contender of contenders) await timeOnce(contender.argv, env); // warm the page cache
  for (let round = 0; round < samples; round++) {
    for (const [index, contender] of contenders.entries()) times[index]?.push(await timeOnce(contender.argv, env));
  }
  const baseline = quantile([...(times[0] ?? [])].sort((a, b) => a - b), 0.5);
  process.stdout.write(`${samples} interleaved samples each\n`);
  for (const [index, contender] of contenders.entries()) {
    const sorted = [...(times[index] ?? [])].sort((a, b) => a - b);
    const median = quantile(sorted, 0.5);
    process.stdout.write(`${contender.name.padEnd(24)} median ${median.toFixed(2).padStart(6)} ms  p90 ${quantile(sorted, 0.9).toFixed(2).padStart(6)} ms  ${(median / baseline).toFixed(2)}×\n`);
  }
}

await main(process.argv.slice(2));
