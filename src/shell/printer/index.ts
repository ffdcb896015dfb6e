// The syntax tree back to shell source: `parse(printProgram(p))` gives `p`
// again, source positions aside (test/shell/printer.test.ts checks it on
// generated and mutated scripts). Checkpoints carry functions this way
// (checkpoint/capture.ts).
//
// Layout is one command per line, bodies indented by four spaces, as bash's
// `type` prints a function; a `$(…)` is one line where it can be. Here-document
// bodies follow the newline after the command that opened them, exactly as
// the lexer reads them: a newline written as a separator releases every
// body queued until then, also a newline inside a `$(…)` (which shares its
// lexer with the enclosing text), but not one inside backquotes (which get a
// lexer of their own). Inside a here-document body a `$(…)` is written all on
// one line, so the bodies it opens follow the enclosing body, where the
// parser reads them when the source had no newline there either.
//
// Imports the AST, the word printer and the parser's here-doc delimiter rule.

import type { Assign, CaseItem, Command, CommandSubst, List, Program, Redirect, TestExpr, Word } from "../ast.ts";
import { assertNever } from "../ast.ts";
import { heredocDelimiter } from "../parser/command-parser.ts";
import { printHeredocBody, printWord, type SubstitutionPrinter, type WordContext } from "./words.ts";

const INDENT = "    ";
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Words the parser takes as reserved where a command starts (parser/command-parser.ts). */
const RESERVED = new Set([
  "if", "then", "else", "elif", "fi", "do", "done", "case", "esac", "while", "until", "for", "in", "{", "}", "[[", "function", "!",
]);

/** A whole program, one command per line, ending in a newline (or empty). */
export function printProgram(program: Program): string {
  const printer = new Printer(new HeredocQueue(), 0);
  printer.block(program.body);
  return printer.text();
}

/** One command, as it would stand on a line of its own (no trailing newline unless a here-document needs one). */
export function printCommand(command: Command): string {
  const printer = new Printer(new HeredocQueue(), 0);
  printer.command(command);
  printer.finish();
  return printer.text();
}

/** The definition `name() body` (`function name () body` for a name that needs it), which re-parses to the same function. */
export function printFunction(name: string, body: Command): string {
  return printCommand({ kind: "funcdef", name, body, start: body.start, end: body.end });
}

/** Here-documents opened on the current line, waiting for its newline. */
class HeredocQueue {
  items: { readonly redirect: Redirect; readonly delimiter: string }[] = [];
}

class Printer implements SubstitutionPrinter {
  private out = "";
  private isAtLineStart = true;
  /** Printing the body of an unquoted here-document (its substitutions are written on one line). */
  private isInHeredocBody = false;

  constructor(
    private readonly heredocs: HeredocQueue,
    private depth: number,
    /**
     * Everything on one line, no newline token at all: a `$(…)` inside a
     * here-document body, where a newline would read the bodies of the
     * here-documents it opens inside the enclosing body (they follow it).
     */
    private readonly isOneLine = false,
  ) {}

  text(): string {
    return this.out;
  }

  /** End the text: a here-document still waiting needs its newline. */
  finish(): void {
    if (this.mustEndLine()) this.newline();
  }

  // ---------------------------------------------------------------- output

  private write(text: string): void {
    if (text === "") return;
    if (this.isAtLineStart) this.out += INDENT.repeat(this.depth);
    this.isAtLineStart = false;
    this.out += text;
  }

  /** A blank before the next token, unless a line starts there (or one is there already: printed words never end in one). */
  private space(): void {
    if (!this.isAtLineStart && !this.out.endsWith(" ")) this.out += " ";
  }

  /** A word after a list or body: on the same line, or at the start of the next. */
  private keyword(word: string): void {
    this.space();
    this.write(word);
  }

  /** A newline token: the bodies of the here-documents queued so far follow it (a batch, as the lexer reads them). */
  private newline(): void {
    this.out += "\n";
    this.isAtLineStart = true;
    while (this.heredocs.items.length > 0) {
      const batch = this.heredocs.items;
      this.heredocs.items = [];
      for (const { redirect, delimiter } of batch) this.heredocBody(redirect, delimiter);
    }
  }

  /** A here-document is waiting and a newline may be written here. */
  private mustEndLine(): boolean {
    return this.heredocs.items.length > 0 && !this.isOneLine;
  }

