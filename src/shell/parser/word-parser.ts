// Word contents (XCU 2.2, 2.6): quoting, `$'…'`, parameter forms, `$(…)`,
// backquotes, `$((…))`, tildes and here-doc bodies. Reads from the lexer's
// scanner; nested command substitutions are handed back to the grammar through
// `SubstitutionParser`, so this module never imports the command parser.

import type { ParamExp, ParamOp, Program, Word, WordPart } from "../ast.ts";
import type { LexMode, NestingGuard, Scanner, WordReader } from "../lexer.ts";

/** The grammar callbacks a word needs for `$(…)` and backquotes. */
export interface SubstitutionParser {
  /** Parse a `$(…)` body starting at the scanner's position; consumes the closing `)`. */
  commandSubst(): Program;
  /** Parse an (already unescaped) backquote body whose text began at source offset `base`. */
  backquote(text: string, base: number): Program;
}

/** How a run of word text is read; see the contexts below. */
interface Context {
  /** 1 for char codes the reading loop must inspect; everything else is plain text. */
  readonly special: Uint8Array;
  /** Double-quote rules: `'` is literal and `\` quotes only `escapable`. */
  readonly quoted: boolean;
  /** Here-doc body: `"` is literal too. */
  readonly heredoc: boolean;
  readonly escapable: string;
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

const WORD: Context = {
  special: table(`${METACHARS}\\'"$\``),
  quoted: false,
  heredoc: false,
  escapable: "",
  stop: (c) => isMeta[c] === 1,
};

const DOUBLE: Context = {
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

const ARG = braceArg(false, "}");
const ARG_DQ = braceArg(true, "}");
const PATTERN = braceArg(false, "/}");
const PATTERN_DQ = braceArg(true, "/}");
const OFFSET = braceArg(false, ":}");
const OFFSET_DQ = braceArg(true, ":}");

const HEREDOC: Context = {
  special: table("\\$`"),
  quoted: true,
  heredoc: true,
  escapable: "$`\\",
  stop: () => false,
};

/** `<<-` bodies: newlines are inspected so the tabs after them can be dropped. */
const HEREDOC_TABS: Context = { ...HEREDOC, special: table("\\$`\n") };

/** Thrown when `$((` turns out to be `$( (…) … )`; caught where the attempt began. */
class NotArithmetic extends Error {}

function arithContext(): Context {
  let depth = 0;
  return {
    special: table('()"\\$`'),
    quoted: true,
    heredoc: false,
    escapable: '$`"\\',
    stop(c, s) {
      if (c === 40) depth++;
      if (c !== 41) return false;
      if (depth > 0) {
        depth--;
        return false;
      }
      // At the end of input this is an unterminated `$((`, not a subshell.
      if (s.peekRaw(1) === 41 || s.peekRaw(1) === -1) return true;
      throw new NotArithmetic();
    },
  };
}

/** bash `=~`: parentheses group, and blanks or `|` inside them belong to the regex. */
function regexContext(): Context {
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
class PartList {
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
    if (this.text.length === 0) return;
    this.parts.push({ kind: this.kind, value: this.text.join("") });
    this.text = [];
  }
}

const SPECIAL_PARAMS = "@*#?-$!";

function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * XCU 2.6.1: an unquoted `~` starting the word (or, in an assignment value,
 * following `=` or `:`) up to the first `/` (or `:`) is a tilde prefix — but
 * only if no character of the prefix is quoted or expanded.
 */
export function applyTilde(parts: readonly WordPart[], assignment: boolean): WordPart[] {
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

const ANSI_ESCAPES: Record<string, string> = {
  a: "\x07", b: "\b", e: "\x1b", E: "\x1b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v",
  "\\": "\\", "'": "'", '"': '"', "?": "?",
};

export class WordParser implements WordReader {
  constructor(
    private readonly s: Scanner,
    private readonly guard: NestingGuard,
    private readonly subst: SubstitutionParser,
  ) {}

  readWord(mode: LexMode): Word {
    const start = this.s.pos;
    const parts = this.readParts(mode === "regex" ? regexContext() : WORD);
    return this.word(start, applyTilde(parts, false));
  }

  readHeredocBody(start: number, end: number, stripTabs: boolean): Word {
    const s = this.s;
    const savedEnd = s.end;
    s.pos = start;
    s.end = end;
    try {
      if (stripTabs) this.skipTabs();
      const parts = this.readParts(stripTabs ? HEREDOC_TABS : HEREDOC);
      return this.word(start, parts);
    } finally {
      s.end = savedEnd;
    }
  }

  private word(start: number, parts: WordPart[]): Word {
    return { start: this.s.posAt(start), end: this.s.posAt(this.s.pos), parts };
  }

  private skipTabs(): void {
    while (this.s.peekRaw() === 9) this.s.pos++;
  }

  private readParts(ctx: Context, out = new PartList()): WordPart[] {
    const s = this.s;
    const text = s.text;
    const special = ctx.special;
    for (;;) {
      const c = s.peek();
      if (c === -1) break;
      if (c >= 128 || special[c] === 0) {
        const from = s.pos;
        let i = from + 1;
        while (i < s.end) {
          const d = text.charCodeAt(i);
          if (d < 128 && special[d] === 1) break;
          i++;
        }
        s.pos = i;
        out.add("literal", text.slice(from, i));
        continue;
      }
      if (ctx.stop(c, s)) break;
      switch (c) {
        case 92: // backslash
          this.readEscape(ctx, out);
          break;
        case 39: // '
          if (ctx.quoted) {
            s.pos++;
            out.add("literal", "'");
          } else {
            out.add("single", this.readSingle());
          }
          break;
        case 34: // "
          if (ctx.heredoc) {
            s.pos++;
            out.add("literal", '"');
          } else {
            out.push(this.readDouble());
          }
          break;
        case 36: // $
          this.readDollar(ctx, out);
          break;
        case 96: // `
          out.push(this.readBackquote(ctx.quoted));
          break;
        case 10: // only special in `<<-` bodies
          s.pos++;
          out.add("literal", "\n");
          this.skipTabs();
          break;
        default:
          s.pos++;
          out.add("literal", String.fromCharCode(c));
      }
    }
    return out.finish();
  }

  private readEscape(ctx: Context, out: PartList): void {
    const s = this.s;
    s.pos++;
    if (s.pos >= s.end) {
      out.add("literal", "\\");
      return;
    }
    const next = s.text[s.pos] ?? "";
    if (!ctx.quoted || ctx.escapable.includes(next)) {
      s.pos++;
      out.add("single", next);
    } else {
      // Inside double quotes `\a` stays two characters; the `a` is read normally.
      out.add("literal", "\\");
    }
  }

  private readSingle(): string {
    const s = this.s;
    const start = s.pos;
    const close = s.text.indexOf("'", start + 1);
    if (close < 0 || close >= s.end) throw s.error("Syntax error: Unterminated quoted string", start, true);
    s.pos = close + 1;
    return s.text.slice(start + 1, close);
  }

  private readDouble(): WordPart {
    const s = this.s;
    const start = s.pos;
    s.pos++;
    const parts = this.readParts(DOUBLE);
    if (s.peek() !== 34) throw s.error("Syntax error: Unterminated quoted string", start, true);
    s.pos++;
    return { kind: "double", parts };
  }

  /** bash `$'…'`: ANSI-C escapes, decoded now; the result is quoted text. */
  private readAnsiC(): string {
    const s = this.s;
    const text = s.text;
    const start = s.pos;
    let i = start + 1;
    let value = "";
    for (;;) {
      if (i >= s.end) throw s.error("Syntax error: Unterminated quoted string", start, true);
      const ch = text[i] ?? "";
      if (ch === "'") break;
      if (ch !== "\\" || i + 1 >= s.end) {
        value += ch;
        i++;
        continue;
      }
      const e = text[i + 1] ?? "";
      i += 2;
      const simple = ANSI_ESCAPES[e];
      if (simple !== undefined) {
        value += simple;
      } else if (e >= "0" && e <= "7") {
        let digits = e;
        while (digits.length < 3 && /[0-7]/.test(text[i] ?? "") && i < s.end) digits += text[i++];
        value += String.fromCharCode(parseInt(digits, 8) & 0xff);
      } else if (e === "x" || e === "u" || e === "U") {
        const max = e === "x" ? 2 : e === "u" ? 4 : 8;
        let digits = "";
        while (digits.length < max && /[0-9a-fA-F]/.test(text[i] ?? "") && i < s.end) digits += text[i++];
        if (digits === "") value += `\\${e}`;
        else value += e === "x" ? String.fromCharCode(parseInt(digits, 16)) : safeCodePoint(parseInt(digits, 16));
      } else if (e === "c" && i < s.end) {
        value += String.fromCharCode((text.charCodeAt(i) & 0x1f));
        i++;
      } else {
        value += `\\${e}`;
      }
    }
    s.pos = i + 1;
    return value;
  }

  private readDollar(ctx: Context, out: PartList): void {
    const s = this.s;
    const start = s.pos;
    s.pos++;
    const c = s.peek();
    if (c === 123) {
      out.push(this.readBraced(ctx, start));
    } else if (c === 40) {
      out.push(s.peekRaw(1) === 40 ? this.readArithOrSubst(start) : this.readCommandSubst(start));
    } else if (c === 39 && !ctx.quoted) {
      out.add("single", this.readAnsiC());
    } else if (c === 34 && !ctx.quoted) {
      // bash `$"…"` (locale translation) behaves as plain double quotes.
      out.push(this.readDouble());
    } else if (isNameStart(c)) {
      const from = s.pos;
      while (s.pos < s.end && isNameChar(s.text.charCodeAt(s.pos))) s.pos++;
      out.push(param(s.text.slice(from, s.pos)));
    } else if (isDigit(c) || (c !== -1 && SPECIAL_PARAMS.includes(String.fromCharCode(c)))) {
      s.pos++;
      out.push(param(String.fromCharCode(c)));
    } else {
      out.add("literal", "$");
    }
  }

  private readCommandSubst(dollar: number): WordPart {
    const s = this.s;
    this.guard.enter(s.posAt(dollar));
    s.pos++;
    const program = this.subst.commandSubst();
    this.guard.leave();
    return { kind: "cmdsubst", program, backquote: false };
  }

  /** `$((` is arithmetic unless its parentheses close like `$( (…) … )` (as bash decides). */
  private readArithOrSubst(dollar: number): WordPart {
    const s = this.s;
    const open = s.pos;
    s.pos += 2;
    let parts: WordPart[];
    try {
      parts = this.readParts(arithContext());
    } catch (e) {
      if (!(e instanceof NotArithmetic)) throw e;
      s.pos = open;
      return this.readCommandSubst(dollar);
    }
    if (s.peek() !== 41 || s.peekRaw(1) !== 41) throw s.error("Syntax error: Missing '))'", dollar, true);
    const expr = { start: s.posAt(open + 2), end: s.posAt(s.pos), parts };
    s.pos += 2;
    return { kind: "arith", expr };
  }

  private readBackquote(quoted: boolean): WordPart {
    const s = this.s;
    const text = s.text;
    const start = s.pos;
    this.guard.enter(s.posAt(start));
    let i = start + 1;
    let from = i;
    const chunks: string[] = [];
    for (;;) {
      if (i >= s.end) throw s.error("Syntax error: EOF in backquote substitution", start, true);
      const ch = text.charCodeAt(i);
      if (ch === 96) break;
      if (ch === 92 && i + 1 < s.end) {
        const next = text[i + 1] ?? "";
        // XCU 2.6.3: inside backquotes, backslash quotes only `$`, backquote, backslash (and `"` in "…").
        if (next === "$" || next === "`" || next === "\\" || (quoted && next === '"')) {
          chunks.push(text.slice(from, i));
          from = i + 1;
        }
        i += 2;
        continue;
      }
      i++;
    }
    chunks.push(text.slice(from, i));
    s.pos = i + 1;
    const program = this.subst.backquote(chunks.join(""), start + 1);
    this.guard.leave();
    return { kind: "cmdsubst", program, backquote: true };
  }

  private readParamName(): string | undefined {
    const s = this.s;
    const c = s.peek();
    const from = s.pos;
    if (isNameStart(c)) {
      while (s.pos < s.end && isNameChar(s.text.charCodeAt(s.pos))) s.pos++;
    } else if (isDigit(c)) {
      while (s.pos < s.end && isDigit(s.text.charCodeAt(s.pos))) s.pos++;
    } else if (c !== -1 && SPECIAL_PARAMS.includes(String.fromCharCode(c))) {
      s.pos++;
    } else {
      return undefined;
    }
    return s.text.slice(from, s.pos);
  }

  private readBraced(ctx: Context, dollar: number): WordPart {
    const s = this.s;
    this.guard.enter(s.posAt(dollar));
    s.pos++;
    let name: string | undefined;
    let length = false;
    if (s.peek() === 35) {
      // `${#name}` is a length only if a parameter and `}` follow; else `#` is the name (`${#:-x}`).
      const hash = s.pos;
      s.pos++;
      name = this.readParamName();
      if (name !== undefined && s.peek() === 125) {
        length = true;
      } else {
        s.pos = hash + 1;
        name = "#";
      }
    } else {
      name = this.readParamName();
    }
    if (name === undefined) throw this.badSubstitution(dollar);
    let c = s.peek();
    if (c === 125) {
      s.pos++;
      this.guard.leave();
      return { ...param(name), length };
    }
    if (length) throw this.badSubstitution(dollar);
    const quoted = ctx.quoted;
    const arg = quoted ? ARG_DQ : ARG;
    let op: ParamOp;
    let colon = false;
    let result: ParamExp;
    const take = (o: ParamOp): ParamOp => {
      s.pos += o.length;
      return o;
    };
    if (c === 58 /* : */) {
      s.pos++;
      c = s.peek();
      if (c === 45 || c === 61 || c === 63 || c === 43) {
        colon = true;
        op = take(String.fromCharCode(c) as ParamOp);
        result = { ...param(name), colon, op, arg: this.readArg(arg, true) };
      } else {
        const offset = this.readArg(quoted ? OFFSET_DQ : OFFSET, false);
        result = { ...param(name), op: ":", arg: offset };
        if (s.peek() === 58) {
          s.pos++;
          result = { ...result, sliceLength: this.readArg(arg, false) };
        }
      }
    } else if (c === 45 || c === 61 || c === 63 || c === 43) {
      op = take(String.fromCharCode(c) as ParamOp);
      result = { ...param(name), op, arg: this.readArg(arg, true) };
    } else if (c === 37 || c === 35) {
      const ch = String.fromCharCode(c);
      op = take((s.peekRaw(1) === c ? ch + ch : ch) as ParamOp);
      result = { ...param(name), op, arg: this.readArg(arg, true) };
    } else if (c === 47 /* / */) {
      const next = s.peekRaw(1);
      op = take(next === 47 ? "//" : next === 35 ? "/#" : next === 37 ? "/%" : "/");
      const pattern = this.readArg(quoted ? PATTERN_DQ : PATTERN, true);
      result = { ...param(name), op, arg: pattern };
      if (s.peek() === 47) {
        s.pos++;
        result = { ...result, replacement: this.readArg(arg, true) };
      }
    } else if (c === -1) {
      throw s.error("Syntax error: Missing '}'", dollar, true);
    } else {
      throw this.badSubstitution(dollar);
    }
    if (s.peek() !== 125) throw s.error("Syntax error: Missing '}'", dollar, true);
    s.pos++;
    this.guard.leave();
    return result;
  }

  private readArg(ctx: Context, tilde: boolean): Word {
    const start = this.s.pos;
    const parts = this.readParts(ctx);
    return this.word(start, tilde && !ctx.quoted ? applyTilde(parts, false) : parts);
  }

  private badSubstitution(dollar: number): Error {
    const s = this.s;
    const c = s.peek();
    if (c === -1) return s.error("Syntax error: Missing '}'", dollar, true);
    return s.error("Syntax error: Bad substitution", dollar);
  }
}

function param(name: string): ParamExp {
  return { kind: "param", name, length: false, colon: false };
}

function safeCodePoint(n: number): string {
  return n <= 0x10ffff ? String.fromCodePoint(n) : "\ufffd";
}
