// Real-world check, autoconf (issue 8): GNU hello's ./configure run with
// CONFIG_SHELL set to rushd, and run by it, must produce byte-identical
// config.h and Makefile to the same run under dash. Not part of npm test: it
// needs Debian's source package (see docs/REAL-WORLD.md for how to get it).
//
//   bun scripts/real-world/configure-check.ts --source DIR [--rushd BIN | --build-head]
//                                             [--report FILE | --no-report] [--keep]
//
// DIR is an unpacked source tree (apt-get source hello). It is never written:
// each run gets a fresh copy (cp -a) at the same path, WORK/<basename DIR>,
// since configure writes its absolute path into the Makefile, and the copy is
// moved aside when the run ends. The shell is reached through one symlink,
// WORK/bin/sh, pointed at /usr/bin/dash or at a private copy of rushd before
// each run, so both runs are literally `CONFIG_SHELL=$S $S ./configure` and
// the `SHELL = $S` line configure writes is the same text; nothing in the
// results is rewritten before they are compared.
//
// Runs, one after another, each with the environment
// PATH=/usr/local/bin:/usr/bin:/bin HOME=WORK/home LC_ALL=C
// RUSHD_SOCKET=WORK/sock/d.sock RUSHD_AUTOSTART=0 and stdin /dev/null:
//   dash             S -> /usr/bin/dash, S ./configure
//   rushd            S -> rushd, S ./configure (a script file: in process; a
//                    pool daemon listens on the socket for any S -c)
//   rushd -c, pool   S -> rushd, S -c '. "$0"' ./configure: the whole
//                    configure in one session of a pooled worker, on the fds
//                    passed by the client
//   rushd -c, fork   the same through a fork-mode daemon
// config.status is run by configure as `$SHELL ./config.status`, so under
// rushd it always runs as a script file.
//
// Verdict: config.h and Makefile must be byte-identical to dash's in every
// rushd run, and config.status byte-identical too but for one difference
// checked line by line (lineno-diff.ts): where dash, which has no LINENO,
// made configure.lineno and wrote line numbers in, rushd's keeps `$LINENO`
// (exit status 1 otherwise). Every other file of the trees, and
// configure's stdout and stderr, are compared too and listed when they
// differ, for information. --report (default docs/REAL-WORLD.md) replaces
// the block between CONFIGURE_BEGIN and CONFIGURE_END below in that file,
// which sits in its hand-written section, so scripts/real-world-check.ts
// keeps it when it regenerates the rest.

import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { buildHead } from "./build-head.ts";
import { linenoOnlyLines } from "./lineno-diff.ts";
import { compareTrees, type TreeDifference } from "./tree-diff.ts";

const ROOT = resolve(import.meta.dir, "../..");
const DASH = "/usr/bin/dash";
const REQUIRED = ["config.h", "Makefile"] as const;
/** Identical but for `$LINENO` against the line numbers dash's configure.lineno wrote in (lineno-diff.ts). */
const CONFIG_STATUS = "config.status";
export const CONFIGURE_BEGIN = "<!-- BEGIN CONFIGURE CHECK: written by scripts/real-world/configure-check.ts -->";
export const CONFIGURE_END = "<!-- END CONFIGURE CHECK -->";
/** A configure that takes longer than this has hung (it takes ~10 s). */
const RUN_LIMIT_MS = 600_000;

interface Options {
  source: string;
  rushd: string;
  isBuildHead: boolean;
  report: string | undefined;
  isKept: boolean;
}

interface Variant {
  readonly name: string;
  readonly shell: "dash" | "rushd";
  readonly args: readonly string[];
  readonly daemon: "pool" | "fork" | undefined;
}

const VARIANTS: readonly Variant[] = [
  { name: "dash", shell: "dash", args: ["./configure"], daemon: undefined },
  { name: "rushd", shell: "rushd", args: ["./configure"], daemon: "pool" },
  { name: "rushd -c, pool", shell: "rushd", args: ["-c", '. "$0"', "./configure"], daemon: "pool" },
  { name: "rushd -c, fork", shell: "rushd", args: ["-c", '. "$0"', "./configure"], daemon: "fork" },
];

interface RunOutcome {
  readonly variant: Variant;
  readonly status: number | null;
  readonly seconds: number;
  readonly stdout: Buffer;
  readonly stderr: Buffer;
  readonly tree: string;
  /** Sessions the daemon served during the run, and leases it refused (run in the client instead). */
  readonly daemonSessions?: { served: number; refused: number };
}

