// bash `[[ … ]]`: operands are expanded without splitting or globbing; the
// right side of `==`/`!=` is a pattern, of `=~` an extended regular expression.
//
// Imports expansion, the shared test operators and sibling executor modules.

import type { TestClause, TestExpr } from "../ast.ts";
import { binaryTest, TestError, unaryTest } from "../builtins/test-ops.ts";
import { caretNegation, type Expansion, expandPattern, expandText, matchPattern } from "../expand/index.ts";
import type { Interp } from "./executor.ts";
import { recover, type Status, then } from "./maybe.ts";

function* evaluate(expr: TestExpr, interp: Interp): Expansion<boolean> {
  switch (expr.kind) {
    case "word":
      return (yield* expandText(expr.word, interp)) !== "";
    case "not":
      return !(yield* evaluate(expr.expr, interp));
    case "and":
      return (yield* evaluate(expr.left, interp)) && (yield* evaluate(expr.right, interp));
    case "or":
      return (yield* evaluate(expr.left, interp)) || (yield* evaluate(expr.right, interp));
    case "unary":
      return unaryTest(expr.op, yield* expandText(expr.operand, interp), interp);
    case "binary": {
      const left = yield* expandText(expr.left, interp);
      if (expr.op === "==" || expr.op === "=" || expr.op === "!=") {
        const matched = matchPattern(caretNegation(yield* expandPattern(expr.right, interp)), left, interp.textMode);
        return expr.op === "!=" ? !matched : matched;
      }
      const right = yield* expandText(expr.right, interp);
      if (expr.op === "=~") return matchRegex(interp, left, right);
      return binaryTest(expr.op, left, right, interp);
    }
  }
}

function matchRegex(interp: Interp, text: string, source: string): boolean {
  let regex: RegExp;
  try {
    regex = new RegExp(source, "u");
  } catch (error) {
    if (error instanceof SyntaxError) throw new TestError(`invalid regular expression: ${source}`);
    throw error;
  }
  const match = regex.exec(text);
  interp.setVar("BASH_REMATCH", match?.[0] ?? "");
  return match !== null;
}

export function runTestClause(interp: Interp, clause: TestClause): Status {
  interp.currentLine = clause.start.line;
  return recover(
    () => then(interp.expand(evaluate(clause.expr, interp)), (ok) => (ok ? 0 : 1)),
    (error) => {
      if (error instanceof TestError) return interp.fail(`[[: ${error.message}`, 2);
      throw error;
    },
  );
}
