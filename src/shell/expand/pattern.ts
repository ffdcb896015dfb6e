// Shell pattern matching (XCU 2.13): `*`, `?`, bracket expressions with
// ranges, `!` negation and `[:class:]`, and backslash-quoted characters.
// As in dash, `^` does not negate (`[^0-9]` matches `^` or a digit); `[[ ]]`
// converts bash's `[^…]` first (`caretNegation`).
// Used by pathname expansion, `case`, `${x%p}` and friends, and `[[ == ]]`.
//
// A pattern string marks quoted characters with a backslash; `quotePattern`
// produces that form from literal text. In bytes mode (text-mode.ts) the
// matchers run on byte views, so `?` is one byte. Imports only text-mode.ts.

import { inUnits, type TextMode, testInUnits } from "../text-mode.ts";

const CHARACTER_CLASSES: ReadonlyMap<string, string> = new Map([
  ["alpha", "\\p{L}"],
  ["digit", "0-9"],
  ["alnum", "\\p{L}0-9"],
  ["upper", "\\p{Lu}"],
  ["lower", "\\p{Ll}"],
  ["space", " \\t\\n\\r\\f\\v"],
  ["blank", " \\t"],
  ["punct", "!-\\/:-@\\[-`{-~"],
  // Not U+D800…U+DFFF: a lone surrogate is a byte that is not UTF-8 (bytes.ts), not a character.
  ["print", " -~\\u00a0-\\ud7ff\\ue000-\\u{10ffff}"],
  ["graph", "!-~\\u00a1-\\ud7ff\\ue000-\\u{10ffff}"],
  ["cntrl", "\\x00-\\x1f\\x7f"],
  ["xdigit", "0-9A-Fa-f"],
  ["word", "\\p{L}0-9_"],
]);

// `!` and `-` too: quoted, they are plain members of a bracket expression, as in
// dash (`[a'-'c]` is a, - or c; `['!']` is a `!`, not a negation).
const GLOB_SPECIAL = /[\\*?[\]!-]/g;

/** Quote text so that it matches itself literally inside a pattern. */
export function quotePattern(text: string): string {
  return text.replace(GLOB_SPECIAL, "\\$&");
}

/** Does this pattern contain an unquoted `*`, `?`, or a `[` that starts a closed bracket expression? */
export function hasGlobChars(pattern: string): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === "\\") i++;
    else if (ch === "*" || ch === "?") return true;
    else if (ch === "[" && pattern.indexOf("]", i + 2) !== -1) return true;
  }
  return false;
}

/** bash's `[^…]` as `[!…]`, for `[[ == ]]` (bash syntax keeps bash's patterns). */
export function caretNegation(pattern: string): string {
  if (pattern.indexOf("[^") === -1) return pattern;
  let out = "";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] ?? "";
    if (ch === "\\") {
      out += pattern.slice(i, i + 2);
      i++;
    } else if (ch === "[" && pattern[i + 1] === "^") {
      out += "[!";
      i++;
    } else {
      out += ch;
    }
  }
  return out;
}

/** Remove the quoting backslashes of a pattern: the text it matches when it has no magic. */
export function unquotePattern(pattern: string): string {
  return pattern.indexOf("\\") === -1 ? pattern : pattern.replace(/\\([\s\S])/g, "$1");
}

function escapeRegexChar(ch: string): string {
  return /[\^$\\.*+?()[\]{}|/]/.test(ch) ? `\\${ch}` : ch;
}

function escapeClassChar(ch: string): string {
  return /[\^\\\]\[\-]/.test(ch) ? `\\${ch}` : ch;
}

/** Translate a bracket expression starting at `start` (the `[`); null if it is not closed. */
function translateBracket(pattern: string, start: number): { source: string; end: number } | null {
  let i = start + 1;
  let negate = false;
  if (pattern[i] === "!") {
    negate = true;
    i++;
  }
  let body = "";
  let first = true;
  while (i < pattern.length) {
    let ch = pattern[i] ?? "";
    if (ch === "]" && !first) {
      return { source: body === "" ? (negate ? "[\\s\\S]" : "[^\\s\\S]") : `[${negate ? "^" : ""}${body}]`, end: i + 1 };
    }
    first = false;
    if (ch === "[" && pattern[i + 1] === ":") {
      const close = pattern.indexOf(":]", i + 2);
      const name = close === -1 ? undefined : pattern.slice(i + 2, close);
      const cls = name === undefined ? undefined : CHARACTER_CLASSES.get(name);
      if (cls !== undefined && close !== -1) {
        body += cls;
        i = close + 2;
        continue;
      }
    }
    if (ch === "\\" && i + 1 < pattern.length) {
      i++;
      ch = pattern[i] ?? "";
    }
    // A range `a-z` (the `-` is literal at the start or the end).
    if (pattern[i + 1] === "-" && pattern[i + 2] !== undefined && pattern[i + 2] !== "]") {
      let hi = pattern[i + 2] ?? "";
      let next = i + 3;
      if (hi === "\\" && pattern[i + 3] !== undefined) {
        hi = pattern[i + 3] ?? "";
        next = i + 4;
      }
      if (ch <= hi) body += `${escapeClassChar(ch)}-${escapeClassChar(hi)}`;
      i = next;
      continue;
    }
    body += escapeClassChar(ch);
    i++;
  }
  return null;
}