function parseOptions(argv: readonly string[]): Options {
  const options: Options = { source: "", rushd: join(ROOT, "dist", "rushd"), isBuildHead: false, report: join(ROOT, "docs", "REAL-WORLD.md"), isKept: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg === "--source") options.source = resolve(value());
    else if (arg === "--rushd") options.rushd = resolve(value());
    else if (arg === "--build-head") options.isBuildHead = true;
    else if (arg === "--report") options.report = resolve(value());
    else if (arg === "--no-report") options.report = undefined;
    else if (arg === "--keep") options.isKept = true;
    else throw new Error(`unknown option ${arg}`);
  }
  if (options.source === "" || !existsSync(join(options.source, "configure"))) throw new Error("--source DIR: an unpacked source tree with a configure script (apt-get source hello)");
  return options;
}

function output(argv: readonly string[], cwd?: string): string {
  const run = Bun.spawnSync([...argv], { cwd, stdout: "pipe", stderr: "pipe" });
  if (run.exitCode !== 0) throw new Error(`${argv.join(" ")} failed (${run.exitCode}): ${run.stderr.toString()}`);
  return run.stdout.toString().trim();
}

/** The daemon for the variants that name one: at most one runs, on the one socket (env.RUSHD_SOCKET) every run is told about. */
class Daemons {
  private running: "pool" | "fork" | undefined;
  constructor(private readonly rushd: string, private readonly socket: string, private readonly env: Record<string, string>) {}

