// The package as a program gets it: `npm pack`, installed from the tarball
// into a fresh project, imported as "rushd" from plain Node.js (the
// machine's `node`, not Bun) and from Bun, and type-checked as a
// TypeScript consumer would (issue 9).

import { afterAll, beforeAll, expect, test } from "bun:test";
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { isAlive, TestDaemon } from "../../integration/harness.ts";
import { killTagged } from "./processes.ts";

const ROOT = resolve(import.meta.dir, "../../..");
const FIXTURES = join(import.meta.dir, "fixtures");

let daemon: TestDaemon;
let app: string;

function run(cmd: string[], cwd: string, timeoutMs = 120_000): { status: number; output: string } {
  const result = Bun.spawnSync(cmd, { cwd, stdout: "pipe", stderr: "pipe", timeout: timeoutMs, env: { ...process.env, npm_config_audit: "false", npm_config_fund: "false" } });
  return { status: result.exitCode ?? -1, output: `${result.stdout.toString()}${result.stderr.toString()}` };
}

beforeAll(async () => {
  daemon = await new TestDaemon("pool").start();
  app = join(daemon.dir, "app");
  mkdirSync(app);
  const packed = run(["npm", "pack", "--silent", "--pack-destination", daemon.dir], ROOT);
  if (packed.status !== 0) throw new Error(`npm pack failed: ${packed.output}`);
  const tarball = join(daemon.dir, packed.output.trim().split("\n").pop() as string);
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", version: "1.0.0", type: "module", private: true }));
  const installed = run(["npm", "install", "--no-audit", "--no-fund", "--offline", tarball], app);
  if (installed.status !== 0) throw new Error(`npm install of the tarball failed: ${installed.output}`);
  copyFileSync(join(FIXTURES, "package-check.mjs"), join(app, "check.mjs"));
  copyFileSync(join(FIXTURES, "typed-consumer.ts"), join(app, "consumer.ts"));
  copyFileSync(join(FIXTURES, "autostart.mjs"), join(app, "autostart.mjs"));
}, 180_000);

afterAll(async () => {
  await daemon?.stop();
}, 30_000);

for (const runtime of ["node", "bun"] as const) {
  test(`${runtime} imports the installed package and every check passes`, () => {
    const tag = `${4000 + Math.floor(Math.random() * 4000)}.${process.pid % 100}`;
    try {
      const executable = runtime === "node" ? "node" : process.execPath;
      const result = run([executable, "check.mjs", daemon.socket, tag], app, 60_000);
      expect(result.output).toContain("pass: a checkpoint resumes in a new session");
      expect(result.output.trim().split("\n").pop()).toBe("ok");
      expect(result.status).toBe(0);
    } finally {
      killTagged(`sleep ${tag}`);
    }
  }, 90_000);
}

test("the published declarations type-check a TypeScript consumer under Node's module resolution", () => {
  const tsc = join(ROOT, "node_modules/.bin/tsc");
  const result = run([tsc, "--noEmit", "--strict", "--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022", "--types", "node", "--typeRoots", join(ROOT, "node_modules/@types"), "consumer.ts"], app, 60_000);
  expect(result.output).toBe("");
  expect(result.status).toBe(0);
}, 90_000);

test("with no daemon answering, connect() starts one with the package's own dist/rushd", () => {
  const dir = join(daemon.dir, "autostart");
  mkdirSync(dir);
  chmodSync(dir, 0o700);
  const socket = join(dir, "s.sock");
  let pid: number | undefined;
  try {
    const result = run(["node", "autostart.mjs", socket], app, 60_000);
    expect(result.status).toBe(0);
    const report = JSON.parse(result.output.trim().split("\n").pop() as string) as { stdout: string; pid: number; exe: string };
    pid = report.pid;
    expect(report.stdout).toBe("started-by-the-library\n");
    expect(report.exe).toBe(join(app, "node_modules/rushd/dist/rushd"));
  } finally {
    pid ??= existsSync(`${socket}.pid`) ? Number(readFileSync(`${socket}.pid`, "utf8")) : undefined;
    // The daemon stops its workers; what is still alive after that is killed by pid.
    run([join(ROOT, "dist/rushd"), "stop", "--socket", socket], ROOT, 30_000);
    if (pid !== undefined && isAlive(pid)) process.kill(pid, "SIGKILL");
  }
}, 90_000);
