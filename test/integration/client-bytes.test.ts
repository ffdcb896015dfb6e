// Bytes that are not UTF-8 in what `rushd -c` is given itself — the script,
// its name and arguments, environment values, the cwd — reach the shell
// exactly, through a pooled worker, a forked one and in process, as under
// `dash -c`. The runtime hands the client U+FFFD for them; it takes the bytes
// again from /proc/self and sends them as ext 1 (docs/PROTOCOL.md).
//
// Each case is sh text run by /bin/sh (only a shell can put such bytes in
// argv and environ), `{sh}` standing for the shell under test; the
// expected output, as latin1 text (one char a byte), was recorded from dash,
// and the last test checks it against /usr/bin/dash when it is installed.
// With RUSHD_DEBUG=1 a client that fell back to running in process says so on
// stderr, so a daemon case that did not reach a worker fails.

import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RUSHD, useDaemon } from "./harness.ts";

const DASH = "/usr/bin/dash";

const CASES: readonly (readonly [name: string, script: string, expected: string])[] = [
  ["the script text", `{sh} -c "$(printf 'printf %%s \\377')"`, "\xff"],
  ["arguments, each with its own bytes", `{sh} -c 'printf "%s|" "$1" "$2"' x "$(printf '\\377')" "$(printf '\\376')"`, "\xff|\xfe|"],
  ["$0 given as the name operand", `{sh} -c 'printf %s "$0"' "$(printf 'n\\377')"`, "n\xff"],
  ["a byte-order mark before a bad byte", `{sh} -c 'printf %s "$1"' x "$(printf '\\357\\273\\277\\377')"`, "\xef\xbb\xbf\xff"],
  ["an environment value, in the shell and in its child", `X="$(printf 'a\\377')" {sh} -c 'printf "%s|" "$X"; sh -c '\\''printf %s "$X"'\\'`, "a\xff|a\xff"],
  ["two variables that differ only in their bad bytes", `X="$(printf '\\377')" Y="$(printf '\\376')" {sh} -c 'printf "%s|" "$X" "$Y"'`, "\xff|\xfe|"],
  ["an environment name that is not UTF-8 is no variable", `env "$(printf 'Q\\377')Z=v" {sh} -c 'env | grep -a Z=v || echo none'`, "none\n"],
  [
    "a cwd whose name is not UTF-8",
    `mkdir "$(printf 'd\\377')" && cd "$(printf 'd\\377')" && : >"$(printf 'f\\376')" && {sh} -c 'basename "$PWD"; basename "$(pwd)"; basename "$(/bin/pwd)"; echo *'`,
    "d\xff\nd\xff\nd\xff\nf\xfe\n",
  ],
  ["a plain ASCII command", `{sh} -c 'echo "$0:$1"' name hello`, "name:hello\n"],
  // The environment is the one the caller started rushd with, exactly (a pooled worker reads it from /proc).
  ["values holding = and empty values", `X='a=b' E= {sh} -c 'printf "%s|%s|\\n" "$X" "\${E-unset}"'`, "a=b||\n"],
  // A compiled Bun program reads both from its working directory unless built not to (scripts/build-executable.ts).
  [
    "a .env and a bunfig.toml in the working directory are not read",
    `printf 'FOO=from-dotenv\\n' >.env && printf '[run]\\nsmol = true\\n' >bunfig.toml && {sh} -c 'echo "\${FOO-unset}"'`,
    "unset\n",
  ],
];

const DIR = realpathSync(mkdtempSync(join(tmpdir(), "rushd-bytes-")));
afterAll(() => rmSync(DIR, { recursive: true, force: true }));

interface Outcome {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run `script` under /bin/sh in a new directory, with `shell` (words of sh) for `{sh}`. */
async function runCase(shell: string, script: string, env: Record<string, string>): Promise<Outcome> {
  const cwd = mkdtempSync(join(DIR, "case-"));
  const child = Bun.spawn(["/bin/sh", "-c", script.replaceAll("{sh}", shell)], {
    cwd,
    env: { ...env, R: RUSHD, RUSHD_DEBUG: "1" },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, status] = await Promise.all([new Response(child.stdout).bytes(), new Response(child.stderr).text(), child.exited]);
  return { status, stdout: Buffer.from(stdout).toString("latin1"), stderr };
}

describe.each(["pool", "fork"] as const)("%s mode", (mode) => {
  const current = useDaemon(mode);

  test.each(CASES)("%s", async (_name, script, expected) => {
    expect(await runCase(`"$R"`, script, current().env)).toEqual({ status: 0, stdout: expected, stderr: "" });
  });
});

describe("in process", () => {
  const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: DIR };

  test.each(CASES)("%s", async (_name, script, expected) => {
    expect(await runCase(`"$R" --no-daemon`, script, env)).toEqual({ status: 0, stdout: expected, stderr: "" });
  });
});

describe.skipIf(!existsSync(DASH))("dash", () => {
  test.each(CASES)("%s: dash gives the recorded output", async (_name, script, expected) => {
    expect(await runCase(DASH, script, { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: DIR })).toEqual({ status: 0, stdout: expected, stderr: "" });
  });
});
