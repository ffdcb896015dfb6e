// Which error dash reports when an arithmetic expression has more than one.
// dash evaluates while it parses (arith.c): a variable is read as soon as it
// is parsed and an operator applied as soon as its right operand ends, so in
// `x=abc; $((x ? 1))` the `Illegal number: abc` comes before the missing `:`
// is seen, and in `$((1 / 0 ?))` the division by zero does. rushd parses
// first (arith.ts); when that parse fails, this walks the same tokens as
// dash does, evaluating, and throws the evaluation error met before the
// syntax error, if there is one. It stops silently at the syntax error, and
// the caller reports that.
//
// Imports nothing: the evaluation is arith.ts's, passed in.

export type Value = number | bigint;

export type Token =
  | { readonly t: "num"; readonly v: bigint }
  | { readonly t: "id"; readonly v: string }
  | { readonly t: "op"; readonly v: string }
  | { readonly t: "bad"; readonly v: string };

/** What evaluating needs, from arith.ts's evaluator (its errors are dash's). */
export interface ArithOps {
  read(name: string): Value;
  write(name: string, value: Value): Value;
  apply(op: string, l: Value, r: Value): Value;
  unary(op: string, v: Value): Value;
}

/** dash's binary operators below `&&` (arith.c's binop), C precedence. */
const DASH_BINARY: ReadonlyMap<string, number> = new Map([
  ["|", 3], ["^", 4], ["&", 5],
  ["==", 6], ["!=", 6],
  ["<", 7], ["<=", 7], [">", 7], [">=", 7],
  ["<<", 8], [">>", 8],
  ["+", 9], ["-", 9],
  ["*", 10], ["/", 10], ["%", 10],
]);

const DASH_ASSIGN = new Set(["=", "+=", "-=", "*=", "/=", "%=", "<<=", ">>=", "&=", "|=", "^="]);

/** The syntax error: where dash would stop too. */
class Stop extends Error {}

function isZero(v: Value): boolean {
  return v === 0 || v === 0n;
}

/** Throw the error dash meets before the expression's syntax error, if any (the tokens must not parse). */
export function throwDashFirstError(tokens: readonly Token[], ops: ArithOps): void {
  try {
    new DashOrderWalk(tokens, ops).assignment(false);
  } catch (error) {
    // An ExpansionError here is the evaluation error dash reports first.
    if (error instanceof Stop) return;
    throw error;
  }
}

class DashOrderWalk {
  private pos = 0;
  constructor(
    private readonly tokens: readonly Token[],
    private readonly ops: ArithOps,
  ) {}

  private peekOp(): string | undefined {
    const t = this.tokens[this.pos];
    return t !== undefined && t.t === "op" ? t.v : undefined;
  }

  assignment(noeval: boolean): Value {
    const t = this.tokens[this.pos];
    const next = this.tokens[this.pos + 1];
    if (t === undefined || t.t !== "id" || next === undefined || next.t !== "op" || !DASH_ASSIGN.has(next.v)) return this.cond(noeval);
    this.pos += 2;
    const rhs = this.assignment(noeval);
    if (noeval) return rhs;
    return this.ops.write(t.v, next.v === "=" ? rhs : this.ops.apply(next.v.slice(0, -1), this.ops.read(t.v), rhs));
  }

  private cond(noeval: boolean): Value {
    const a = this.logical("||", noeval);
    if (this.peekOp() !== "?") return a;
    this.pos++;
    const b = this.assignment(noeval || isZero(a));
    if (this.peekOp() !== ":") throw new Stop();
    this.pos++;
    const c = this.cond(noeval || !isZero(a));
    return isZero(a) ? c : b;
  }

  /** `||` over `&&` over the other binary operators; the right side of a decided one is not evaluated. */
  private logical(op: "||" | "&&", noeval: boolean): Value {
    const a = op === "||" ? this.logical("&&", noeval) : this.binary(0, noeval);
    if (this.peekOp() !== op) return a;
    this.pos++;
    const decided = op === "||" ? !isZero(a) : isZero(a);
    const b = this.logical(op, noeval || decided);
    return op === "||" ? (!isZero(a) || !isZero(b) ? 1 : 0) : !isZero(a) && !isZero(b) ? 1 : 0;
  }

  private binary(minPrecedence: number, noeval: boolean): Value {
    let left = this.primary(noeval);
    for (;;) {
      const op = this.peekOp();
      const precedence = op === undefined ? undefined : DASH_BINARY.get(op);
      if (op === undefined || precedence === undefined || precedence < minPrecedence) return left;
      this.pos++;
      const right = this.binary(precedence + 1, noeval);
      left = noeval ? right : this.ops.apply(op, left, right);
    }
  }

  private primary(noeval: boolean): Value {
    const t = this.tokens[this.pos];
    if (t === undefined) throw new Stop();
    this.pos++;
    if (t.t === "num") return t.v <= 9007199254740991n && t.v >= -9007199254740991n ? Number(t.v) : t.v;
    if (t.t === "id") return noeval ? 0 : this.ops.read(t.v);
    if (t.t !== "op") throw new Stop();
    switch (t.v) {
      case "(": {
        const inner = this.assignment(noeval);
        if (this.peekOp() !== ")") throw new Stop();
        this.pos++;
        return inner;
      }
      case "+":
        return this.primary(noeval);
      case "-":
      case "!":
      case "~": {
        const v = this.primary(noeval);
        return noeval ? v : this.ops.unary(t.v, v);
      }
      default:
        throw new Stop();
    }
  }
}
