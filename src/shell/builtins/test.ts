// `test` and `[`: POSIX's rules by argument count (XCU test), and dash's
// recursive-descent parser for longer expressions with `! -a -o ( )`.

import type { Interp } from "../exec/executor.ts";
import { type BuiltinContext, defineBuiltin } from "./define.ts";
import type { ParsedArgs } from "./args.ts";
import { BINARY_OPERATORS, binaryTest, TestError, UNARY_OPERATORS, unaryTest } from "./test-ops.ts";

/** `test`'s operators as dash knows them; `==` is kept as the one bash spelling people type in `[`. */
const TEST_UNARY = new Set([...UNARY_OPERATORS].filter((op) => op !== "-a" && op !== "-o" && op !== "-N"));
const TEST_BINARY = BINARY_OPERATORS;

type Token = "unary" | "binary" | "not" | "and" | "or" | "lparen" | "rparen" | "operand" | "end";

function operatorToken(word: string): Token | undefined {
  if (TEST_UNARY.has(word)) return "unary";
  if (TEST_BINARY.has(word)) return "binary";
  switch (word) {
    case "!":
      return "not";
    case "-a":
      return "and";
    case "-o":
      return "or";
    case "(":
      return "lparen";
    case ")":
      return "rparen";
    default:
      return undefined;
  }
}

/**
 * dash's expression grammar (its test.c), kept step for step so that odd
 * inputs give dash's answers: a missing operand after `-a`/`-o`/`!` is a
 * false expression, not an error (`[ a = b -o ]` is 1), and a unary
 * operator followed by a binary one is an operand (`[ -n = x ]`).
 * `pos` is dash's `t_wp`: the word being looked at, not the next one.
 */
class TestParser {
  pos = 0;
  constructor(
    private readonly args: readonly string[],
    private readonly interp: Interp,
  ) {}

  /** dash's t_lex: what the word at `at` is here. */
  lex(at: number): Token {
    const word = this.args[at];
    if (word === undefined) return "end";
    const token = operatorToken(word);
    if (token === undefined) return "operand";
    if (token === "unary" && this.isOperand(at)) return "operand";
    if (token === "lparen" && this.args[at + 1] === undefined) return "operand";
    return token;
  }

  /** dash's isoperand: a unary operator is a plain word when it is last, or when a binary operator follows it. */
  private isOperand(at: number): boolean {
    const next = this.args[at + 1];
    if (next === undefined) return true;
    if (this.args[at + 2] === undefined) return false;
    return operatorToken(next) === "binary";
  }

  or(first: Token): boolean {
    let token = first;
    let value = false;
    for (;;) {
      // Both sides are always parsed (errors on the right count even when the left is true).
      const right = this.and(token);
      value = value || right;
      if (this.lex(this.pos + 1) !== "or") return value;
      this.pos += 2;
      token = this.lex(this.pos);
    }
  }

  private and(first: Token): boolean {
    let token = first;
    let value = true;
    for (;;) {
      if (!this.not(token)) value = false;
      if (this.lex(this.pos + 1) !== "and") return value;
      this.pos += 2;
      token = this.lex(this.pos);
    }
  }

  private not(token: Token): boolean {
    if (token !== "not") return this.primary(token);
    this.pos++;
    return !this.not(this.lex(this.pos));
  }

  private primary(token: Token): boolean {
    if (token === "end") return false; // a missing expression
    if (token === "lparen") {
      this.pos++;
      const inner = this.lex(this.pos);
      if (inner === "rparen") return false;
      const value = this.or(inner);
      this.pos++;
      if (this.lex(this.pos) !== "rparen") throw new TestError("closing paren expected");
      return value;
    }
    const word = this.args[this.pos] ?? "";
    if (token === "unary") {
      this.pos++;
      const operand = this.args[this.pos];
      if (operand === undefined) throw new TestError(`${word}: argument expected`);
      return unaryTest(word, operand, this.interp);
    }
    if (this.lex(this.pos + 1) === "binary") {
      const op = this.args[this.pos + 1] ?? "";
      this.pos += 2;
      const right = this.args[this.pos];
      if (right === undefined) throw new TestError(`${op}: argument expected`);
      return binaryTest(op, word, right, this.interp);
    }
    return word !== "";
  }
}

/** `test`'s verdict on its operands; dash's testcmd: POSIX's rules for 3 and 4 operands, then the grammar. */
export function evaluateTest(all: readonly string[], interp: Interp): boolean {
  let args = all;
  let negate = false;
  let first: Token | undefined;
  for (;;) {
    if (args.length === 0) return negate;
    if (args.length === 3 && TEST_BINARY.has(args[1] ?? "")) {
      first = "operand";
    } else if (args.length === 3 || args.length === 4) {
      if (args[0] === "(" && args[args.length - 1] === ")") {
        args = args.slice(1, -1);
      } else if (args[0] === "!") {
        // Not a toggle: dash sets the flag, then looks at the rest again.
        negate = true;
        args = args.slice(1);
        continue;
      }
    }
    break;
  }
  const parser = new TestParser(args, interp);
  const value = parser.or(first ?? parser.lex(0));
  if (args[parser.pos] !== undefined && args[parser.pos + 1] !== undefined) throw new TestError(`${args[parser.pos] ?? ""}: unexpected operator`);
  return negate ? !value : value;
}

function runTest(ctx: BuiltinContext, operands: readonly string[]) {
  try {
    return evaluateTest(operands, ctx.interp) ? 0 : 1;
  } catch (error) {
    if (error instanceof TestError) return ctx.fail(error.message, 2);
    throw error;
  }
}

export const test = defineBuiltin({
  name: "test",
  flags: null,
  run: (ctx, { operands }: ParsedArgs) => runTest(ctx, operands),
});

export const bracket = defineBuiltin({
  name: "[",
  flags: null,
  run(ctx, { operands }) {
    if (operands[operands.length - 1] !== "]") return ctx.fail("missing ]", 2);
    return runTest(ctx, operands.slice(0, -1));
  },
});
