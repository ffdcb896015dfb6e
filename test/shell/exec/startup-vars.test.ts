// The variables the shell sets when it starts, as dash sets them: a logical
// $PWD from the environment is kept when it names the cwd, PWD is exported,
// and without PATH in the environment the default search path is used.

import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runScript } from "../helpers.ts";

const root = realpathSync(mkdtempSync(join(tmpdir(), "rushd-startup-")));
const real = join(root, "real");
const other = join(root, "other");
mkdirSync(real);
mkdirSync(other);
symlinkSync(real, join(root, "link"));

afterAll(() => rmSync(root, { recursive: true, force: true }));

const PRINT = 'echo "$PWD"; pwd; export -p | grep " PWD="';

describe("PWD at start-up", () => {
  test("a $PWD through a symlink to the cwd is kept, and pwd shows it", async () => {
    const logical = join(root, "link");
    const result = await runScript(PRINT, { cwd: real, env: { PATH: "/bin", PWD: logical } });
    expect(result.stdout).toBe(`${logical}\n${logical}\nexport PWD='${logical}'\n`);
  });

  test("a $PWD with . and .. components that names the cwd is kept as written", async () => {
    const written = `${root}/other/../real/.`;
    const result = await runScript('echo "$PWD"', { cwd: real, env: { PATH: "/bin", PWD: written } });
    expect(result.stdout).toBe(`${written}\n`);
  });

  test("a $PWD naming another directory is replaced by the cwd", async () => {
    const result = await runScript(PRINT, { cwd: real, env: { PATH: "/bin", PWD: other } });
    expect(result.stdout).toBe(`${real}\n${real}\nexport PWD='${real}'\n`);
  });

  test("a relative or missing $PWD is replaced by the cwd", async () => {
    for (const pwd of ["real", join(root, "missing")]) {
      const result = await runScript('echo "$PWD"', { cwd: real, env: { PATH: "/bin", PWD: pwd } });
      expect(result.stdout).toBe(`${real}\n`);
    }
  });

  test("cd .. from a kept logical $PWD is logical", async () => {
    const result = await runScript('cd ..; echo "$PWD $OLDPWD"', { cwd: real, env: { PATH: "/bin", PWD: join(root, "link") } });
    expect(result.stdout).toBe(`${root} ${join(root, "link")}\n`);
  });

  test("PWD is exported without one in the environment", async () => {
    const result = await runScript("env | grep '^PWD='", { cwd: real, env: { PATH: "/usr/bin:/bin" } });
    expect(result.stdout).toBe(`PWD=${real}\n`);
  });
});

describe("PATH at start-up", () => {
  test("without PATH in the environment, dash's default search path is set, not exported", async () => {
    const result = await runScript('echo "$PATH"; export -p | grep -c PATH; command -v sh', { cwd: real, env: {} });
    expect(result.stdout).toBe("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n0\n/usr/bin/sh\n");
  });

  test("a PATH from the environment is kept", async () => {
    const result = await runScript('echo "$PATH"', { cwd: real, env: { PATH: "/x:/y" } });
    expect(result.stdout).toBe("/x:/y\n");
  });
});
