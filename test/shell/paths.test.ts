// Path arithmetic on shell strings (exec/paths.ts): node:path's results for
// UTF-8 text, and the same rules with every byte kept for text holding bytes
// that are not UTF-8 (node:path in Bun turns them into U+FFFD).

import { expect, test } from "bun:test";
import * as path from "node:path";
import { byteChar } from "../../src/shell/bytes.ts";
import { joinPath, resolvePath } from "../../src/shell/exec/paths.ts";

const FF = byteChar(0xff);

test.each([
  [["/tmp", "a"]],
  [["/tmp/", "./a/../b//c/"]],
  [["/tmp", "/etc", "x"]],
  [["/", ".."]],
  [["/a/b", "../../../c"]],
  [["/a", ""]],
])("resolve %p as path.resolve does, with and without a raw byte", (segments) => {
  expect(resolvePath(...segments)).toBe(path.resolve(...segments));
  const raw = segments.map((segment) => segment.replaceAll("a", FF));
  expect(resolvePath(...raw)).toBe(path.resolve(...segments).replaceAll("a", FF));
});

test("a raw byte survives resolve and join", () => {
  expect(resolvePath("/tmp", `bad${FF}name`)).toBe(`/tmp/bad${FF}name`);
  expect(joinPath(`/d${FF}/`, `f${FF}`)).toBe(`/d${FF}/f${FF}`);
  expect(joinPath("/usr/bin", "ls")).toBe("/usr/bin/ls");
});
