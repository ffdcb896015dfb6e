// The command grammar of XCU 2.9 / 2.10: lists, and-or lists, pipelines,
// simple commands, redirections and alias substitution. Compound commands live
// in compound-parser.ts; word contents in word-parser.ts.

import type {
  Assign, Command, List, ListItem, Pos, Program, Redirect, RedirOp, SimpleCommand, Word, WordPart,
} from "../ast.ts";
import { ShellSyntaxError } from "../errors.ts";
import { Lexer, NestingGuard, Scanner, type LexMode, type Token, type WordToken } from "../lexer.ts";
import { parseCompound, parseFunctionBody } from "./compound-parser.ts";
import { applyTilde, WordParser } from "./word-parser.ts";

export interface ParseOptions {
  /** Live alias lookup, consulted as commands are parsed (aliases are expanded at parse time, POSIX 2.3.1). */
  aliases?: (name: string) => string | undefined;
}

/** Reserved words that close a compound list (recognised only where a command could start). */
const CLOSERS = new Set(["then", "else", "elif", "fi", "do", "done", "esac", "}"]);
/** Reserved words that open a compound command. */
const OPENERS = new Set(["if", "while", "until", "for", "case", "{", "[[", "function"]);

/** dash's reserved words (its tokname list): `[[` and `function` are bash's, words to dash. */
const DASH_RESERVED_WORDS: ReadonlySet<string> = new Set([
  "!", "{", "}", "case", "do", "done", "elif", "else", "esac", "fi", "for", "if", "in", "then", "until", "while",
]);

function isReservedWord(word: string): boolean {
  return OPENERS.has(word) || CLOSERS.has(word) || word === "in" || word === "!";
}

const REDIRECT_OPS: ReadonlySet<string> = new Set<RedirOp>([
  "<", ">", ">>", ">|", "<>", "<&", ">&", "<<", "<<-", "<<<",
]);

function isRedirOp(op: string): op is RedirOp {
  return REDIRECT_OPS.has(op);
}

// The names dash's parser refuses for `name()` (its special builtins with a plain
// name; `.` and `:` fail the name check already). The parser keeps its own list
// because it must not import the builtins.
const DASH_SPECIAL_BUILTINS: ReadonlySet<string> = new Set([
  "break", "continue", "eval", "exec", "exit", "export", "local", "readonly", "return", "set", "shift", "times", "trap", "unset",
]);
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)(\+?)=/;

