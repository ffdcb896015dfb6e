// Path arithmetic on shell strings. node:path in Bun encodes its arguments
// as UTF-8 on the way in, so an escaped byte (bytes.ts: a lone surrogate)
// comes back as U+FFFD; a path that holds one is resolved here instead,
// with path.posix's rules (`.` and `..` resolved textually, `//` folded,
// no trailing slash).
//
// Imports bytes.ts only.

import * as path from "node:path";
import { hasRawBytes } from "../bytes.ts";

/** dash's default search path: PATH when none came from the environment, and `command -p`'s. */
export const DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/** path.resolve(...segments) that keeps every byte. */
export function resolvePath(...segments: readonly string[]): string {
  if (!segments.some(hasRawBytes)) return path.resolve(...segments);
  let joined = "";
  for (let i = segments.length - 1; i >= 0 && !joined.startsWith("/"); i--) {
    const segment = segments[i] ?? "";
    if (segment !== "") joined = joined === "" ? segment : `${segment}/${joined}`;
  }
  // Every caller passes an absolute cwd first; without one, the relative rest stays relative to `/`.
  const parts: string[] = [];
  for (const part of joined.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return `/${parts.join("/")}`;
}

/** path.join(dir, name) that keeps every byte. */
export function joinPath(dir: string, name: string): string {
  if (!hasRawBytes(dir) && !hasRawBytes(name)) return path.join(dir, name);
  return `${dir.replace(/\/+$/, "")}/${name}`;
}
