// `test` and `[`: POSIX's rules by argument count (XCU test), and a
// recursive-descent parser for longer expressions with `! -a -o ( )`.

import type { Interp } from "../exec/executor.ts";
import { type BuiltinContext, defineBuiltin } from "./define.ts";
import type { ParsedArgs } from "./args.ts";
import { BINARY_OPERATORS, binaryTest, TestError, UNARY_OPERATORS, unaryTest } from "./test-ops.ts";

class TestParser {
  private pos = 0;
  constructor(
    private readonly args: readonly string[],
    private readonly interp: Interp,
  ) {}

  parse(): boolean {
    const result = this.or();
    if (this.pos < this.args.length) throw new TestError(`${this.args[this.pos] ?? ""}: unexpected operator`);
    return result;
  }

  private or(): boolean {
    let value = this.and();
    while (this.args[this.pos] === "-o") {
      this.pos++;
      const right = this.and();
      value = value || right;
    }
    return value;
  }

  private and(): boolean {
    let value = this.not();
    while (this.args[this.pos] === "-a") {
      this.pos++;
      const right = this.not();
      value = value && right;
    }
    return value;
  }

  private not(): boolean {
    if (this.args[this.pos] === "!") {
      this.pos++;
      return !this.not();
    }
    return this.primary();
  }

  private primary(): boolean {
    const arg = this.args[this.pos];
    if (arg === undefined) throw new TestError("argument expected");
    if (arg === "(") {
      this.pos++;
      const value = this.or();
      if (this.args[this.pos] !== ")") throw new TestError("closing paren expected");
      this.pos++;
      return value;
    }
    const next = this.args[this.pos + 1];
    if (next !== undefined && BINARY_OPERATORS.has(next) && this.args[this.pos + 2] !== undefined) {
      this.pos += 3;
      return binaryTest(next, arg, this.args[this.pos - 1] ?? "", this.interp);
    }
    if (UNARY_OPERATORS.has(arg) && arg !== "-a" && arg !== "-o" && next !== undefined) {
      this.pos += 2;
      return unaryTest(arg, next, this.interp);
    }
    this.pos++;
    return arg !== "";
  }
}

export function evaluateTest(args: readonly string[], interp: Interp): boolean {
  const [a = "", b = "", c = "", d = ""] = args;
  switch (args.length) {
    case 0:
      return false;
    case 1:
      return a !== "";
    case 2:
      if (a === "!") return b === "";
      if (UNARY_OPERATORS.has(a)) return unaryTest(a, b, interp);
      throw new TestError(`${a}: unary operator expected`);
    case 3:
      if (BINARY_OPERATORS.has(b)) return binaryTest(b, a, c, interp);
      if (b === "-a") return a !== "" && c !== "";
      if (b === "-o") return a !== "" || c !== "";
      if (a === "!") return !evaluateTest([b, c], interp);
      if (a === "(" && c === ")") return b !== "";
      break;
    case 4:
      if (a === "!") return !evaluateTest([b, c, d], interp);
      if (a === "(" && d === ")") return evaluateTest([b, c], interp);
      break;
  }
  return new TestParser(args, interp).parse();
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
