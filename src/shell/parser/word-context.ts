// How runs of word text are read: the lexical contexts (unquoted word, inside
// "…", inside ${…}, here-doc body, arithmetic, `=~` regex), the part
// collector and tilde prefixes. Pure helpers for word-parser.ts; imports
// only the AST types.

import type { WordPart } from "../ast.ts";
import type { Scanner } from "../lexer.ts";

/** How a run of word text is read; see the contexts below. */
export interface Context {
  /** 1 for char codes the reading loop must inspect; everything else is plain text. */
  readonly special: Uint8Array;
  /** Double-quote rules: `'` is literal and `\` quotes only `escapable`. */
  readonly quoted: boolean;
  /**
   * Here-doc body and arithmetic: `"` is literal too (dash keeps the quotes of
   * `$(("1"+2))` in the expression, which then fails).
   */
  readonly heredoc: boolean;
  readonly escapable: string;
  /**
   * The pattern of `"${v#p}"` (and `%`, `##`, `%%`): double-quote rules for
   * `\` (which quotes `'` too), but single quotes quote and a leading `~`
   * expands, as in dash.
   */
  readonly trimPattern?: boolean;
  /** Inside `$((…))`, which dash reads as it reads "…" (a `${` left open there is an unterminated quote). */
  readonly arith?: true;
  /** True ends this run; may keep state (parenthesis depth). */
  stop(c: number, scanner: Scanner): boolean;
}

function table(chars: string): Uint8Array {
  const t = new Uint8Array(128);
  for (const ch of chars) t[ch.charCodeAt(0)] = 1;
  return t;
}

const METACHARS = " \t\n;&|<>()";
const isMeta = table(METACHARS);

export const WORD: Context = {
  special: table(`${METACHARS}\\'"$\``),
  quoted: false,
  heredoc: false,
  escapable: "",
  stop: (c) => isMeta[c] === 1,
};

export const DOUBLE: Context = {
  special: table('"\\$`'),
  quoted: true,
  heredoc: false,
  escapable: '$`"\\',
  stop: (c) => c === 34,
};

function braceArg(quoted: boolean, stops: string): Context {
  const stopSet = table(stops);
  return {
    special: table(quoted ? `${stops}"\\$\`` : `${stops}'"\\$\``),
    quoted,
    heredoc: false,
    escapable: '$`"\\}',
    stop: (c) => stopSet[c] === 1,
  };
}

export const ARG = braceArg(false, "}");
export const TRIM_PATTERN_DQ: Context = { ...braceArg(true, "}"), special: table(`}'"\\$\``), escapable: '$`"\\}\'', trimPattern: true };
export const ARG_DQ = braceArg(true, "}");
export const PATTERN = braceArg(false, "/}");
export const PATTERN_DQ = braceArg(true, "/}");
export const OFFSET = braceArg(false, ":}");
export const OFFSET_DQ = braceArg(true, ":}");

export const HEREDOC: Context = {
  special: table("\\$`"),
  quoted: true,
  heredoc: true,
  escapable: "$`\\",
  stop: () => false,
};

/** `<<-` bodies: newlines are inspected so the tabs after them can be dropped. */
export const HEREDOC_TABS: Context = { ...HEREDOC, special: table("\\$`\n") };

export function arithContext(): Context {
  let depth = 0;
  return {
    special: table('()"\\$`'),
    quoted: true,
    heredoc: true,
    arith: true,
    escapable: '$`"\\',
    stop(c, s) {
      if (c === 40) depth++;
      if (c !== 41) return false;
      if (depth > 0) {
        depth--;
        return false;
      }
      // As in dash, `$((` is always arithmetic: a lone `)` is part of the expression
      // (`$((echo a); (echo b))` is an error, not a command substitution).
      return s.peekRaw(1) === 41 || s.peekRaw(1) === -1;
    },
  };
}

/** bash `=~`: parentheses group, and blanks or `|` inside them belong to the regex. */
export function regexContext(): Context {
  let depth = 0;
  return {
    special: WORD.special,
    quoted: false,
    heredoc: false,
    escapable: "",
    stop(c, s) {
      if (c === 40) depth++;
      else if (c === 41) {
        if (depth === 0) return true;
        depth--;
      } else if (depth === 0) {
        if (c === 124) return s.peekRaw(1) === 124;
        if (c === 60 || c === 62) return false;
        return isMeta[c] === 1;
      }
      return false;
    },
  };
}

/** Collects parts, merging neighbouring literal (or single-quoted) text. */
export class PartList {
  private readonly parts: WordPart[] = [];
  private text: string[] = [];
  private kind: "literal" | "single" = "literal";

  add(kind: "literal" | "single", value: string): void {
    if (this.kind !== kind) this.flush();
    this.kind = kind;
    this.text.push(value);
  }

  push(part: WordPart): void {
    this.flush();
    this.parts.push(part);
  }

  finish(): WordPart[] {
    this.flush();
    return this.parts;
  }

  private flush(): void {
    const text = this.text;
    if (text.length === 0) return;
    this.parts.push({ kind: this.kind, value: text.length === 1 ? (text[0] ?? "") : text.join("") });
    this.text = [];
  }
}

export const SPECIAL_PARAMS = "@*#?-$!";

export function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

export function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57);
}

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * XCU 2.6.1: an unquoted `~` starting the word (or, in an assignment value,
 * following `=` or `:`) up to the first `/` (or `:`) is a tilde prefix — but
 * only if no character of the prefix is quoted or expanded.
 */
export function applyTilde(parts: readonly WordPart[], assignment: boolean): readonly WordPart[] {
  const first = parts[0];
  if (!assignment && (first?.kind !== "literal" || !first.value.startsWith("~"))) return parts;
  const out: WordPart[] = [];
  parts.forEach((part, index) => {
    if (part.kind !== "literal" || (!assignment && index > 0)) {
      out.push(part);
      return;
    }
    const value = part.value;
    const isLast = index === parts.length - 1;
    let from = 0;
    let i = 0;
    while (i < value.length) {
      const atStart = i === 0 ? index === 0 : assignment && value[i - 1] === ":";
      if (value[i] !== "~" || !atStart) {
        if (!assignment) break;
        i++;
        continue;
      }
      let end = i + 1;
      while (end < value.length && value[end] !== "/" && !(assignment && value[end] === ":")) end++;
      if (end === value.length && !isLast) break;
      if (i > from) out.push({ kind: "literal", value: value.slice(from, i) });
      out.push({ kind: "tilde", user: value.slice(i + 1, end) });
      from = end;
      i = end;
    }
    if (from < value.length) out.push({ kind: "literal", value: value.slice(from) });
  });
  return out;
}
