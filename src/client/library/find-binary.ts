// Which rushd executable starts a daemon when none answers: the `binary`
// option, then $RUSHD_BIN, then the package's own dist/rushd (built by
// `npm run build`, shipped in the package), then `rushd` on $PATH.

import { accessSync, constants, statSync } from "node:fs";
import { fileURLToPath } from "node:url";

export class BinaryNotFoundError extends Error {
  override readonly name = "BinaryNotFoundError";
}

export function findRushdBinary(explicit: string | undefined, env: Readonly<Record<string, string | undefined>>): string {
  if (explicit !== undefined) return requireExecutable(explicit, "the `binary` option");
  const fromEnv = env.RUSHD_BIN;
  if (fromEnv !== undefined && fromEnv !== "") return requireExecutable(fromEnv, "$RUSHD_BIN");
  const own = packagedBinary();
  if (own !== undefined && isExecutable(own)) return own;
  for (const dir of (env.PATH ?? "").split(":")) {
    const candidate = `${dir === "" ? "." : dir}/rushd`;
    if (isExecutable(candidate)) return candidate;
  }
  throw new BinaryNotFoundError(
    `no rushd executable to start a daemon with: none given (binary option, $RUSHD_BIN), none in this package${own !== undefined ? ` (${own})` : ""}, none on $PATH`,
  );
}

/**
 * dist/rushd of this package. The built library lives in dist/lib/, the
 * sources in src/client/library/: both are found from this module's URL.
 */
function packagedBinary(): string | undefined {
  const url = import.meta.url;
  if (!url.startsWith("file:")) return undefined;
  const here = fileURLToPath(url);
  const marker = here.lastIndexOf("/dist/lib/");
  if (marker >= 0) return `${here.slice(0, marker)}/dist/rushd`;
  const source = here.lastIndexOf("/src/client/library/");
  if (source >= 0) return `${here.slice(0, source)}/dist/rushd`;
  return undefined;
}

function requireExecutable(path: string, from: string): string {
  if (!isExecutable(path)) throw new BinaryNotFoundError(`${from} names ${path}, which is not an executable file`);
  return path;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
