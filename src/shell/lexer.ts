// Tokens of the shell language (XCU 2.3): operators, newlines, IO_NUMBERs and
// words. Word *contents* (quotes, `$…`, backquotes, here-doc bodies) are read
// by the word parser through the `WordReader` interface, because finding the
// end of a word needs the full grammar (`$(case x in a) …;; esac)`).
//
// Imports only the AST and the error type; never the executor.

import type { Pos, Redirect, Word } from "./ast.ts";
import { ShellSyntaxError } from "./errors.ts";

/** How deeply constructs may nest before we refuse: keeps recursion far from the JS stack limit. */
export const MAX_NESTING = 1000;

/** Shared by every scanner of one parse (backquote bodies and aliases get their own scanner). */
export class NestingGuard {
  private depth = 0;

  enter(at: Pos): void {
    this.depth++;
    if (this.depth > MAX_NESTING) {
      throw new ShellSyntaxError("nesting too deep", at.line, at.column);
    }
  }

  leave(): void {
    this.depth--;
  }

  /** After a syntax error the depth is stale; the incremental parser starts each line afresh. */
  reset(): void {
    this.depth = 0;
  }
}

/**
 * Character access over one source text. `end` can be lowered temporarily to
 * parse a slice in place (an unquoted here-doc body keeps exact positions).
 */
export class Scanner {
  pos = 0;
  end: number;
  private lineStarts: number[] | undefined;
  private lastLine = 0;

  constructor(
    readonly text: string,
    /** Maps offsets of a derived text (backquote body, alias value) back to the real source. */
    private readonly mapPos?: (offset: number) => Pos,
  ) {
    this.end = text.length;
  }

  /** XCU 2.2.1: backslash-newline is removed before tokens are recognised (not in single quotes). */
  skipContinuations(): void {
    const text = this.text;
    while (
      this.pos + 1 < this.end &&
      text.charCodeAt(this.pos) === 92 &&
      text.charCodeAt(this.pos + 1) === 10
    ) {
      this.pos += 2;
    }
  }

  /** The char code at `pos` after removing continuations, or -1 at the end. */
  peek(): number {
    this.skipContinuations();
    return this.pos < this.end ? this.text.charCodeAt(this.pos) : -1;
  }

  /** The next `count` char codes after removing continuations (fewer at the end). */
  lookahead(count: number): number[] {
    const codes: number[] = [];
    for (let n = 0, i = this.pos; n < count; n++, i++) {
      i = this.afterContinuations(i);
      if (i >= this.end) break;
      codes.push(this.text.charCodeAt(i));
    }
    return codes;
  }

  /** The offset just past the next `count` characters, continuations removed. */
  offsetAfter(count: number): number {
    let i = this.pos;
    for (let n = 0; n < count; n++) i = this.afterContinuations(i) + 1;
    return Math.min(i, this.end);
  }

  private afterContinuations(offset: number): number {
    let i = offset;
    while (i + 1 < this.end && this.text.charCodeAt(i) === 92 && this.text.charCodeAt(i + 1) === 10) i += 2;
    return i;
  }

  /** The char code `k` places ahead of `pos`, no continuation removal, or -1. */
  peekRaw(k = 0): number {
    const i = this.pos + k;
    return i < this.end ? this.text.charCodeAt(i) : -1;
  }

  posAt(offset: number): Pos {
    if (this.mapPos !== undefined) return this.mapPos(offset);
    const starts = this.lines();
    // Offsets mostly arrive in order: try the line of the previous lookup first.
    const guess = this.lastLine;
    const guessStart = starts[guess] ?? 0;
    if (guessStart <= offset && (guess + 1 >= starts.length || (starts[guess + 1] ?? 0) > offset)) {
      return { offset, line: guess + 1, column: offset - guessStart + 1 };
    }
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    this.lastLine = lo;
    return { offset, line: lo + 1, column: offset - (starts[lo] ?? 0) + 1 };
  }

  error(message: string, offset: number, incomplete = false, reportOffset = offset): ShellSyntaxError {
    const p = this.posAt(offset);
    return new ShellSyntaxError(message, p.line, p.column, incomplete, reportOffset === offset ? p.line : this.posAt(reportOffset).line);
  }

  private lines(): number[] {
    if (this.lineStarts === undefined) {
      const starts = [0];
      const text = this.text;
      for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) {
        starts.push(i + 1);
      }
      this.lineStarts = starts;
    }
    return this.lineStarts;
  }
}

export type Operator =
  | "|" | "||" | "&" | "&&" | ";" | ";;" | ";&" | ";;&" | "(" | ")"
  | "<" | ">" | ">>" | ">|" | "<>" | "<&" | ">&" | "<<" | "<<-" | "<<<";

