// Public entry points of the shell parser. The executor depends on exactly
// `parse`, `Parser`, `parsePromptText`, `ParseOptions`, `declarationOperand`
// (and `ShellSyntaxError` from ../errors.ts).

import type { List, Program, Word } from "../ast.ts";
import { NestingGuard, Scanner, type Token } from "../lexer.ts";
import { CommandParser, createLexer, type ParseOptions } from "./command-parser.ts";

export type { ParseOptions } from "./command-parser.ts";
export { declarationOperand } from "./command-parser.ts";
export { ShellSyntaxError } from "../errors.ts";

/** Parse a whole program (script text or the body of $(…)). Throws ShellSyntaxError. */
export function parse(source: string, options: ParseOptions = {}): Program {
  const lexer = createLexer(new Scanner(source), options, new NestingGuard());
  const parser = new CommandParser(lexer, options);
  return withStackGuard(parser, () => parser.parseProgram());
}

/**
 * Incremental parsing as sh does it: one complete command (everything up to an
 * unescaped newline at top level, including here-doc bodies) at a time, so an
 * alias defined on line 1 applies on line 2.
 */
export class Parser {
  private readonly parser: CommandParser;

  constructor(source: string, options: ParseOptions = {}) {
    const lexer = createLexer(new Scanner(source), options, new NestingGuard());
    this.parser = new CommandParser(lexer, options);
  }

  /** The next complete command line as a List (may have several `;`/`&` items), or null at end of input. Blank and comment-only lines are skipped. Throws ShellSyntaxError. */
  next(): List | null {
    this.parser.lexer.guard.reset();
    return withStackGuard(this.parser, () => this.parser.parseLine());
  }
}

/**
 * Text read as an unquoted here-document body, as dash's expandstr reads PS4:
 * `$…`, `$(…)`, backquotes and `\` before `$`, `` ` `` or `\`; quotes are
 * plain characters. Throws ShellSyntaxError.
 */
export function parsePromptText(source: string, options: ParseOptions = {}): Word {
  const lexer = createLexer(new Scanner(source), options, new NestingGuard());
  return withStackGuard(new CommandParser(lexer, options), () => lexer.words.readHeredocBody(0, source.length, false));
}

/**
 * The nesting limit keeps recursion well inside the stack when parsing starts
 * near the top of it; a caller already deep in its own recursion (nested
 * `eval`) may still exhaust it, and that must surface as a syntax error too.
 */
function withStackGuard<T>(parser: CommandParser, run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    const s = parser.lexer.scanner;
    throw s.error("nesting too deep", Math.min(s.pos, s.text.length));
  }
}

/** All tokens of `source` read in normal mode, up to and including end of file (for tests and tools). */
export function tokenize(source: string, options: ParseOptions = {}): Token[] {
  const lexer = createLexer(new Scanner(source), options, new NestingGuard());
  const tokens: Token[] = [];
  for (;;) {
    const t = lexer.next();
    tokens.push(t);
    if (t.kind === "eof") return tokens;
  }
}