  private heredocBody(redirect: Redirect, delimiter: string): void {
    const heredoc = redirect.heredoc;
    let body = "";
    if (heredoc !== undefined) {
      if (heredoc.quoted) {
        for (const part of heredoc.body.parts) if (part.kind === "single" || part.kind === "literal") body += part.value;
      } else {
        const wasInBody = this.isInHeredocBody;
        this.isInHeredocBody = true;
        body = printHeredocBody(heredoc.body, delimiter, redirect.op === "<<-", this);
        this.isInHeredocBody = wasInBody;
      }
    }
    // A body cut short by the end of the input (no delimiter) gets its newline here; a lone
    // backslash ending it is doubled, or it would join that newline to the delimiter.
    if (body !== "" && !body.endsWith("\n")) {
      if (heredoc?.quoted === false && /(?:^|[^\\])(?:\\\\)*\\$/.test(body)) body += "\\";
      body += "\n";
    }
    this.out += `${body}${delimiter}\n`;
  }

  // ---------------------------------------------------------------- lists

  /** A list one command per line (every item ends with a newline). */
  block(list: List): void {
    for (const item of list.items) {
      this.command(item.command);
      if (item.background) this.write(" &");
      this.newline();
    }
  }

  /**
   * A list on one line, `a; b & c`. `isTerminated`: something follows on the
   * line (`then`, `}`), so the last item needs its `;` too. An item with a
   * here-document ends the line instead.
   */
  private inline(list: List, isTerminated: boolean): void {
    list.items.forEach((item, index) => {
      const isLast = index === list.items.length - 1;
      this.command(item.command);
      if (item.background) this.write(" &");
      if (this.mustEndLine()) this.newline();
      else if (!isLast) this.write(item.background ? "" : ";");
      else if (isTerminated && !item.background) this.write(";");
      if (!isLast) this.space();
    });
  }

  /** The body of a compound command, on its own indented lines (or inline on one line). */
  private body(list: List, isTerminated: boolean): void {
    if (this.isOneLine) {
      this.space();
      this.inline(list, isTerminated);
      return;
    }
    this.newline();
    this.depth++;
    this.block(list);
    this.depth--;
  }

  // ---------------------------------------------------------------- commands

  command(command: Command): void {
    switch (command.kind) {
      case "simple":
        return this.simple(command.assigns, command.words, command.redirs);
      case "pipeline":
        if (command.negated) this.write("! ");
        command.commands.forEach((stage, index) => {
          if (index > 0) this.joiner("|");
          this.command(stage);
        });
        return;
      case "andor":
        this.command(command.first);
        for (const { op, command: next } of command.rest) {
          this.joiner(op);
          this.command(next);
        }
        return;
      case "list":
        // Only compound bodies are lists in parsed programs; as a command it is a group.
        return this.group("{", command, "}", []);
      case "subshell":
        return this.group("(", command.body, ")", command.redirs);
      case "group":
        return this.group("{", command.body, "}", command.redirs);
      case "if":
        command.clauses.forEach(({ condition, body }, index) => {
          this.keyword(index === 0 ? "if" : "elif");
          this.write(" ");
          this.inline(condition, true);
          this.keyword("then");
          this.body(body, true);
        });
        if (command.elseBody !== undefined) {
          this.keyword("else");
          this.body(command.elseBody, true);
        }
        this.keyword("fi");
        return this.redirects(command.redirs);
      case "loop":
        this.write(command.until ? "until " : "while ");
        this.inline(command.condition, true);
        return this.doGroup(command.body, command.redirs);
      case "for":
        this.write(`for ${command.name}`);
        if (command.items !== undefined) {
          this.write(" in");
          for (const item of command.items) this.write(` ${this.word(item)}`);
        }
        this.write(";");
        return this.doGroup(command.body, command.redirs);
      case "case":
        return this.caseCommand(command.word, command.items, command.redirs);
      case "funcdef":
        // `name()` wants a plain name that is not a reserved word; bash's `function` takes any literal
        // word, kept apart from its `()` (`function a$()` would read `$()`).
        this.write(NAME.test(command.name) && !RESERVED.has(command.name) ? `${command.name}() ` : `function ${command.name} () `);
        return this.command(command.body);
      case "testclause":
        this.write(`[[ ${this.testExpr(command.expr, "or")} ]]`);
        return this.redirects(command.redirs);
      default:
        return assertNever(command);
    }
  }

  /** `|`, `&&` or `||` between commands; a here-document opened before it ends the line after it. */
  private joiner(op: string): void {
    this.write(` ${op}`);
    if (this.mustEndLine()) this.newline();
    else this.write(" ");
  }

