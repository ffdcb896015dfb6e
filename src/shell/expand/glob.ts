// Pathname expansion (XCU 2.6.6): match a pattern one `/`-separated component
// at a time against directory listings supplied by the caller. A leading `.`
// in a name only matches an explicit `.`; no match leaves the word as it was.
//
// In bytes mode (text-mode.ts) a component and the names it is matched
// against are compared as byte views. Imports only `pattern.ts` and text-mode.ts.

import { byteView, type TextMode } from "../text-mode.ts";
import { compilePattern, hasGlobChars, unquotePattern } from "./pattern.ts";

export type ReadDir = (dir: string) => readonly string[] | null;

function joinPath(dir: string, name: string): string {
  if (dir === "") return name;
  return dir.endsWith("/") ? dir + name : `${dir}/${name}`;
}

/** Expand a pattern to the sorted list of matching paths, or null when nothing matches. */
export function globPattern(pattern: string, readDir: ReadDir, mode: TextMode = "chars"): string[] | null {
  const units = mode === "bytes" ? byteView : (text: string) => text;
  const absolute = pattern.startsWith("/");
  const components = pattern.split("/");
  let prefixes: string[] = [absolute ? "/" : ""];
  const first = absolute ? 1 : 0;
  for (let c = first; c < components.length; c++) {
    const component = components[c] ?? "";
    const isLast = c === components.length - 1;
    if (component === "") {
      // A trailing `/`: only directories survive it.
      if (isLast) prefixes = prefixes.filter((p) => readDir(p) !== null).map((p) => (p.endsWith("/") ? p : `${p}/`));
      // `a//b`: the slashes stay as written, as in dash (`d//*` gives `d//f`).
      else prefixes = prefixes.map((p) => (p.endsWith("/") ? `${p}/` : `${p}//`));
      continue;
    }
    if (!hasGlobChars(component)) {
      const name = unquotePattern(component);
      prefixes = prefixes.map((p) => joinPath(p, name));
      continue;
    }
    const regex = compilePattern(units(component));
    const matchesHidden = component.startsWith(".") || component.startsWith("\\.");
    const next: string[] = [];
    for (const prefix of prefixes) {
      const entries = readDir(prefix);
      if (entries === null) continue;
      const candidates = matchesHidden ? [".", "..", ...entries] : entries;
      const matched: string[] = [];
      for (const entry of candidates) {
        if (!matchesHidden && entry.startsWith(".")) continue;
        if (regex.test(units(entry))) matched.push(entry);
      }
      matched.sort(compareNames);
      for (const name of matched) next.push(joinPath(prefix, name));
    }
    prefixes = next;
    if (prefixes.length === 0) return null;
  }
  if (!hasGlobChars(pattern)) return null;
  // Literal components after the last glob must exist.
  const lastGlob = lastGlobComponent(components);
  if (lastGlob < components.length - 1) {
    prefixes = prefixes.filter((p) => exists(p, readDir));
    if (prefixes.length === 0) return null;
  }
  return prefixes;
}

function lastGlobComponent(components: readonly string[]): number {
  for (let i = components.length - 1; i >= 0; i--) if (hasGlobChars(components[i] ?? "")) return i;
  return -1;
}

function exists(path: string, readDir: ReadDir): boolean {
  const trimmed = path.endsWith("/") && path.length > 1 ? path.slice(0, -1) : path;
  const slash = trimmed.lastIndexOf("/");
  const dir = slash === -1 ? "" : trimmed.slice(0, slash) || "/";
  const base = trimmed.slice(slash + 1);
  const entries = readDir(dir);
  return entries !== null && (base === "." || base === ".." || entries.includes(base));
}

/** Byte-wise order, as dash sorts in the C locale. */
function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