/** Translate a pattern to the source of an equivalent regular expression (unanchored). */
export function patternToRegexSource(pattern: string): string {
  let out = "";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] ?? "";
    if (ch === "\\") {
      i++;
      out += i < pattern.length ? escapeRegexChar(pattern[i] ?? "") : "\\\\";
    } else if (ch === "*") {
      out += "[\\s\\S]*";
    } else if (ch === "?") {
      out += "[\\s\\S]";
    } else if (ch === "[") {
      const bracket = translateBracket(pattern, i);
      if (bracket === null) out += "\\[";
      else {
        out += bracket.source;
        i = bracket.end - 1;
      }
    } else {
      out += escapeRegexChar(ch);
    }
  }
  return out;
}

// Pure memo of compiled patterns, keyed by pattern text; bounded.
const compiledCache = new Map<string, RegExp>();
const COMPILED_CACHE_LIMIT = 2048;

/** A RegExp matching exactly the strings the pattern matches. */
export function compilePattern(pattern: string): RegExp {
  const cached = compiledCache.get(pattern);
  if (cached !== undefined) return cached;
  const regex = new RegExp(`^(?:${patternToRegexSource(pattern)})$`, "u");
  if (compiledCache.size >= COMPILED_CACHE_LIMIT) compiledCache.clear();
  compiledCache.set(pattern, regex);
  return regex;
}

/** Does the whole of `text` match `pattern`? */
export function matchPattern(pattern: string, text: string, mode: TextMode = "chars"): boolean {
  if (!hasGlobChars(pattern)) return unquotePattern(pattern) === text;
  return testInUnits(mode, [pattern, text], (p, t) => compilePattern(p).test(t));
}

export type TrimMode = "%" | "%%" | "#" | "##";

/** `${x%p}` `${x%%p}` `${x#p}` `${x##p}`: remove the shortest/longest matching suffix/prefix. */
export function trimPattern(value: string, pattern: string, mode: TrimMode, textMode: TextMode = "chars"): string {
  return inUnits(textMode, [value, pattern], (v, p) => trimUnits(v, p, mode));
}

function trimUnits(value: string, pattern: string, mode: TrimMode): string {
  const regex = compilePattern(pattern);
  const n = value.length;
  if (mode === "#") {
    for (let i = 0; i <= n; i++) if (regex.test(value.slice(0, i))) return value.slice(i);
  } else if (mode === "##") {
    for (let i = n; i >= 0; i--) if (regex.test(value.slice(0, i))) return value.slice(i);
  } else if (mode === "%") {
    for (let i = n; i >= 0; i--) if (regex.test(value.slice(i))) return value.slice(0, i);
  } else {
    for (let i = 0; i <= n; i++) if (regex.test(value.slice(i))) return value.slice(0, i);
  }
  return value;
}

/** bash `${x/p/r}` family: replace the first (`/`), every (`//`), a leading (`/#`) or trailing (`/%`) match. */
export function replacePattern(value: string, pattern: string, replacement: string, mode: ReplaceMode, textMode: TextMode = "chars"): string {
  return inUnits(textMode, [value, pattern, replacement], (v, p, r) => replaceUnits(v, p, r, mode));
}

type ReplaceMode = "/" | "//" | "/#" | "/%";

function replaceUnits(value: string, pattern: string, replacement: string, mode: ReplaceMode): string {
  const regex = compilePattern(pattern);
  const n = value.length;
  if (mode === "/#") {
    for (let j = n; j >= 0; j--) if (regex.test(value.slice(0, j))) return replacement + value.slice(j);
    return value;
  }
  if (mode === "/%") {
    for (let i = 0; i <= n; i++) if (regex.test(value.slice(i))) return value.slice(0, i) + replacement;
    return value;
  }
  let out = "";
  let i = 0;
  while (i <= n) {
    let matched = -1;
    for (let j = n; j > i; j--) {
      if (regex.test(value.slice(i, j))) {
        matched = j;
        break;
      }
    }
    if (matched === -1) {
      if (i < n) out += value[i];
      i++;
      continue;
    }
    out += replacement;
    i = matched;
    if (mode === "/") return out + value.slice(i);
  }
  return out;
}