  private simple(assigns: readonly Assign[], words: readonly Word[], redirs: readonly Redirect[]): void {
    // A command name that reads as a reserved word (`>f if`) is one only after its redirections.
    const first = words[0]?.parts;
    const isReservedName = assigns.length === 0 && redirs.length > 0 && first?.length === 1 && first[0]?.kind === "literal" && RESERVED.has(first[0].value);
    // Each word is printed just before it is written: a `$(…)` in it may end the line for a here-document opened before it.
    const pieces: (() => string)[] = [
      ...assigns.map((a) => () => `${a.name}${a.append ? "+=" : "="}${this.word(a.value)}`),
      ...words.map((w) => () => this.word(w)),
    ];
    if (isReservedName) this.redirects(redirs, true);
    pieces.forEach((piece, index) => {
      if (index > 0 || isReservedName) this.write(" ");
      this.write(piece());
    });
    if (!isReservedName) this.redirects(redirs, pieces.length === 0);
  }

  private redirects(redirs: readonly Redirect[], isFirst = false): void {
    redirs.forEach((redirect, index) => {
      if (!isFirst || index > 0) this.write(" ");
      this.redirect(redirect);
    });
  }

  private redirect(redirect: Redirect): void {
    const fd = redirect.fd === undefined ? "" : BigInt(redirect.fd).toString();
    const target = this.word(redirect.target);
    // `<< -x` (the delimiter `-x`) is not `<<- x`.
    const gap = redirect.op === "<<" && target.startsWith("-") ? " " : "";
    this.write(`${fd}${redirect.op}${gap}${target}`);
    // The delimiter is the target as printed, read the way the parser reads it.
    if (redirect.op === "<<" || redirect.op === "<<-") this.heredocs.items.push({ redirect, delimiter: heredocDelimiter(target).delimiter });
  }

  /** `{ … }` and `( … )`. A subshell's body is kept apart from its parentheses (`( (a) )`, not `((`). */
  private group(open: string, body: List, close: string, redirs: readonly Redirect[]): void {
    this.write(open);
    this.body(body, close === "}");
    this.keyword(close);
    this.redirects(redirs);
  }

  private doGroup(body: List, redirs: readonly Redirect[]): void {
    this.keyword("do");
    this.body(body, true);
    this.keyword("done");
    this.redirects(redirs);
  }

  private caseCommand(word: Word, items: readonly CaseItem[], redirs: readonly Redirect[]): void {
    this.write(`case ${this.word(word)} in`);
    if (!this.isOneLine) this.newline();
    this.depth++;
    for (const item of items) {
      // The `(` lets a pattern be `esac`.
      this.keyword(`(${item.patterns.map((p) => this.word(p)).join(" | ")})`);
      this.body(item.body, false);
      this.depth++;
      this.keyword(item.terminator);
      this.depth--;
      if (!this.isOneLine) this.newline();
    }
    this.depth--;
    this.keyword("esac");
    this.redirects(redirs);
  }

  // ---------------------------------------------------------------- [[ … ]]

  /** At `level` or looser, `||` binds loosest, then `&&`, then `!`; tighter operands get parentheses. */
  private testExpr(expr: TestExpr, level: "or" | "and" | "not"): string {
    const paren = (text: string, isNeeded: boolean) => (isNeeded ? `( ${text} )` : text);
    switch (expr.kind) {
      case "or":
        return paren(`${this.testExpr(expr.left, "or")} || ${this.testExpr(expr.right, "and")}`, level !== "or");
      case "and":
        return paren(`${this.testExpr(expr.left, "and")} && ${this.testExpr(expr.right, "not")}`, level === "not");
      case "not":
        return `! ${this.testExpr(expr.expr, "not")}`;
      case "unary":
        return `${expr.op} ${this.word(expr.operand)}`;
      case "binary":
        return `${this.word(expr.left)} ${expr.op} ${this.word(expr.right)}`;
      case "word":
        return this.word(expr.word);
    }
  }

  // ---------------------------------------------------------------- words

  private word(word: Word, context: WordContext = "word"): string {
    return printWord(word, context, this);
  }

  /**
   * `$(…)` shares this printer's here-documents (and its lexer, when read
   * back); backquotes get their own, and their text is escaped the way the
   * parser unescapes it (`\\`, `` \` ``).
   */
  commandSubst(part: CommandSubst): string {
    if (part.backquote) {
      const inner = new Printer(new HeredocQueue(), 0);
      inner.inline(part.program.body, false);
      inner.finish();
      return `\`${inner.text().replace(/[\\`]/g, (ch) => `\\${ch}`)}\``;
    }
    const isOneLine = this.isOneLine || this.isInHeredocBody;
    const inner = new Printer(this.heredocs, isOneLine ? 0 : this.depth, isOneLine);
    inner.isAtLineStart = false;
    inner.inline(part.program.body, false);
    inner.finish();
    const text = inner.text();
    // `$((` would start arithmetic.
    return text.startsWith("(") ? `$( ${text} )` : `$(${text})`;
  }
}
