import { afterEach, expect, test } from "bun:test";
import { chmodSync, chownSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkSocketDir, UntrustedPathError } from "../../src/common/path-trust.ts";

const uid = process.getuid?.() ?? 0;
const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function base(): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), "rushd-pathtrust-")));
  chmodSync(dir, 0o755);
  made.push(dir);
  return dir;
}

test("a private directory under /tmp (sticky, root's) is trusted", () => {
  const dir = join(base(), "ok");
  mkdirSync(dir, { mode: 0o700 });
  expect(() => checkSocketDir(dir, uid)).not.toThrow();
});

test.each<[string, (root: string) => string, RegExp]>([
  ["open to others", (root) => {
    mkdirSync(join(root, "d"), { mode: 0o755 });
    chmodSync(join(root, "d"), 0o755);
    return join(root, "d");
  }, /lets group or others in/],
  ["a symbolic link", (root) => {
    mkdirSync(join(root, "real"), { mode: 0o700 });
    symlinkSync(join(root, "real"), join(root, "link"));
    return join(root, "link");
  }, /symbolic link/],
  ["below a directory others may write", (root) => {
    chmodSync(root, 0o777);
    mkdirSync(join(root, "d"), { mode: 0o700 });
    return join(root, "d");
  }, /writable by group or others and not sticky/],
])("refused: %s", (_name, make, reason) => {
  const dir = make(base());
  expect(() => checkSocketDir(dir, uid)).toThrow(UntrustedPathError);
  expect(() => checkSocketDir(dir, uid)).toThrow(reason);
});

test.if(uid === 0)("refused: owned by another user", () => {
  const dir = join(base(), "theirs");
  mkdirSync(dir, { mode: 0o700 });
  chownSync(dir, 65534, 65534);
  expect(() => checkSocketDir(dir, uid)).toThrow(/owned by uid 65534/);
});
