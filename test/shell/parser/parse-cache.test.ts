import { expect, test } from "bun:test";
import { ParseCache } from "../../../src/shell/index.ts";
import { makeShell, runScript } from "../helpers.ts";

// Each script runs in a fresh shell twice over one cache (the second run is
// served from it when kept), and must give what a shell without a cache gives.
test.each([
  ["true", true],
  ["echo hi", true],
  ["x=1; echo $x && echo two", true],
  ["", true],
  ["# only a comment", true],
  ["cat <<EOF\nhere $HOME\nEOF", true],
  // More than one line: a later line is parsed after the earlier ones ran.
  ["echo one\necho two", false],
  ["alias e=echo\ne hi", false],
  // An alias takes effect from the next line on (XCU 2.3.1): the one line parses the same whatever ran.
  ["alias e='echo via alias'; e x", true],
  // A syntax error is reported anew each time, never kept.
  ["echo before; if", false],
  ["echo ok\nfi", false],
])("%p: the same result from the cache (kept: %p)", async (script, isKept) => {
  const uncached = await runScript(script);
  const cache = new ParseCache();
  const first = await runScript(script, { parseCache: cache });
  expect(cache.size).toBe(isKept ? 1 : 0);
  const second = await runScript(script, { parseCache: cache });
  expect(first).toEqual(uncached);
  expect(second).toEqual(uncached);
});

test("an alias defined by the session is honoured: a kept parse is not used while one is defined", async () => {
  const cache = new ParseCache();
  expect(await runScript("ls_alias_test", { parseCache: cache })).toMatchObject({ status: 127 });
  expect(cache.size).toBe(1);
  const { shell, stdout } = makeShell({ parseCache: cache });
  expect(await shell.run("alias ls_alias_test='echo aliased'")).toBe(0);
  expect(await shell.run("ls_alias_test")).toBe(0);
  await shell.dispose();
  expect(stdout.text()).toBe("aliased\n");
});

test("eval and trap texts share the cache and keep their semantics", async () => {
  const cache = new ParseCache();
  for (let i = 0; i < 2; i++) {
    expect(await runScript("trap 'echo bye $?' EXIT; eval 'echo in eval'; false", { parseCache: cache }))
      .toEqual({ status: 1, stdout: "in eval\nbye 1\n", stderr: "" });
  }
});

test("the least recently used entry goes first past 256 entries", async () => {
  const cache = new ParseCache();
  for (let i = 0; i < 300; i++) await runScript(`echo ${i}`, { parseCache: cache });
  expect(cache.size).toBe(256);
  expect(cache.get("echo 0")).toBeUndefined();
  expect(cache.get("echo 299")).not.toBeUndefined();
});
