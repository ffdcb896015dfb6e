// Builds the client library for `import { connect } from "rushd"` under
// Node.js (≥ 18) and Bun: one ES module (dist/lib/index.js, its
// dependencies bundled in, so installing the package needs nothing else)
// and its type declarations (dist/lib/types/). Run by `npm run build` and
// before `npm pack`.
//
//   bun scripts/build-library.ts            build
//   bun scripts/build-library.ts --if-missing   only if dist/lib is absent (npm's prepare: a git install)

import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dir, "..");
const out = join(root, "dist/lib");

if (process.argv.includes("--if-missing") && existsSync(join(out, "index.js"))) process.exit(0);

rmSync(out, { recursive: true, force: true });
const built = await Bun.build({
  entrypoints: [join(root, "src/client/library/index.ts")],
  outdir: out,
  target: "node",
  format: "esm",
  naming: "index.js",
});
if (!built.success) {
  for (const log of built.logs) console.error(log);
  process.exit(1);
}

const tsc = Bun.spawnSync([join(root, "node_modules/.bin/tsc"), "-p", join(root, "tsconfig.lib.json")], { stdout: "inherit", stderr: "inherit" });
if (tsc.exitCode !== 0) process.exit(tsc.exitCode ?? 1);

// The sources import "./x.ts" (run as they are by Bun); declarations for Node users name "./x.js".
function rewriteImports(dir: string): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) rewriteImports(path);
    else if (name.endsWith(".d.ts")) writeFileSync(path, readFileSync(path, "utf8").replace(/(from\s+["'][^"']+)\.ts(["'])/g, "$1.js$2").replace(/(import\(["'][^"']+)\.ts(["']\))/g, "$1.js$2"));
  }
}
rewriteImports(join(out, "types"));