/**
 * How the next token is read. `test`: inside `[[ ]]`, where `<` and `>` are
 * comparison operators. `regex`: the right side of `=~`, where `( ) |` belong
 * to the word.
 */
export type LexMode = "normal" | "test" | "regex";

interface TokenBase {
  readonly start: Pos;
  readonly end: Pos;
  /** Source offset of the first character, to re-read the token in another mode. */
  readonly offset: number;
  /** Set on tokens produced by alias substitution: the aliases being expanded (no recursion). */
  readonly aliases?: readonly string[];
  /** Set on the last token of an alias whose value ends in a blank (XCU 2.3.1). */
  readonly aliasBlank?: boolean;
}

export interface WordToken extends TokenBase {
  readonly kind: "word";
  readonly word: Word;
  /** The text, if the word is one unquoted literal (reserved words, names, aliases). */
  readonly literal: string | undefined;
  /** The word as written, for here-doc delimiters. */
  readonly raw: string;
}

export interface OperatorToken extends TokenBase {
  readonly kind: "op";
  readonly op: Operator;
  /** IO_NUMBER: digits written right before a redirection operator. */
  readonly fd?: number;
  /** `<<` from an alias value: where its body goes once read, if the value holds it (a newline follows in it). */
  readonly aliasHeredoc?: { heredoc?: Redirect["heredoc"] };
}

export interface EndToken extends TokenBase {
  readonly kind: "newline" | "eof";
}

export type Token = WordToken | OperatorToken | EndToken;

/** The part of the word parser the lexer needs. */
export interface WordReader {
  /** Read one word starting at the scanner's position (a non-blank, non-operator character). */
  readWord(mode: LexMode): Word;
  /** Parse an unquoted here-doc body occupying `[start, end)` of the source. */
  readHeredocBody(start: number, end: number, stripTabs: boolean): Word;
}