/** After bash's `function`: blanks, a name, then `(` or a blank and `{`, on the same line. */
const FUNCTION_KEYWORD_TAIL = /^[ \t]+[^\s;&|<>()]+(?:[ \t]*\(|[ \t]+\{)/;


/** Redirect nodes are built here and get their here-doc body once the lexer reads it. */
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A lexer wired to a word parser whose `$(…)` and backquotes recurse into this grammar. */
export function createLexer(scanner: Scanner, options: ParseOptions, guard: NestingGuard): Lexer {
  const words = new WordParser(scanner, guard, {
    commandSubst: () => new CommandParser(lexer, options).parseCommandSubst(),
    backquote: (text, base) => {
      // Offsets inside the unescaped body are close to, not exactly, source offsets.
      const limit = scanner.text.length;
      const inner = new Scanner(text, (offset) => scanner.posAt(Math.min(base + offset, limit)));
      return new CommandParser(createLexer(inner, options, guard), options).parseProgram();
    },
  });
  const lexer: Lexer = new Lexer(scanner, words, guard);
  return lexer;
}

/** A token as dash names it in "… unexpected" messages. */
/**
 * A token as dash's synexpect names it: a reserved word read where dash looks
 * for one (`keyword`) in quotes, any other word as `word`.
 */
export function describeToken(t: Token, keyword = true): string {
  if (t.kind === "word") return keyword && t.literal !== undefined && DASH_RESERVED_WORDS.has(t.literal) ? `"${t.literal}"` : "word";
  if (t.kind === "op") return isRedirOp(t.op) ? "redirection" : `"${t.op}"`;
  return t.kind === "eof" ? "end of file" : "newline";
}

export class CommandParser {
  /** End of the last token taken: where the node being built ends. */
  lastEnd: Pos;
  /** The last word token taken (dash's wordtext, which a case pattern that is no word reuses). */
  lastWord: Word | undefined;
  private peeked: { token: Token; mode: LexMode } | undefined;
  /** Tokens from alias values, read before the lexer's. */
  private readonly queue: Token[] = [];
  /** XCU 2.3.1: after an alias ending in a blank, the next word is checked too. */
  private aliasNext = false;

  constructor(
    readonly lexer: Lexer,
    readonly options: ParseOptions,
  ) {
    this.lastEnd = lexer.scanner.posAt(lexer.scanner.pos);
  }

  // -------------------------------------------------------------------------
  // Tokens

  peek(mode: LexMode = "normal"): Token {
    const queued = this.queue[0];
    if (queued !== undefined) return queued;
    const p = this.peeked;
    if (p !== undefined) {
      if (p.mode === mode || p.token.kind === "newline" || p.token.kind === "eof") return p.token;
      this.lexer.rewind(p.token);
    }
    const token = this.lexer.next(mode);
    this.peeked = { token, mode };
    return token;
  }

  take(mode: LexMode = "normal"): Token {
    const token = this.peek(mode);
    if (this.queue.length > 0) this.queue.shift();
    else this.peeked = undefined;
    this.lastEnd = token.end;
    if (token.kind === "word") this.lastWord = token.word;
    this.aliasNext = token.aliasBlank === true;
    return token;
  }

  takeWord(mode: LexMode = "normal", expecting?: string): WordToken {
    const t = this.peek(mode);
    if (t.kind !== "word") throw this.unexpected(t, expecting);
    this.take(mode);
    return t;
  }

  isReserved(t: Token, word: string): boolean {
    return t.kind === "word" && t.literal === word;
  }

  isOp(t: Token, op: string): boolean {
    return t.kind === "op" && t.op === op;
  }

  expectReserved(word: string): Token {
    const t = this.peek();
    if (!this.isReserved(t, word)) throw this.unexpected(t, word);
    return this.take();
  }

  expectOp(op: string, mode: LexMode = "normal"): Token {
    const t = this.peek(mode);
    if (!this.isOp(t, op)) throw this.unexpected(t, op);
    return this.take(mode);
  }

  skipNewlines(mode: LexMode = "normal"): void {
    while (this.peek(mode).kind === "newline") this.take(mode);
  }

  unexpected(t: Token, expecting?: string, keyword = true): ShellSyntaxError {
    // dash's tokname again: the token "word" is named bare, the others in quotes.
    const suffix = expecting === undefined ? "" : ` (expecting ${expecting === "word" ? expecting : `"${expecting}"`})`;
    return new ShellSyntaxError(
      `${describeToken(t, keyword)} unexpected${suffix}`,
      t.start.line,
      t.start.column,
      t.kind === "eof",
      // dash has counted the newline it read when it finds it unexpected.
      t.kind === "newline" ? t.start.line + 1 : t.start.line,
    );
  }

  enter(at: Pos): void {
    this.lexer.guard.enter(at);
  }

  leave(): void {
    this.lexer.guard.leave();
  }

  // -------------------------------------------------------------------------
  // Programs and lists

  parseProgram(): Program {
    const start = this.peekStart();
    const body = this.parseList(false);
    const t = this.peek();
    if (t.kind !== "eof") throw this.unexpected(t);
    return { kind: "program", start, end: t.start, body };
  }

  /** The body of `$(…)`, up to and including its `)`. */
  parseCommandSubst(): Program {
    const start = this.lexer.scanner.posAt(this.lexer.scanner.pos);
    const body = this.parseList(false);
    const t = this.peek();
    if (!this.isOp(t, ")")) throw this.unexpected(t, ")");
    this.take();
    return { kind: "program", start, end: t.start, body };
  }

  /** One complete command line, as sh reads it: and-or lists up to a newline. Null at end of input. */
  parseLine(): List | null {
    this.skipNewlines();
    // An alias that expands to nothing at the end of the input leaves no command: dash
    // reads end of input there, not an empty command (the status stays the last one).
    if (this.expandAliasesForKeyword()) this.skipNewlines();
    const first = this.peek();
    if (first.kind === "eof") return null;
    const items: ListItem[] = [];
    for (;;) {
      const command = this.parseAndOr();
      const sep = this.peek();
      if (this.isOp(sep, "&") || this.isOp(sep, ";")) {
        this.take();
        items.push({ command, background: this.isOp(sep, "&") });
        const after = this.peek();
        if (after.kind === "newline") this.take();
        if (after.kind === "newline" || after.kind === "eof") break;
        continue;
      }
      items.push({ command, background: false });
      if (sep.kind === "newline") this.take();
      else if (sep.kind !== "eof") throw this.unexpected(sep);
      break;
    }
    return this.list(items, first.start);
  }

  /**
   * compound_list: and-or lists separated by `;`, `&` or newlines, up to a
   * closing token. `closer` names what should follow, for the error at end of input.
   */
  parseList(required: boolean, closer?: string): List {
    this.skipNewlines();
    const start = this.peekStart();
    const items: ListItem[] = [];
    for (;;) {
      // dash substitutes aliases before it looks for the word that ends the list (`alias d=done`).
      this.expandAliasesForKeyword();
      const t = this.peek();
      if (this.endsList(t)) break;
      const command = this.parseAndOr();
      const sep = this.peek();
      const background = this.isOp(sep, "&");
      items.push({ command, background });
      if (background || this.isOp(sep, ";") || sep.kind === "newline") this.take();
      else break;
      this.skipNewlines();
    }
    if (required && items.length === 0) {
      const t = this.peek();
      throw this.unexpected(t, t.kind === "eof" ? closer : undefined);
    }
    return this.list(items, start);
  }

  private endsList(t: Token): boolean {
    if (t.kind === "eof") return true;
    if (t.kind === "op") return t.op === ")" || t.op === ";;" || t.op === ";&" || t.op === ";;&";
    return t.kind === "word" && t.literal !== undefined && CLOSERS.has(t.literal);
  }

  private list(items: ListItem[], start: Pos): List {
    const last = items[items.length - 1];
    return { kind: "list", start: items[0]?.command.start ?? start, end: last?.command.end ?? start, items };
  }

  private peekStart(): Pos {
    return this.peek().start;
  }

  parseAndOr(): Command {
    const first = this.parsePipeline();
    const rest: { op: "&&" | "||"; command: Command }[] = [];
    for (;;) {
      const t = this.peek();
      if (t.kind !== "op" || (t.op !== "&&" && t.op !== "||")) break;
      this.take();
      this.skipNewlines();
      rest.push({ op: t.op, command: this.parsePipeline() });
    }
    const last = rest[rest.length - 1];
    if (last === undefined) return first;
    return { kind: "andor", start: first.start, end: last.command.end, first, rest };
  }

  parsePipeline(): Command {
    const start = this.peekStart();
    let negated = false;
    while (this.isReserved(this.peek(), "!")) {
      this.take();
      negated = !negated;
    }
    const commands = [this.parseCommand()];
    while (this.isOp(this.peek(), "|")) {
      this.take();
      this.skipNewlines();
      commands.push(this.parseCommand());
    }
    const first = commands[0];
    if (commands.length === 1 && !negated && first !== undefined) return first;
    return { kind: "pipeline", start, end: this.lastEnd, negated, commands };
  }

  // -------------------------------------------------------------------------
  // Commands

  parseCommand(): Command {
    let substituted = false;
    for (;;) {
      const t = this.peek();
      // dash skips newlines where a command starts (CHKNL) and still does after an alias there:
      // one that begins the value, and those after an alias whose value is only newlines.
      // (The list may have substituted it already, looking for a reserved word: the token says so.)
      if (t.kind === "newline" && (substituted || t.aliases !== undefined)) {
        substituted = true;
        this.take();
        continue;
      }
      if (t.kind === "word" && t.literal !== undefined) {
        if (OPENERS.has(t.literal) && (t.literal !== "function" || this.isFunctionKeyword(t))) return this.parseCompoundWithRedirects(t);
        // `in` is reserved only after `for`/`case`, but, as in dash, it cannot start a command either;
        // nor can `!` where a pipeline does not start (after `|`, as a function body).
        if (CLOSERS.has(t.literal) || t.literal === "in" || t.literal === "!") throw this.unexpected(t);
      }
      if (this.isOp(t, "(")) return this.parseCompoundWithRedirects(t);
      // Reserved words are recognised before aliases; an alias may expand to one.
      if (!this.expandAlias()) return this.parseSimple();
      substituted = true;
    }
  }

  /**
   * bash's `function name {`/`function name (`, where the `{` or `(` is on
   * the same line. Anything else (`function`, `function() {…}`, `function f`
   * then a newline) is a command named `function`, as in dash, which has no
   * such keyword: every script dash accepts with the word means that there.
   */
  private isFunctionKeyword(t: WordToken): boolean {
    if (t.aliases !== undefined) return true;
    const rest = this.lexer.scanner.text.slice(t.offset + t.raw.length, t.offset + t.raw.length + 256);
    return FUNCTION_KEYWORD_TAIL.test(rest);
  }

  private parseCompoundWithRedirects(t: Token): Command {
    this.enter(t.start);
    const command = parseCompound(this, t);
    this.leave();
    if (command.kind === "funcdef") return command;
    const redirs: Redirect[] = [];
    while (this.isRedirect(this.peek())) redirs.push(this.parseRedirect());
    if (redirs.length === 0) return command;
    return { ...command, redirs, end: this.lastEnd };
  }

  isRedirect(t: Token): boolean {
    return t.kind === "op" && isRedirOp(t.op);
  }

  private parseSimple(): Command {
    const start = this.peekStart();
    const assigns: Assign[] = [];
    const words: Word[] = [];
    const redirs: Redirect[] = [];
    for (;;) {
      const t = this.peek();
      if (this.isRedirect(t)) {
        redirs.push(this.parseRedirect());
        continue;
      }
      if (t.kind !== "word") break;
      if (words.length === 0) {
        const assign = toAssignment(t);
        if (assign !== undefined) {
          this.take();
          assigns.push(assign);
          continue;
        }
        // The first word after a prefix is in command position too.
        if ((assigns.length > 0 || redirs.length > 0) && this.expandAlias()) continue;
        this.take();
        words.push(t.word);
        if (assigns.length === 0 && redirs.length === 0 && this.isOp(this.peek(), "(")) {
          return this.parseFunctionDef(t);
        }
        continue;
      }
      if (this.aliasNext && this.expandAlias()) continue;
      this.take();
      words.push(t.word);
    }
    if (assigns.length + words.length + redirs.length === 0) throw this.unexpected(this.peek());
    const command: SimpleCommand = {
      kind: "simple", start, end: this.lastEnd, assigns, words, redirs,
    };
    return command;
  }

  /** `name ( ) linebreak function_body`; dash accepts any command as the body. */
  private parseFunctionDef(nameToken: WordToken): Command {
    // As in dash, `name()` needs a plain name (XCU 2.9.5): `my-func()` and `"f"()` are errors.
    // (bash's `function my-func` stays accepted: that syntax is bash's, with bash's names.)
    // dash also refuses the name of a special builtin (a function could never be called by it).
    // The `)` is looked for first, as in dash: `: (` at the end is "expecting )", not a bad name;
    // the token there is read with no reserved words (`f ( fi` is "word unexpected").
    this.take();
    if (!this.isOp(this.peek(), ")")) throw this.unexpected(this.peek(), ")", false);
    this.take();
    if (nameToken.literal === undefined || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(nameToken.literal) || DASH_SPECIAL_BUILTINS.has(nameToken.literal)) {
      throw new ShellSyntaxError("Bad function name", nameToken.start.line, nameToken.start.column);
    }
    this.skipNewlines();
    const body = parseFunctionBody(this, nameToken.start);
    return { kind: "funcdef", start: nameToken.start, end: body.end, name: nameToken.literal, body };
  }

  parseRedirect(): Redirect {
    const opToken = this.take();
    if (opToken.kind !== "op" || !isRedirOp(opToken.op)) throw this.unexpected(opToken);
    const op = opToken.op;
    const target = this.takeWord();
    // A `>&word` that names no fd is dash's "Bad fd number" when the redirection is made (exec/redirect.ts), not here.
    const redirect: Mutable<Redirect> = { start: opToken.start, end: target.end, op, target: target.word };
    if (opToken.fd !== undefined) redirect.fd = opToken.fd;
    if (op === "<<" || op === "<<-") {
      // dash reads a delimiter with no substitutions (CHKEOFMARK): an unquoted `$(` or `$((`
      // is a `$` and then the operator `(`, which cannot follow.
      if (target.word.parts.some((part) => (part.kind === "cmdsubst" && !part.backquote) || part.kind === "arith")) {
        throw new ShellSyntaxError('"(" unexpected', target.start.line, target.start.column);
      }
      const inAlias = opToken.aliasHeredoc?.heredoc;
      if (inAlias !== undefined) redirect.heredoc = inAlias;
      else {
        const { delimiter, quoted } = heredocDelimiter(target.raw);
        this.lexer.addHeredoc({ redirect, delimiter, quoted, stripTabs: op === "<<-" });
      }
    }
    return redirect;
  }

  // -------------------------------------------------------------------------
  // Aliases (XCU 2.3.1)

  /**
   * Where dash reads a reserved word it substitutes aliases first (its
   * CHKALIAS): at the start of each command of a list, for `in` after
   * `for name` and `case word`, and for `do` (`alias IN=in; for x IN a b`).
   * True when it substituted one.
   */
  expandAliasesForKeyword(): boolean {
    for (let substituted = false; ; substituted = true) {
      // Reserved words are recognised before aliases (`alias fi=x` leaves `fi` alone).
      const t = this.peek();
      if (t.kind === "word" && t.literal !== undefined && isReservedWord(t.literal)) return substituted;
      // The value's first word is looked up again, until it is no alias.
      if (!this.expandAlias()) return substituted;
    }
  }

  /** If the next token is an alias name, replace it by the tokens of its value. */
  private expandAlias(): boolean {
    const lookup = this.options.aliases;
    if (lookup === undefined) return false;
    const t = this.peek();
    if (t.kind !== "word" || t.literal === undefined) return false;
    const name = t.literal;
    if (t.aliases?.includes(name)) return false;
    const value = lookup(name);
    if (value === undefined) return false;
    this.take();
    const chain = [...(t.aliases ?? []), name];
    const tokens = this.lexAlias(value, t, chain);
    // A blank at the end of this value, or of the alias this word came from, checks the word after.
    const trailingBlank = /[ \t]$/.test(value) || t.aliasBlank === true;
    const last = tokens[tokens.length - 1];
    if (last !== undefined && trailingBlank) tokens[tokens.length - 1] = { ...last, aliasBlank: true };
    // The first word of the value, or the word after an empty value, is looked up again
    // (dash re-reads it under the same rule: with a1='echo ' a2='a3 ' a3=three, `a1 a2 x`
    // is `echo three x`).
    this.aliasNext = true;
    this.queue.unshift(...tokens);
    return true;
  }

  private lexAlias(value: string, at: Token, chain: readonly string[]): Token[] {
    const scanner = new Scanner(value, (offset) => (offset >= value.length ? at.end : at.start));
    const lexer = createLexer(scanner, this.options, this.lexer.guard);
    lexer.readsBodiesAtEnd = false;
    const tokens: Token[] = [];
    for (let t = lexer.next(); t.kind !== "eof"; t = lexer.next()) {
      const before = tokens[tokens.length - 1];
      // A here-document opened in the value has its body read from the value's next lines, if it has them.
      if (t.kind === "word" && before?.kind === "op" && (before.op === "<<" || before.op === "<<-")) {
        const holder: { heredoc?: Redirect["heredoc"] } = {};
        const { delimiter, quoted } = heredocDelimiter(t.raw);
        lexer.addHeredoc({ redirect: holder, delimiter, quoted, stripTabs: before.op === "<<-" });
        tokens[tokens.length - 1] = { ...before, aliasHeredoc: holder };
      }
      tokens.push({ ...t, aliases: chain });
    }
    return tokens;
  }
}

/** `NAME=value` / `NAME+=value` before the command name; the value gets assignment tildes. */
function toAssignment(t: WordToken): Assign | undefined {
  const split = splitAssignment(t.word);
  if (split === undefined) return undefined;
  return { start: t.start, end: t.end, name: split.name, append: split.append, value: split.value };
}

/** `NAME=value` / `NAME+=value` split at the `=`; the value gets assignment tildes (XCU 2.6.1). */
function splitAssignment(word: Word): { name: string; append: boolean; prefix: string; value: Word } | undefined {
  const first = word.parts[0];
  if (first?.kind !== "literal") return undefined;
  const m = ASSIGNMENT.exec(first.value);
  if (m === null) return undefined;
  const rest = first.value.slice(m[0].length);
  const parts: WordPart[] = rest === "" ? [] : [{ kind: "literal", value: rest }];
  parts.push(...word.parts.slice(1));
  const s = word.start;
  const valueStart = { offset: s.offset + m[0].length, line: s.line, column: s.column + m[0].length };
  return {
    name: m[1] ?? "",
    append: m[2] === "+",
    prefix: m[0],
    value: { start: valueStart, end: word.end, parts: assignmentTildes(parts) },
  };
}

/**
 * Assignment tildes (after `=` and each `:`) in a value's text and, as dash
 * expands them, in the words of its unquoted `${v-w}` and `${v+w}`
 * (`x=${v-a:~/b}`; not in `${v=w}` or `${v?w}`, whose words dash expands on their own).
 */
function assignmentTildes(parts: readonly WordPart[]): WordPart[] {
  return applyTilde(parts, true).map((part) => {
    if (part.kind !== "param" || part.arg === undefined || !WORD_OPERATORS.has(part.op ?? "")) return part;
    return { ...part, arg: { ...part.arg, parts: assignmentTildes(part.arg.parts) } };
  });
}

const WORD_OPERATORS: ReadonlySet<string> = new Set(["-", "+"]);

/**
 * The word `NAME=value` as an assignment operand of `export`, `readonly` or
 * `local`: the same text, with assignment tildes in the value (`export
 * V=~/a:~/b`). Undefined for a word that is not one. Whether the command is
 * one of those is known only once its name is expanded (`$e V=~`), so the
 * executor asks.
 */
export function declarationOperand(word: Word): Word | undefined {
  const split = splitAssignment(word);
  // dash's test (isassignment) wants `=` right after the name: `V+=x` is an ordinary word.
  if (split === undefined || split.append) return undefined;
  return { ...word, parts: [{ kind: "literal", value: split.prefix }, ...split.value.parts] };
}

/** XCU 2.7.4: the delimiter is the word after quote removal; any quoting makes the body literal. */
export function heredocDelimiter(raw: string): { delimiter: string; quoted: boolean } {
  let delimiter = "";
  let quoted = false;
  let i = 0;
  while (i < raw.length) {
    const ch = raw[i] ?? "";
    if (ch === "\\") {
      if (raw[i + 1] !== "\n") {
        quoted = true;
        delimiter += raw[i + 1] ?? "";
      }
      i += 2;
    } else if (ch === "'") {
      quoted = true;
      const close = raw.indexOf("'", i + 1);
      const end = close < 0 ? raw.length : close;
      delimiter += raw.slice(i + 1, end);
      i = end + 1;
    } else if (ch === '"') {
      quoted = true;
      i++;
      while (i < raw.length && raw[i] !== '"') {
        if (raw[i] === "\\" && '$`"\\'.includes(raw[i + 1] ?? "x")) i++;
        delimiter += raw[i] ?? "";
        i++;
      }
      i++;
    } else if (ch === "$" && (raw[i + 1] === "'" || raw[i + 1] === '"')) {
      i++;
    } else {
      delimiter += ch;
      i++;
    }
  }
  return { delimiter, quoted };
}