  async use(mode: "pool" | "fork" | undefined): Promise<void> {
    if (this.running === mode) return;
    await this.stop();
    if (mode === undefined) return;
    const started = Bun.spawnSync([this.rushd, "start", "--mode", mode, "--workers", "1"], { env: this.env, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
    if (started.exitCode !== 0) throw new Error(`rushd start --mode ${mode} failed: ${started.stderr.toString()}`);
    this.running = mode;
  }

  /** requests_total and leases_refused_no_wait, from rushd status --json. */
  counters(): { requests: number; refused: number } {
    const status = Bun.spawnSync([this.rushd, "status", "--json"], { env: this.env, stdout: "pipe", stderr: "pipe" });
    if (status.exitCode !== 0) throw new Error(`rushd status failed: ${status.stderr.toString()}`);
    const parsed: unknown = JSON.parse(status.stdout.toString());
    if (typeof parsed !== "object" || parsed === null || !("requests_total" in parsed) || !("leases_refused_no_wait" in parsed)) throw new Error("rushd status --json: no counters");
    return { requests: Number(parsed.requests_total), refused: Number(parsed.leases_refused_no_wait) };
  }

  async stop(): Promise<void> {
    if (this.running === undefined) return;
    const pid = Number.parseInt(readFileSync(`${this.socket}.pid`, "utf8"), 10);
    const stopped = Bun.spawnSync([this.rushd, "stop"], { env: this.env, stdout: "pipe", stderr: "pipe" });
    if (stopped.exitCode !== 0) throw new Error(`rushd stop failed: ${stopped.stderr.toString()}`);
    // The daemon stops its workers; make sure of the daemon itself, by its pid.
    if (Bun.spawnSync(["kill", "-0", String(pid)], { stderr: "ignore" }).exitCode === 0) process.kill(pid, "SIGKILL");
    this.running = undefined;
  }
}

async function runVariant(variant: Variant, work: string, options: Options, rushd: string, daemons: Daemons, env: Record<string, string>): Promise<RunOutcome> {
  const tree = join(work, basename(options.source));
  rmSync(tree, { recursive: true, force: true });
  output(["cp", "-a", options.source, tree]);
  const shell = join(work, "bin", "sh");
  rmSync(shell, { force: true });
  symlinkSync(variant.shell === "dash" ? DASH : rushd, shell);
  await daemons.use(variant.daemon);
  const before = variant.daemon === undefined ? undefined : daemons.counters();
  const started = performance.now();
  const child = Bun.spawn([shell, ...variant.args], { cwd: tree, env: { ...env, CONFIG_SHELL: shell }, stdin: "ignore", stdout: "pipe", stderr: "pipe", timeout: RUN_LIMIT_MS, killSignal: "SIGKILL" });
  const [stdout, stderr, status] = await Promise.all([new Response(child.stdout).bytes(), new Response(child.stderr).bytes(), child.exited]);
  const seconds = (performance.now() - started) / 1000;
  const after = variant.daemon === undefined ? undefined : daemons.counters();
  const kept = join(work, "out", variant.name.replace(/[^a-z]+/g, "-"));
  renameSync(tree, kept);
  return {
    variant,
    status: child.signalCode === null ? status : null,
    seconds,
    stdout: Buffer.from(stdout),
    stderr: Buffer.from(stderr),
    tree: kept,
    ...(before !== undefined && after !== undefined ? { daemonSessions: { served: after.requests - before.requests, refused: after.refused - before.refused } } : {}),
  };
}

function describeDifference(difference: TreeDifference): string[] {
  const lines: string[] = [];
  for (const path of difference.onlyInFirst) lines.push(`  - only under dash: \`${path}\``);
  for (const path of difference.onlyInSecond) lines.push(`  - only under rushd: \`${path}\``);
  for (const file of difference.differing) lines.push(`  - \`${file.path}\` differs (${file.changedLines} changed lines)`);
  return lines;
}

/** config.status against dash's: identical, identical but for LINENO (with the line count), or not. */
function configStatusVerdict(dash: RunOutcome, outcome: RunOutcome): { readonly ok: boolean; readonly text: string } {
  const ours = join(outcome.tree, CONFIG_STATUS);
  const theirs = join(dash.tree, CONFIG_STATUS);
  if (!existsSync(ours) || !existsSync(theirs)) return { ok: false, text: "**missing in one run**" };
  const [reference, made] = [readFileSync(theirs), readFileSync(ours)];
  if (reference.equals(made)) return { ok: true, text: "identical" };
  const lines = linenoOnlyLines(reference, made);
  return lines === undefined ? { ok: false, text: "**differs**" } : { ok: true, text: `identical but for \`$LINENO\` (${lines} lines)` };
}

function render(outcomes: readonly RunOutcome[], versions: Record<string, string>, commands: string, isIdentical: boolean): string {
  const [dash] = outcomes;
  if (dash === undefined) throw new Error("no dash run");
  const lines: string[] = [CONFIGURE_BEGIN, "", `Verdict: **${isIdentical ? "identical" : "differs"}**: \`config.h\` and \`Makefile\` from every rushd run ${isIdentical ? "are byte-identical to" : "are not all byte-identical to"} dash's (nothing rewritten before comparing), and \`config.status\` ${isIdentical ? "is" : "is not always"} too, but for the lines where dash's has line numbers written in for \`$LINENO\` (dash has no LINENO; see above).`, ""];
  lines.push(...Object.entries(versions).map(([what, version]) => `- ${what}: ${version}`), "");
  lines.push("```sh", commands, "```", "");
  lines.push("| run | exit status | time | `config.h` | `Makefile` | `config.status` | configure's stdout / stderr | daemon sessions |", "| --- | --- | --- | --- | --- | --- | --- | --- |");
  const details: string[] = [];
  for (const outcome of outcomes) {
    const difference = outcome === dash ? undefined : compareTrees(dash.tree, outcome.tree);
    const required = (name: string): string => {
      if (difference === undefined) return "(reference)";
      if (difference.onlyInFirst.includes(name) || difference.onlyInSecond.includes(name)) return "**missing in one run**";
      return difference.differing.some((file) => file.path === name) ? "**differs**" : "identical";
    };
    const streams = outcome === dash ? "(reference)" : `${outcome.stdout.equals(dash.stdout) ? "same" : "**differs**"} / ${outcome.stderr.equals(dash.stderr) ? "same" : "**differs**"}`;
    const sessions = outcome.daemonSessions === undefined ? "" : `${outcome.daemonSessions.served} served, ${outcome.daemonSessions.refused} run in the client`;
    const status = outcome === dash ? "(reference)" : configStatusVerdict(dash, outcome).text;
    lines.push(`| ${outcome.variant.name} | ${outcome.status ?? "killed"} | ${outcome.seconds.toFixed(1)} s | ${required("config.h")} | ${required("Makefile")} | ${status} | ${streams} | ${sessions} |`);
    if (difference !== undefined) {
      const described = describeDifference(difference);
      details.push(`- ${outcome.variant.name}: ${described.length === 0 ? "every file of the tree is identical to dash's" : "other files:"}`, ...described);
      for (const file of difference.differing.filter((each) => (REQUIRED as readonly string[]).includes(each.path))) details.push("", "```diff", file.excerpt, "```");
    }
  }
  lines.push("", "Every other file in the trees, compared with dash's run:", "", ...details, "", CONFIGURE_END);
  return lines.join("\n");
}

function writeReport(file: string, block: string): void {
  const text = readFileSync(file, "utf8");
  const begin = text.indexOf(CONFIGURE_BEGIN);
  const end = text.indexOf(CONFIGURE_END);
  if (begin < 0 || end < begin) throw new Error(`${file} has no ${CONFIGURE_BEGIN} … ${CONFIGURE_END} block to replace`);
  writeFileSync(file, text.slice(0, begin) + block + text.slice(end + CONFIGURE_END.length));
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const head = options.isBuildHead ? buildHead(ROOT, "rushd-configure-check-build") : undefined;
  const source = head?.rushd ?? options.rushd;
  if (!existsSync(source)) throw new Error(`${source} is missing: run \`npm run build\` first`);
  const work = realpathSync(mkdtempSync("/tmp/rushd-configure-"));
  chmodSync(work, 0o700);
  for (const dir of ["bin", "home", "sock", "out"]) mkdirSync(join(work, dir), { mode: 0o700 });
  // A private copy: others may rebuild dist/rushd while this runs.
  const rushd = join(work, "bin", "rushd");
  copyFileSync(source, rushd);
  chmodSync(rushd, 0o755);
  const socket = join(work, "sock", "d.sock");
  const env = { PATH: "/usr/local/bin:/usr/bin:/bin", HOME: join(work, "home"), LC_ALL: "C", RUSHD_SOCKET: socket, RUSHD_AUTOSTART: "0" };
  const daemons = new Daemons(rushd, socket, env);
  const outcomes: RunOutcome[] = [];
  try {
    for (const variant of VARIANTS) {
      process.stderr.write(`configure-check: ${variant.name}…\n`);
      outcomes.push(await runVariant(variant, work, options, rushd, daemons, env));
    }
  } finally {
    await daemons.stop();
  }
  const [dash] = outcomes;
  if (dash === undefined) throw new Error("no dash run");
  const isIdentical = outcomes.every((outcome) => {
    const difference = compareTrees(dash.tree, outcome.tree);
    return outcome.status === 0 && REQUIRED.every((name) => existsSync(join(outcome.tree, name)) && !difference.onlyInFirst.includes(name) && !difference.differing.some((file) => file.path === name))
      && (outcome === dash || configStatusVerdict(dash, outcome).ok);
  });
  const commit = head === undefined ? `${options.rushd === join(ROOT, "dist", "rushd") ? "dist/rushd" : options.rushd} (tree at ${output(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"])})` : `built from commit ${head.commit} alone (\`--build-head\`: \`git archive HEAD\`)`;
  const changelog = readFileSync(join(options.source, "debian", "changelog"), "utf8").split("\n")[0] ?? "";
  const versions = {
    date: new Date().toISOString().slice(0, 10),
    rushd: commit,
    dash: `${output(["dpkg-query", "-W", "-f", "${Version}", "dash"])} (Debian)`,
    "source package": existsSync(join(options.source, "debian", "changelog")) ? `\`${changelog.replace(/;.*/, "")}\`` : basename(options.source),
    configure: output(["sed", "-n", "s/^# Generated by \\(GNU Autoconf [^ ]*\\) for \\(.*\\)\\.$/\\1, for \\2/p", join(options.source, "configure")]) || "unknown autoconf",
    compiler: output(["sh", "-c", "cc --version | head -n 1"]),
    machine: `${output(["uname", "-srm"])}, ${navigator.hardwareConcurrency} CPUs`,
  };
  const commands = [
    `S=$WORK/bin/sh   # a symlink: to ${DASH} for the dash run, to rushd for the others`,
    ...VARIANTS.map((variant) => `CONFIG_SHELL=$S $S ${variant.args.map((arg) => (/^[\w./-]+$/.test(arg) ? arg : `'${arg}'`)).join(" ")}   # ${variant.name}${variant.daemon === undefined ? "" : `; a ${variant.daemon} daemon on $RUSHD_SOCKET`}`),
  ].join("\n");
  const block = render(outcomes, versions, commands, isIdentical);
  process.stdout.write(`${block}\n`);
  if (options.report !== undefined) writeReport(options.report, block);
  if (options.isKept) process.stderr.write(`configure-check: the trees are in ${join(work, "out")}\n`);
  else rmSync(work, { recursive: true, force: true });
  return isIdentical ? 0 : 1;
}

process.exitCode = await main();
