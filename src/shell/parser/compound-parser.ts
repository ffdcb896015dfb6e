// Compound commands (XCU 2.9.4, 2.9.5) and bash's `function` and `[[ … ]]`.
// Redirections after a compound command are read by the caller; nodes are
// returned with empty `redirs`.

import type {
  Case, CaseItem, Command, For, FuncDef, Group, If, List, Loop, Pos, Subshell, TestClause, TestExpr, Word,
} from "../ast.ts";
import { ShellSyntaxError } from "../errors.ts";
import type { Token } from "../lexer.ts";
import type { CommandParser } from "./command-parser.ts";

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export type CompoundCommand = Subshell | Group | If | Loop | For | Case | TestClause | FuncDef;

/** Parse the compound command that `t` (already peeked, not taken) opens. */
export function parseCompound(p: CommandParser, t: Token): CompoundCommand {
  if (t.kind === "op") return parseSubshell(p);
  switch (t.kind === "word" ? t.literal : undefined) {
    case "if":
      return parseIf(p);
    case "while":
    case "until":
      return parseLoop(p);
    case "for":
      return parseFor(p);
    case "case":
      return parseCase(p);
    case "{":
      return parseGroup(p);
    case "[[":
      return parseTestClause(p);
    case "function":
      return parseFunctionKeyword(p);
    default:
      throw p.unexpected(t);
  }
}

/** A function body: a compound command with its redirections (dash also accepts a simple command). */
export function parseFunctionBody(p: CommandParser, at: Pos): Command {
  p.enter(at);
  const body = p.parseCommand();
  p.leave();
  return body;
}

function parseSubshell(p: CommandParser): Subshell {
  const start = p.take().start;
  const body = p.parseList(true, ")");
  p.expectOp(")");
  return { kind: "subshell", start, end: p.lastEnd, body, redirs: [] };
}

function parseGroup(p: CommandParser): Group {
  const start = p.take().start;
  const body = p.parseList(true, "}");
  p.expectReserved("}");
  return { kind: "group", start, end: p.lastEnd, body, redirs: [] };
}

function parseIf(p: CommandParser): If {
  const start = p.take().start;
  const clauses: { condition: List; body: List }[] = [];
  let elseBody: List | undefined;
  for (;;) {
    const condition = p.parseList(true, "then");
    p.expectReserved("then");
    const body = p.parseList(true, "fi");
    clauses.push({ condition, body });
    const t = p.peek();
    if (p.isReserved(t, "elif")) {
      p.take();
      continue;
    }
    if (p.isReserved(t, "else")) {
      p.take();
      elseBody = p.parseList(true, "fi");
    }
    p.expectReserved("fi");
    break;
  }
  const node: If = { kind: "if", start, end: p.lastEnd, clauses, redirs: [] };
  return elseBody === undefined ? node : { ...node, elseBody };
}

function parseLoop(p: CommandParser): Loop {
  const first = p.take();
  const condition = p.parseList(true, "do");
  const body = parseDoGroup(p);
  return { kind: "loop", start: first.start, end: p.lastEnd, until: p.isReserved(first, "until"), condition, body, redirs: [] };
}

function parseDoGroup(p: CommandParser): List {
  p.expandAliasesForKeyword();
  p.expectReserved("do");
  const body = p.parseList(true, "done");
  p.expectReserved("done");
  return body;
}

function parseFor(p: CommandParser): For {
  const start = p.take().start;
  const nameToken = p.peek();
  if (nameToken.kind !== "word" || nameToken.literal === undefined || !NAME.test(nameToken.literal)) {
    // Even at the end of the input, as in dash (`for` alone is no incomplete command there).
    throw new ShellSyntaxError("Bad for loop variable", nameToken.start.line, nameToken.start.column);
  }
  p.take();
  const name = nameToken.literal;
  let items: Word[] | undefined;
  if (p.isOp(p.peek(), ";")) {
    p.take();
    p.skipNewlines();
  } else {
    p.skipNewlines();
    p.expandAliasesForKeyword();
    if (p.isReserved(p.peek(), "in")) {
      p.take();
      items = [];
      for (let t = p.peek(); t.kind === "word"; t = p.peek()) {
        p.take();
        items.push(t.word);
      }
      const sep = p.peek();
      // dash names no expected token here: `for i in a >f` is "redirection unexpected".
      if (!p.isOp(sep, ";") && sep.kind !== "newline") throw p.unexpected(sep);
      p.take();
      p.skipNewlines();
    } else if (p.isOp(p.peek(), ";")) {
      // dash skips newlines before looking for `in`, and a `;` may still follow them.
      p.take();
      p.skipNewlines();
    }
  }
  const body = parseDoGroup(p);
  const node: For = { kind: "for", start, end: p.lastEnd, name, body, redirs: [] };
  return items === undefined ? node : { ...node, items };
}

/**
 * A case pattern as dash's parser takes it: the next token, whatever it is. A
 * token that is no word leaves dash's wordtext as it was, so the pattern is
 * the word read before it (`case in in >)` matches `in`; `case x in ;;`
 * wants a `)`). Only the end of the input is an error here.
 */
