// Which executable the library starts a daemon with: the option, then
// $RUSHD_BIN, then the package's own dist/rushd, then `rushd` on $PATH.

import { afterAll, expect, test } from "bun:test";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { BinaryNotFoundError, findRushdBinary } from "../../../src/client/library/find-binary.ts";

const dir = mkdtempSync(join(tmpdir(), "rushd-find-"));
const onPath = join(dir, "rushd");
writeFileSync(onPath, "#!/bin/sh\n");
chmodSync(onPath, 0o755);
const notExecutable = join(dir, "plain");
writeFileSync(notExecutable, "");
const packaged = resolve(import.meta.dir, "../../../dist/rushd");

afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("the option wins over everything", () => {
  expect(findRushdBinary(onPath, { RUSHD_BIN: packaged, PATH: dir })).toBe(onPath);
});

test("then $RUSHD_BIN", () => {
  expect(findRushdBinary(undefined, { RUSHD_BIN: onPath, PATH: "" })).toBe(onPath);
});

test("then the package's own dist/rushd, before $PATH", () => {
  expect(findRushdBinary(undefined, { PATH: dir })).toBe(packaged);
});

test("a named file that is not executable is an error, not a silent fallback", () => {
  expect(() => findRushdBinary(notExecutable, {})).toThrow(BinaryNotFoundError);
  expect(() => findRushdBinary(undefined, { RUSHD_BIN: join(dir, "missing") })).toThrow(/RUSHD_BIN names .*missing/);
});
