// Finding a command (exec/command-path.ts) as dash's find_command does:
// PATH entries that are missing, files, directories or symlink loops are
// passed over; the search reports the last failure that was not ENOENT or
// ENOTDIR. Every row was checked against `dash -c "$script" sh`.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runScript } from "../helpers.ts";

type Case = readonly [script: string, stdout: string, stderr: string, status: number];

let dir = "";
beforeAll(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), "rushd-command-path-")));
  // a/tool is a directory, a/plain a file without x; b/tool runs; c holds a symlink loop and a link into it.
  mkdirSync(join(dir, "a", "tool"), { recursive: true });
  writeFileSync(join(dir, "a", "plain"), "echo x\n");
  mkdirSync(join(dir, "b"));
  writeFileSync(join(dir, "b", "tool"), "#!/bin/sh\necho b-tool\n");
  chmodSync(join(dir, "b", "tool"), 0o755);
  mkdirSync(join(dir, "c"));
  symlinkSync("loop2", join(dir, "c", "loop1"));
  symlinkSync("loop1", join(dir, "c", "loop2"));
  symlinkSync("loop1", join(dir, "c", "tool2"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LOOP = "Too many levels of symbolic links";

const cases: readonly Case[] = [
  ["PATH=/etc/passwd:/nonexistent:$PWD/b; tool; echo $?", "b-tool\n0\n", "", 0],
  ["PATH=$PWD/a:$PWD/b; tool; echo $?", "b-tool\n0\n", "", 0],
  ["PATH=$PWD/c/loop1:$PWD/b; tool; echo $?", "b-tool\n0\n", "", 0],
  ["PATH=$PWD/a; plain; echo $?", "127\n", "sh: 1: plain: Permission denied\n", 0],
  ["PATH=$PWD/c:$PWD/a; plain; echo $?", "127\n", "sh: 1: plain: Permission denied\n", 0],
  ["PATH=$PWD/c:$PWD/b; tool2; echo $?", "127\n", `sh: 1: tool2: ${LOOP}\n`, 0],
  ["PATH=$PWD/a:$PWD/c; tool2; echo $?", "127\n", `sh: 1: tool2: ${LOOP}\n`, 0],
  ["c/tool2; echo $?", "127\n", `sh: 1: c/tool2: ${LOOP}\n`, 0],
  ["PATH=$PWD/c; (exec tool2); echo $?", "127\n", `sh: 1: exec: tool2: ${LOOP}\n`, 0],
  ["PATH=$PWD/c; hash tool2; echo $?", "1\n", `sh: 1: hash: tool2: ${LOOP}\n`, 0],
  ["PATH=$PWD/c; command -v tool2; echo $?", "127\n", "", 0],
];

describe("PATH search", () => {
  test.each(cases.map((c) => [...c]))("%s", async (script, stdout, stderr, status) => {
    expect(await runScript(script, { cwd: dir })).toEqual({ stdout, stderr, status });
  });
});
