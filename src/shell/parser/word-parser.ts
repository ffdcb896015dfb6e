// Word contents (XCU 2.2, 2.6): quoting, parameter forms, `$(…)`,
// backquotes, `$((…))`, tildes and here-doc bodies. Reads from the lexer's
// scanner; nested command substitutions are handed back to the grammar through
// `SubstitutionParser`, so this module never imports the command parser.

import type { ParamExp, ParamOp, Program, Word, WordPart } from "../ast.ts";
import type { LexMode, NestingGuard, Scanner, WordReader } from "../lexer.ts";
import {
  applyTilde, ARG, ARG_DQ, type Context, DOUBLE, HEREDOC, HEREDOC_TABS, isDigit, isNameChar,
  isNameStart, OFFSET, OFFSET_DQ, PartList, PATTERN, PATTERN_DQ, SPECIAL_PARAMS, TRIM_PATTERN_DQ, arithContext,
  regexContext, WORD,
} from "./word-context.ts";

export { applyTilde } from "./word-context.ts";

/** Operators that may follow `:` (test for null as well as unset). */
const DEFAULT_OPS: readonly ParamOp[] = ["-", "=", "?", "+"];
/** Every operator after a name, longest first so `%%` wins over `%`. */
const ALL_OPS: readonly ParamOp[] = ["//", "/#", "/%", "/", "%%", "%", "##", "#", ...DEFAULT_OPS];

/** The grammar callbacks a word needs for `$(…)` and backquotes. */
export interface SubstitutionParser {
  /** Parse a `$(…)` body starting at the scanner's position; consumes the closing `)`. */
  commandSubst(): Program;
  /** Parse an (already unescaped) backquote body whose text began at source offset `base`. */
  backquote(text: string, base: number): Program;
}

export class WordParser implements WordReader {
  private readonly substitutions = new Map<number, { part: WordPart; end: number }>();

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

  private word(start: number, parts: readonly WordPart[]): Word {
    return { start: this.s.posAt(start), end: this.s.posAt(this.s.pos), parts };
  }

  private skipTabs(): void {
    while (this.s.peekRaw() === 9) this.s.pos++;
  }

