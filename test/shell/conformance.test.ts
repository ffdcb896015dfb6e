// Differential conformance: each script's stdout, stderr presence and status
// under rushd must equal what dash gave (recorded in dash-cases.ts). Each
// runs twice over one parse cache shared by all cases, as a worker's sessions
// share one: the second run is served from it when the script was kept.

import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dashCases } from "./dash-cases.ts";
import { setUpFixture } from "./fixture.ts";
import { runScript } from "./helpers.ts";
import { ParseCache } from "../../src/shell/index.ts";

const dirHolder = { dir: "" };
const parseCache = new ParseCache();
beforeAll(() => {
  dirHolder.dir = mkdtempSync(join(tmpdir(), "rushd-conformance-"));
});
afterAll(() => rmSync(dirHolder.dir, { recursive: true, force: true }));

test.each(dashCases.map((c) => [c.script, c] as const))("%s", async (_script, want) => {
  const dir = dirHolder.dir;
  for (let run = 0; run < 2; run++) {
    setUpFixture(dir);
    const got = await runScript(want.script, { argv0: "dash", cwd: dir, env: { PATH: "/usr/local/bin:/usr/bin:/bin", HOME: "/root", FIXTURE: dir }, parseCache });
    expect({ stdout: got.stdout.replaceAll(dir, "$FIXTURE"), stderr: got.stderr !== "", status: got.status }).toEqual({
      stdout: want.stdout,
      stderr: want.stderr,
      status: want.status,
    });
  }
});