/** A here-doc redirection whose body has not been read yet; the parser owns the node. */
export interface PendingHeredoc {
  readonly redirect: { heredoc?: Redirect["heredoc"] };
  readonly delimiter: string;
  readonly quoted: boolean;
  readonly stripTabs: boolean;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export class Lexer {
  private pending: PendingHeredoc[] = [];
  /**
   * An alias value's lexer sets this false: a body not found before the end
   * of the value is read from the input after it (as dash reads an alias
   * value as more input), not taken as empty.
   */
  readsBodiesAtEnd = true;

  constructor(
    readonly scanner: Scanner,
    readonly words: WordReader,
    readonly guard: NestingGuard,
  ) {}

  /** Queue a here-doc body to be read after the next newline token (XCU 2.7.4). */
  addHeredoc(heredoc: PendingHeredoc): void {
    this.pending.push(heredoc);
  }

  next(mode: LexMode = "normal"): Token {
    const s = this.scanner;
    let c = s.peek();
    while (c === 32 || c === 9 || c === 35) {
      if (c === 35) {
        // A comment runs to the newline; a trailing backslash does not continue it.
        const nl = s.text.indexOf("\n", s.pos);
        s.pos = nl < 0 || nl > s.end ? s.end : nl;
      } else {
        s.pos++;
      }
      c = s.peek();
    }
    const offset = s.pos;
    if (c === -1) {
      if (this.readsBodiesAtEnd) this.readHeredocBodies();
      return this.endToken("eof", offset);
    }
    if (c === 10) {
      s.pos++;
      const token = this.endToken("newline", offset);
      this.readHeredocBodies();
      return token;
    }
    if (mode === "regex") {
      if (!this.endsRegex(c)) return this.wordToken(mode, offset);
    }
    const op = this.readOperator(mode);
    if (op !== undefined) return this.opToken(op, offset, undefined);
    // IO_NUMBER: one digit, as in dash (`echo 12>f` writes "12" into f; fds
    // past 9 cannot be named).
    if (isDigit(c) && mode !== "test") {
      const after = s.lookahead(2)[1] ?? -1;
      if (after === 60 || after === 62) {
        const fd = c - 48;
        s.pos = s.offsetAfter(1);
        const redirect = this.readOperator(mode);
        if (redirect !== undefined) return this.opToken(redirect, offset, fd);
      }
    }
    return this.wordToken(mode, offset);
  }

  /** Rewind to re-read a token (only words and operators; newlines have side effects). */
  rewind(token: Token): void {
    this.scanner.pos = token.offset;
  }

  /** Bodies are read on the lines after the operator's line, in order. */
  private readHeredocBodies(): void {
    while (this.pending.length > 0) {
      // Bodies may contain `$(cat <<X …)`, which queues more here-docs while we read.
      const batch = this.pending;
      this.pending = [];
      for (const heredoc of batch) this.readHeredocBody(heredoc);
    }
  }

  private readHeredocBody(h: PendingHeredoc): void {
    const s = this.scanner;
    const text = s.text;
    const start = s.pos;
    const pieces: string[] = [];
    let bodyEnd = s.end;
    let continued = false;
    while (s.pos < s.end) {
      const lineStart = s.pos;
      const nl = text.indexOf("\n", lineStart);
      const lineEnd = nl < 0 || nl >= s.end ? s.end : nl;
      let contentStart = lineStart;
      if (h.stripTabs) while (contentStart < lineEnd && text.charCodeAt(contentStart) === 9) contentStart++;
      if (
        !continued &&
        lineEnd - contentStart === h.delimiter.length &&
        text.startsWith(h.delimiter, contentStart)
      ) {
        bodyEnd = lineStart;
        s.pos = lineEnd < s.end ? lineEnd + 1 : s.end;
        break;
      }
      if (h.stripTabs && h.quoted) pieces.push(text.slice(contentStart, lineEnd < s.end ? lineEnd + 1 : lineEnd));
      // Unquoted bodies join `\`-newline lines before looking for the delimiter.
      if (!h.quoted) {
        let backslashes = 0;
        while (lineEnd - backslashes - 1 >= lineStart && text.charCodeAt(lineEnd - backslashes - 1) === 92) backslashes++;
        continued = backslashes % 2 === 1;
      }
      s.pos = lineEnd < s.end ? lineEnd + 1 : s.end;
    }
    let body: Word;
    if (h.quoted) {
      const value = h.stripTabs ? pieces.join("") : text.slice(start, bodyEnd);
      body = { start: s.posAt(start), end: s.posAt(bodyEnd), parts: [{ kind: "single", value }] };
    } else {
      const resume = s.pos;
      body = this.words.readHeredocBody(start, bodyEnd, h.stripTabs);
      s.pos = resume;
    }
    h.redirect.heredoc = { quoted: h.quoted, body };
  }

  private endsRegex(c: number): boolean {
    const next = this.scanner.peekRaw(1);
    return c === 59 || c === 41 || (c === 38 && next === 38) || (c === 124 && next === 124);
  }

  private readOperator(mode: LexMode): Operator | undefined {
    const s = this.scanner;
    // XCU 2.2.1: a backslash-newline inside an operator is removed too (`&\<newline>&` is `&&`).
    const [c = -1, c1 = -1, c2 = -1] = s.lookahead(3);
    const take = (op: Operator): Operator => {
      s.pos = s.offsetAfter(op.length);
      return op;
    };
    switch (c) {
      case 124: // |
        return take(c1 === 124 ? "||" : "|");
      case 38: // &
        // No bash `&>file`: as in dash, `cmd &>f` is `cmd &` and then the redirection `>f`.
        return take(c1 === 38 ? "&&" : "&");
      case 59: // ;
        if (c1 === 59) return take(c2 === 38 ? ";;&" : ";;");
        return take(c1 === 38 ? ";&" : ";");
      case 40:
        return take("(");
      case 41:
        return take(")");
      case 60: // <
        if (mode === "test") return take("<");
        if (c1 === 60) return take(c2 === 60 ? "<<<" : c2 === 45 ? "<<-" : "<<");
        if (c1 === 38) return take("<&");
        if (c1 === 62) return take("<>");
        return take("<");
      case 62: // >
        if (mode === "test") return take(">");
        if (c1 === 62) return take(">>");
        if (c1 === 124) return take(">|");
        if (c1 === 38) return take(">&");
        return take(">");
      default:
        return undefined;
    }
  }

  private wordToken(mode: LexMode, offset: number): WordToken {
    const word = this.words.readWord(mode);
    const first = word.parts[0];
    const literal = word.parts.length === 1 && first?.kind === "literal" ? first.value : undefined;
    const raw = this.scanner.text.slice(offset, this.scanner.pos);
    return { kind: "word", word, literal, raw, start: word.start, end: word.end, offset };
  }

  private opToken(op: Operator, offset: number, fd: number | undefined): OperatorToken {
    const s = this.scanner;
    const token: OperatorToken = { kind: "op", op, start: s.posAt(offset), end: s.posAt(s.pos), offset };
    return fd === undefined ? token : { ...token, fd };
  }

  private endToken(kind: "newline" | "eof", offset: number): EndToken {
    const s = this.scanner;
    return { kind, start: s.posAt(offset), end: s.posAt(s.pos), offset };
  }
}