  private readParts(ctx: Context): WordPart[] {
    const out = new PartList();
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
          if (ctx.quoted && ctx.trimPattern !== true) {
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
        case 10: // reaches here in `<<-` bodies and inside `=~ ( … )`
          s.pos++;
          out.add("literal", "\n");
          if (ctx === HEREDOC_TABS) this.skipTabs();
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
    // dash reads to the end of the input looking for the quote, and names the line it got to.
    if (close < 0 || close >= s.end) throw s.error("Unterminated quoted string", start, true, s.end);
    s.pos = close + 1;
    return s.text.slice(start + 1, close);
  }

  private readDouble(): WordPart {
    const s = this.s;
    const start = s.pos;
    s.pos++;
    const parts = this.readParts(DOUBLE);
    if (s.peek() !== 34) throw s.error("Unterminated quoted string", start, true, s.end);
    s.pos++;
    return { kind: "double", parts };
  }

  private readDollar(ctx: Context, out: PartList): void {
    const s = this.s;
    const start = s.pos;
    s.pos++;
    const c = s.peek();
    if (c === 123) {
      out.push(this.readBraced(ctx, start));
    } else if (c === 40) {
      out.push(this.readParenthesised(start));
    } else if (isNameStart(c)) {
      const from = s.pos;
      while (s.pos < s.end && isNameChar(s.text.charCodeAt(s.pos))) s.pos++;
      out.push(param(s.text.slice(from, s.pos)));
    } else if (isDigit(c) || (c !== -1 && SPECIAL_PARAMS.includes(String.fromCharCode(c)))) {
      s.pos++;
      out.push(param(String.fromCharCode(c)));
    } else {
      // As in dash, a `$` before a quote is plain text: `$'a'` is `$` and the
      // quoted `a`, `$"a"` is `$` and "a" (bash's `$'…'` and `$"…"` are not read).
      out.add("literal", "$");
    }
  }

  /**
   * `$(…)` and `$((…))`, remembered by offset: when `$((` turns out to be a
   * command substitution its body is read again, and without the memo nested
   * attempts would make that exponential.
   */
  private readParenthesised(dollar: number): WordPart {
    const s = this.s;
    const known = this.substitutions.get(dollar);
    if (known !== undefined) {
      s.pos = known.end;
      return known.part;
    }
    const part = s.peekRaw(1) === 40 ? this.readArith(dollar) : this.readCommandSubst(dollar);
    this.substitutions.set(dollar, { part, end: s.pos });
    return part;
  }

  private readCommandSubst(dollar: number): WordPart {
    const s = this.s;
    this.guard.enter(s.posAt(dollar));
    s.pos++;
    const program = this.subst.commandSubst();
    this.guard.leave();
    return { kind: "cmdsubst", program, backquote: false };
  }

  /** `$((` is always arithmetic, as in dash (`$( (…) )` needs the blank). */
  private readArith(dollar: number): WordPart {
    const s = this.s;
    const open = s.pos;
    s.pos += 2;
    this.guard.enter(s.posAt(dollar));
    let parts: WordPart[];
    try {
      parts = this.readParts(arithContext());
    } finally {
      this.guard.leave();
    }
    if (s.peek() !== 41 || s.peekRaw(1) !== 41) throw s.error("Missing '))'", dollar, true, s.end);
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
      if (i >= s.end) throw s.error("EOF in backquote substitution", start, true);
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
    if (name === undefined) return this.readBad(ctx, dollar);
    let c = s.peek();
    if (c === 125) {
      s.pos++;
      this.guard.leave();
      return { ...param(name), length };
    }
    if (length) return this.readBad(ctx, dollar);
    const quoted = ctx.quoted;
    const arg = quoted ? ARG_DQ : ARG;
    let result: ParamExp;
    if (c === 58 && this.matchOp(DEFAULT_OPS, 1) === undefined) {
      // bash `${name:offset}` / `${name:offset:length}`; `${name:}` is dash's syntax error, which
      // inside double quotes dash reports at the end of the input, as an unterminated string.
      if (s.peekRaw(1) === 125) throw quoted ? s.error("Unterminated quoted string", dollar, true, s.end) : s.error("Missing '}'", dollar);
      s.pos++;
      result = { ...param(name), op: ":", arg: this.readArg(quoted ? OFFSET_DQ : OFFSET, false) };
      if (s.peek() === 58) {
        s.pos++;
        result = { ...result, sliceLength: this.readArg(arg, false) };
      }
    } else {
      const colon = c === 58;
      const op = this.matchOp(colon ? DEFAULT_OPS : ALL_OPS, colon ? 1 : 0);
      if (op === undefined) return this.readBad(ctx, dollar);
      s.pos += (colon ? 1 : 0) + op.length;
      const substitute = op.startsWith("/");
      const pattern = quoted ? PATTERN_DQ : PATTERN;
      const trims = op === "#" || op === "##" || op === "%" || op === "%%";
      const context = substitute ? pattern : trims && quoted ? TRIM_PATTERN_DQ : arg;
      result = { ...param(name), colon, op, arg: this.readArg(context, true) };
      if (substitute && s.peek() === 47) {
        s.pos++;
        result = { ...result, replacement: this.readArg(arg, true) };
      }
    }
    if (s.peek() !== 125) throw this.missingBrace(ctx, dollar);
    s.pos++;
    this.guard.leave();
    return result;
  }

  /** The operator at `pos + skip`, longest first. */
  private matchOp(ops: readonly ParamOp[], skip: number): ParamOp | undefined {
    const s = this.s;
    const at = s.pos + skip;
    return ops.find((op) => at + op.length <= s.end && s.text.startsWith(op, at));
  }

  private readArg(ctx: Context, tilde: boolean): Word {
    const start = this.s.pos;
    const parts = this.readParts(ctx);
    return this.word(start, tilde && (!ctx.quoted || ctx.trimPattern === true) ? applyTilde(parts, false) : parts);
  }

  /** A `${` never closed; at the end of the input inside "…" dash names the quote instead. */
  private missingBrace(ctx: Context, dollar: number): Error {
    const s = this.s;
    const atEnd = s.peek() === -1;
    if (atEnd && ctx.quoted && (!ctx.heredoc || ctx.arith === true)) return s.error("Unterminated quoted string", dollar, true);
    return s.error("Missing '}'", dollar, atEnd);
  }

  /**
   * The rest of a `${…}` dash cannot read, up to its `}`: dash goes on
   * reading it as the word after an operator (quotes, nested expansions, even
   * newlines), and fails only if it is expanded.
   */
  private readBad(ctx: Context, dollar: number): WordPart {
    const s = this.s;
    this.readParts(ctx.quoted ? ARG_DQ : ARG);
    if (s.peek() !== 125) throw this.missingBrace(ctx, dollar);
    const text = s.text.slice(dollar + 2, s.pos);
    s.pos++;
    this.guard.leave();
    return { kind: "badsubst", text };
  }
}


function param(name: string): ParamExp {
  return { kind: "param", name, length: false, colon: false };
}

