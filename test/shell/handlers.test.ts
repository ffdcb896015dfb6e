// The executor's outside effects go through injected handlers: fake programs,
// fake directories, fake files.

import { expect, test } from "bun:test";
import { defaultHandlers, type Handlers, Shell } from "../../src/shell/index.ts";
import { CaptureSink, fakeHost } from "./helpers.ts";

async function runWith(handlers: Handlers, script: string) {
  const stdout = new CaptureSink();
  const stderr = new CaptureSink();
  const shell = new Shell(
    {
      argv0: "sh", args: [], cwd: "/work", env: { PATH: "/bin", LANG: "C" }, host: fakeHost(),
      stdin: { kind: "null" }, stdout: { kind: "sink", sink: stdout }, stderr: { kind: "sink", sink: stderr },
    },
    { handlers },
  );
  const status = await shell.run(script);
  await shell.dispose();
  return { stdout: stdout.text(), stderr: stderr.text(), status };
}

const calls: { argv: readonly string[]; cwd: string; env: Readonly<Record<string, string>> }[] = [];
const fake: Handlers = {
  exec(argv, env, shell) {
    calls.push({ argv, cwd: shell.state.cwd, env });
    if (argv[0] === "fail") return 3;
    return Promise.resolve(shell.write(1, `ran ${argv.join(" ")}\n`)).then(() => 0);
  },
  open: defaultHandlers.open,
  readDir: (path) => (path === "/work" ? ["x.c", "y.c", "z.h"] : null),
};

test.each([
  ["prog a b", "ran prog a b\n", 0],
  ["fail; echo $?", "3\n", 0],
  ["echo *.c", "x.c y.c\n", 0],
  ["prog *.h | cat_is_fake_too", "ran cat_is_fake_too\n", 0],
  ["x=$(prog sub); echo \"[$x]\"", "[ran prog sub]\n", 0],
])("%s", async (script, stdout, status) => {
  const result = await runWith(fake, script);
  expect({ stdout: result.stdout, status: result.status }).toEqual({ stdout, status });
});

test("prefix assignments reach the external's environment only", async () => {
  calls.length = 0;
  await runWith(fake, "V=1 prog; prog");
  expect(calls.map((c) => c.env.V)).toEqual(["1", undefined]);
  expect(calls.map((c) => c.env.LANG)).toEqual(["C", "C"]);
  expect(calls[0]?.cwd).toBe("/work");
});
