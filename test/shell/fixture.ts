// The directory the conformance scripts run in: a few files for globbing.

import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export function setUpFixture(dir: string): void {
  for (const entry of readdirSync(dir)) rmSync(join(dir, entry), { recursive: true, force: true });
  for (const file of ["a.txt", "b.txt", "c.md", ".hidden"]) writeFileSync(join(dir, file), `${file}\n`);
  mkdirSync(join(dir, "sub"));
  writeFileSync(join(dir, "sub", "x.txt"), "x\n");
}