function takePattern(p: CommandParser): Word {
  const t = p.peek();
  const before = p.lastWord;
  if (t.kind === "eof" || before === undefined) throw p.unexpected(t, ")");
  p.take();
  return t.kind === "word" ? t.word : before;
}

function parseCase(p: CommandParser): Case {
  const start = p.take().start;
  const word = p.takeWord("normal", "word").word;
  p.skipNewlines();
  p.expandAliasesForKeyword();
  p.expectReserved("in");
  p.skipNewlines();
  const items: CaseItem[] = [];
  for (;;) {
    const t = p.peek();
    if (p.isReserved(t, "esac")) {
      p.take();
      break;
    }
    if (t.kind === "eof") throw p.unexpected(t, ")");
    if (p.isOp(t, "(")) p.take();
    const patterns = [takePattern(p)];
    while (p.isOp(p.peek(), "|")) {
      p.take();
      patterns.push(takePattern(p));
    }
    // dash reads the word after a pattern without looking for reserved words: `x fi` is "word unexpected".
    if (!p.isOp(p.peek(), ")")) throw p.unexpected(p.peek(), ")", false);
    p.take();
    const body = p.parseList(false);
    const end = p.peek();
    let terminator: CaseItem["terminator"] = ";;";
    if (end.kind === "op" && (end.op === ";;" || end.op === ";&" || end.op === ";;&")) {
      p.take();
      terminator = end.op;
    } else if (!p.isReserved(end, "esac")) {
      throw p.unexpected(end, ";;");
    }
    items.push({ start: t.start, end: p.lastEnd, patterns, body, terminator });
    p.skipNewlines();
  }
  return { kind: "case", start, end: p.lastEnd, word, items, redirs: [] };
}

function parseFunctionKeyword(p: CommandParser): FuncDef {
  const start = p.take().start;
  const nameToken = p.takeWord();
  if (nameToken.literal === undefined) throw p.unexpected(nameToken);
  if (p.isOp(p.peek(), "(")) {
    p.take();
    p.expectOp(")");
  }
  p.skipNewlines();
  const body = parseFunctionBody(p, start);
  return { kind: "funcdef", start, end: body.end, name: nameToken.literal, body };
}

// ---------------------------------------------------------------------------
// [[ … ]]: `||` binds loosest, then `&&`, then `!`, then primaries.

const UNARY = new Set([
  "-a", "-b", "-c", "-d", "-e", "-f", "-g", "-h", "-k", "-p", "-r", "-s", "-t", "-u", "-w", "-x",
  "-G", "-L", "-N", "-O", "-S", "-z", "-n", "-o", "-v", "-R",
]);
const BINARY = new Set([
  "==", "=", "!=", "=~", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "-nt", "-ot", "-ef",
]);

function parseTestClause(p: CommandParser): TestClause {
  const start = p.take().start;
  p.skipNewlines("test");
  const expr = parseTestOr(p);
  const t = p.peek("test");
  if (!p.isReserved(t, "]]")) throw p.unexpected(t, "]]");
  p.take("test");
  return { kind: "testclause", start, end: p.lastEnd, expr, redirs: [] };
}

function parseTestOr(p: CommandParser): TestExpr {
  let left = parseTestAnd(p);
  while (p.isOp(p.peek("test"), "||")) {
    p.take("test");
    p.skipNewlines("test");
    left = { kind: "or", left, right: parseTestAnd(p) };
  }
  return left;
}

function parseTestAnd(p: CommandParser): TestExpr {
  let left = parseTestNot(p);
  while (p.isOp(p.peek("test"), "&&")) {
    p.take("test");
    p.skipNewlines("test");
    left = { kind: "and", left, right: parseTestNot(p) };
  }
  return left;
}

function parseTestNot(p: CommandParser): TestExpr {
  let negations = 0;
  while (p.isReserved(p.peek("test"), "!")) {
    p.take("test");
    negations++;
  }
  let expr = parseTestPrimary(p);
  for (let i = 0; i < negations; i++) expr = { kind: "not", expr };
  return expr;
}

function parseTestPrimary(p: CommandParser): TestExpr {
  const t = p.peek("test");
  if (p.isOp(t, "(")) {
    p.take("test");
    p.enter(t.start);
    p.skipNewlines("test");
    const inner = parseTestOr(p);
    p.skipNewlines("test");
    p.expectOp(")", "test");
    p.leave();
    return inner;
  }
  if (t.kind !== "word" || t.literal === "]]") throw p.unexpected(t);
  p.take("test");
  const next = p.peek("test");
  const op = next.kind === "word" ? next.literal : next.kind === "op" ? next.op : undefined;
  const isBinary = next.kind === "word" ? BINARY.has(op ?? "") : op === "<" || op === ">";
  if (op !== undefined && isBinary) {
    p.take("test");
    const right = p.takeWord(op === "=~" ? "regex" : "test").word;
    return { kind: "binary", op, left: t.word, right };
  }
  if (t.literal !== undefined && UNARY.has(t.literal) && next.kind === "word" && next.literal !== "]]") {
    p.take("test");
    return { kind: "unary", op: t.literal, operand: next.word };
  }
  return { kind: "word", word: t.word };
}
