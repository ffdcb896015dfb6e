// src/cli/exact-bytes.ts: where the runtime decoded the caller's bytes that
// are not UTF-8 to U+FFFD, the exact bytes come back from /proc/self. A
// child (children/exact-bytes.ts) is started by /bin/sh under `bun`, so its
// cmdline also holds the runtime and the script before the operands.

import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isLossy, isLossyEnvironment } from "../../src/cli/exact-bytes.ts";

const CHILD = join(import.meta.dir, "children", "exact-bytes.ts");
const DIR = realpathSync(mkdtempSync(join(tmpdir(), "rushd-exact-bytes-")));
afterAll(() => rmSync(DIR, { recursive: true, force: true }));

const hex = (text: string): string => Buffer.from(text, "latin1").toString("hex");

interface Recovered {
  readonly args: string[];
  readonly env: Record<string, string>;
  readonly cwd: string;
}

/** `script` runs under /bin/sh in DIR with $CHILD starting the child; resolves with its JSON line. */
async function recover(script: string): Promise<Recovered> {
  const child = Bun.spawn(["/bin/sh", "-c", script], {
    cwd: DIR,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", CHILD: `${process.execPath} ${CHILD}` },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, status] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  expect({ status, stderr }).toEqual({ status: 0, stderr: "" });
  return JSON.parse(stdout) as Recovered;
}

describe("exact bytes", () => {
  test("plain strings need no reading", () => {
    expect(isLossy(["a", "café", ""])).toBe(false);
    expect(isLossy(["a", "\uFFFD"])).toBe(true);
    expect(isLossyEnvironment({ A: "1", B: "é" })).toBe(false);
    expect(isLossyEnvironment({ A: "x\uFFFD" })).toBe(true);
    expect(isLossyEnvironment({ "N\uFFFD": "v" })).toBe(true);
  });

  test("operands, by position: two that differ only in their bad bytes stay apart; good ones are untouched", async () => {
    const recovered = await recover(`$CHILD "$(printf '\\377')" "$(printf '\\376')" "$(printf 'caf\\303\\251')" "" "$(printf '\\357\\273\\277\\377')"`);
    expect(recovered.args).toEqual([hex("\xff"), hex("\xfe"), hex("caf\xc3\xa9"), "", hex("\xef\xbb\xbf\xff")]);
  });

  test("environment: exact values; a value the runtime changed stays as it has it; a name that is not UTF-8 is left out", async () => {
    const recovered = await recover(`X1="$(printf 'a\\377')" X2="$(printf '\\376')" X3=plain CHANGED="$(printf '\\377')" env "$(printf 'Q\\377')Z=v" $CHILD`);
    expect(recovered.env).toEqual({
      [hex("CHANGED")]: hex("new \xef\xbf\xbd"),
      [hex("X1")]: hex("a\xff"),
      [hex("X2")]: hex("\xfe"),
      [hex("X3")]: hex("plain"),
    });
  });

  test("cwd", async () => {
    mkdirSync(join(DIR, "d\uFFFD"), { recursive: true }); // a control: a real U+FFFD in a name is kept as it is
    const recovered = await recover(`mkdir "$(printf 'd\\377')" && cd "$(printf 'd\\377')" && $CHILD`);
    expect(recovered.cwd).toBe(hex("d\xff"));
    expect((await recover(`cd "$(printf 'd\\357\\277\\275')" && $CHILD`)).cwd).toBe(hex("d\xef\xbf\xbd"));
  });
});
