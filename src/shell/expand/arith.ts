// Arithmetic expansion `$((…))` (XCU 2.6.4): a tokenizer, a precedence-climbing
// parser to a small tree (memoized by expression text), and an evaluator over
// signed 64-bit integers with the C operator set, assignments and `++`/`--`.
//
// Imports only `env.ts` (no executor, no AST beyond it).

import { ExpansionError } from "./env.ts";
import { type ArithOps, throwDashFirstError, type Token, type Value } from "./arith-dash-order.ts";

/** What arithmetic needs from the shell: read and assign named variables. */
export interface ArithVars {
  get(name: string): string | undefined;
  set(name: string, value: string): void;
  readonly nounset?: boolean;
}

type Node =
  | { readonly k: "num"; readonly v: bigint }
  | { readonly k: "var"; readonly name: string }
  | { readonly k: "unary"; readonly op: string; readonly e: Node }
  | { readonly k: "binary"; readonly op: string; readonly l: Node; readonly r: Node }
  | { readonly k: "cond"; readonly c: Node; readonly t: Node; readonly f: Node }
  | { readonly k: "assign"; readonly op: string; readonly name: string; readonly e: Node }
  | { readonly k: "incr"; readonly prefix: boolean; readonly delta: bigint; readonly name: string };

// A token's `bad`: a character no token starts with (`$`, `[`, a quote): dash's lexer gives it to the parser, which then says what it expected there.

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/** The longest C constant at the start of `text` (strtoimax with base 0), as dash's lexer reads a number. */
const C_CONSTANT_PREFIX = /^(?:0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/;

// Longest first so `<<=` wins over `<<` and `<`.
const OPERATORS = [
  "<<=", ">>=", "**",
  "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "++", "--",
  "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=",
  "+", "-", "*", "/", "%", "<", ">", "&", "|", "^", "~", "!", "?", ":", "=", "(", ")", ",",
];

const BINARY_PRECEDENCE: ReadonlyMap<string, number> = new Map([
  ["||", 1], ["&&", 2], ["|", 3], ["^", 4], ["&", 5],
  ["==", 6], ["!=", 6],
  ["<", 7], ["<=", 7], [">", 7], [">=", 7],
  ["<<", 8], [">>", 8],
  ["+", 9], ["-", 9],
  ["*", 10], ["/", 10], ["%", 10],
  ["**", 11],
]);

const ASSIGN_OPS = new Set(["=", "+=", "-=", "*=", "/=", "%=", "<<=", ">>=", "&=", "|=", "^="]);

function fail(reason: string, source: string): never {
  throw new ExpansionError(`arithmetic expression: ${reason}: "${source}"`);
}

/** Parse an integer constant: decimal, `0x` hex, leading-`0` octal, or bash's `base#digits`. */
export function parseArithNumber(text: string): bigint | undefined {
  const m = /^(?:0[xX]([0-9a-fA-F]+)|0([0-7]*)|([1-9][0-9]*)|([0-9]+)#([0-9a-zA-Z@_]+))$/.exec(text);
  if (m === null) return undefined;
  if (m[1] !== undefined) return BigInt(`0x${m[1]}`);
  if (m[2] !== undefined) return m[2] === "" ? 0n : BigInt(`0o${m[2]}`);
  if (m[3] !== undefined) return BigInt(m[3]);
  const base = Number(m[4]);
  if (base < 2 || base > 64) return undefined;
  let value = 0n;
  for (const ch of m[5] ?? "") {
    const d = digitValue(ch, base);
    if (d === undefined || d >= base) return undefined;
    value = value * BigInt(base) + BigInt(d);
  }
  return value;
}

function digitValue(ch: string, base: number): number | undefined {
  if (ch >= "0" && ch <= "9") return ch.charCodeAt(0) - 48;
  if (ch >= "a" && ch <= "z") return ch.charCodeAt(0) - 97 + 10;
  if (ch >= "A" && ch <= "Z") return base <= 36 ? ch.charCodeAt(0) - 65 + 10 : ch.charCodeAt(0) - 65 + 36;
  if (ch === "@") return 62;
  if (ch === "_") return 63;
  return undefined;
}

/** `increments`: read `++`/`--` as bash's operators; without, as two signs each (dash has no `++`). */
function tokenize(source: string, increments: boolean): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i] ?? "";
    if (ch === " " || ch === "\t" || ch === "\n" || ch === "\r") {
      i++;
      continue;
    }
    if (ch >= "0" && ch <= "9") {
      let j = i + 1;
      while (j < source.length && /[0-9a-zA-Z_#@]/.test(source[j] ?? "")) j++;
      let text = source.slice(i, j);
      let v = parseArithNumber(text);
      if (v === undefined) {
        // Not one constant (`08`, `1e3`, `0x`): as in dash, the constant that starts it is
        // the token and the rest is read on (then the parser says what it expected).
        text = C_CONSTANT_PREFIX.exec(text)?.[0] ?? text.slice(0, 1);
        v = parseArithNumber(text) ?? 0n;
      }
      // strtoimax saturates: a constant past 64 bits is the largest one, as in dash.
      if (!text.includes("#") && v > INT64_MAX) v = INT64_MAX;
      tokens.push({ t: "num", v });
      i += text.length;
      continue;
    }
    if (/[a-zA-Z_]/.test(ch)) {
      let j = i + 1;
      while (j < source.length && /[a-zA-Z0-9_]/.test(source[j] ?? "")) j++;
      tokens.push({ t: "id", v: source.slice(i, j) });
      i = j;
      continue;
    }
    let op = OPERATORS.find((o) => source.startsWith(o, i));
    if (op === undefined) {
      tokens.push({ t: "bad", v: ch });
      i++;
      continue;
    }
    // `++`/`--` only next to a variable; `3--2` is 3 - -2, as in dash.
    if ((op === "++" || op === "--") && (!increments || (tokens[tokens.length - 1]?.t !== "id" && !/^\s*[a-zA-Z_]/.test(source.slice(i + 2))))) op = op.slice(1);
    tokens.push({ t: "op", v: op });
    i += op.length;
  }
  return tokens;
}

class ArithParser {
  private pos = 0;
  constructor(private readonly tokens: readonly Token[], private readonly source: string) {}

  parseAll(): Node {
    // `$(( ))` is an error in dash (bash gives 0).
    if (this.tokens.length === 0) fail("expecting primary", this.source);
    const node = this.comma();
    // dash's messages say what was expected where the expression went wrong.
    if (this.tokens[this.pos] !== undefined) fail("expecting EOF", this.source);
    return node;
  }

  private peekOp(): string | undefined {
    const t = this.tokens[this.pos];
    return t !== undefined && t.t === "op" ? t.v : undefined;
  }

  private expect(op: string): void {
    if (this.peekOp() !== op) fail(`expecting '${op}'`, this.source);
    this.pos++;
  }

  private comma(): Node {
    let node = this.assignment();
    while (this.peekOp() === ",") {
      this.pos++;
      node = { k: "binary", op: ",", l: node, r: this.assignment() };
    }
    return node;
  }

  private assignment(): Node {
    const t = this.tokens[this.pos];
    const next = this.tokens[this.pos + 1];
    if (t !== undefined && t.t === "id" && next !== undefined && next.t === "op" && ASSIGN_OPS.has(next.v)) {
      this.pos += 2;
      return { k: "assign", op: next.v, name: t.v, e: this.assignment() };
    }
    return this.conditional();
  }

  private conditional(): Node {
    const c = this.binary(1);
    if (this.peekOp() !== "?") return c;
    this.pos++;
    const t = this.comma();
    this.expect(":");
    // C's and dash's grammar: the branch after `:` is a conditional, so `1 ? 2 : x = 3` is an error.
    const f = this.conditional();
    return { k: "cond", c, t, f };
  }

  private binary(minPrecedence: number): Node {
    let left = this.unary();
    for (;;) {
      const op = this.peekOp();
      const precedence = op === undefined ? undefined : BINARY_PRECEDENCE.get(op);
      if (op === undefined || precedence === undefined || precedence < minPrecedence) return left;
      this.pos++;
      // `**` is right-associative, the rest left-associative.
      const right = this.binary(op === "**" ? precedence : precedence + 1);
      left = { k: "binary", op, l: left, r: right };
    }
  }

  private unary(): Node {
    const op = this.peekOp();
    if (op === "++" || op === "--") {
      this.pos++;
      const t = this.tokens[this.pos];
      if (t === undefined || t.t !== "id") fail(`"${op}" needs a variable`, this.source);
      this.pos++;
      return { k: "incr", prefix: true, delta: op === "++" ? 1n : -1n, name: t.v };
    }
    if (op === "+" || op === "-" || op === "!" || op === "~") {
      this.pos++;
      return { k: "unary", op, e: this.unary() };
    }
    return this.postfix();
  }

  private postfix(): Node {
    const t = this.tokens[this.pos];
    if (t === undefined) fail("expecting primary", this.source);
    this.pos++;
    if (t.t === "num") return { k: "num", v: t.v };
    if (t.t === "id") {
      const op = this.peekOp();
      if (op === "++" || op === "--") {
        this.pos++;
        return { k: "incr", prefix: false, delta: op === "++" ? 1n : -1n, name: t.v };
      }
      return { k: "var", name: t.v };
    }
    if (t.t === "op" && t.v === "(") {
      const inner = this.comma();
      this.expect(")");
      return inner;
    }
    return fail("expecting primary", this.source);
  }
}

// A pure memo of parsed expressions keyed by their text (loops re-evaluate the
// same text); bounded so a script generating endless distinct texts cannot grow it.
const parsedCache = new Map<string, Node>();
const PARSED_CACHE_LIMIT = 4096;

function parseExpression(source: string): Node {
  const cached = parsedCache.get(source);
  if (cached !== undefined) return cached;
  const node = parseAsDashFirst(source);
  if (parsedCache.size >= PARSED_CACHE_LIMIT) parsedCache.clear();
  parsedCache.set(source, node);
  return node;
}

/**
 * dash reads `--x` as -(-x) and `x--2` as x - -2: where that reading parses,
 * it is the one taken (the compatibility rule), and bash's `++`/`--`
 * operators only where it does not (`x++`, `++x;` alone are dash syntax errors).
 */
function parseAsDashFirst(source: string): Node {
  if (!source.includes("++") && !source.includes("--")) return new ArithParser(tokenize(source, true), source).parseAll();
  try {
    return new ArithParser(tokenize(source, false), source).parseAll();
  } catch (dashError) {
    if (!(dashError instanceof ExpansionError)) throw dashError;
    try {
      return new ArithParser(tokenize(source, true), source).parseAll();
    } catch (bashError) {
      if (bashError instanceof ExpansionError) throw dashError;
      throw bashError;
    }
  }
}

/** Whether an expression reads or writes a variable (a variable's value may not, see `Evaluator.read`). */
function usesNames(node: Node): boolean {
  switch (node.k) {
    case "num":
      return false;
    case "var":
    case "assign":
    case "incr":
      return true;
    case "unary":
      return usesNames(node.e);
    case "binary":
      return usesNames(node.l) || usesNames(node.r);
    case "cond":
      return usesNames(node.c) || usesNames(node.t) || usesNames(node.f);
  }
}

/**
 * Values are doubles while they are exact (|v| < 2^53) — the common case and
 * much cheaper — and become BigInt (wrapping at 64 bits, like C's intmax_t)
 * when an operation would leave that range.
 */
function isZero(v: Value): boolean {
  return v === 0 || v === 0n;
}

function narrow(v: bigint): Value {
  return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
}

function parseValue(text: string): Value | undefined {
  // Short decimal numbers, the usual content of a counter, need no BigInt.
  if (text.length < 16 && /^-?(?:0|[1-9][0-9]*)$/.test(text)) return Number(text);
  const big = parseArithNumber(text);
  return big === undefined ? undefined : narrow(big);
}

/** A variable's number past 64 bits is dash's "Illegal number" (its strtoimax sets ERANGE). */
function inRange(v: Value, text: string): Value {
  if (typeof v === "bigint" && (v > INT64_MAX || v < INT64_MIN)) throw new ExpansionError(`Illegal number: ${text}`);
  return v;
}

class Evaluator implements ArithOps {
  constructor(
    private readonly vars: ArithVars,
    private readonly source: string,
  ) {}

  read(name: string): Value {
    const text = this.vars.get(name);
    // An unset variable is 0 even under `set -u`, as in dash.
    if (text === undefined) return 0;
    const direct = parseValue(text);
    if (direct !== undefined) return inRange(direct, text);
    const trimmed = text.trim();
    if (trimmed === "") return 0;
    const plain = parseValue(trimmed);
    if (plain !== undefined) return inRange(plain, text);
    const signed = /^([-+])\s*(\S+)$/.exec(trimmed);
    if (signed !== null) {
      const magnitude = parseArithNumber(signed[2] ?? "");
      if (magnitude !== undefined) return inRange(narrow(signed[1] === "-" ? -magnitude : magnitude), text);
    }
    // A variable holding an expression of constants (x='2+3') is evaluated as one, an extension
    // DESIGN §6 keeps (bash does it; dash says "Illegal number"). Names inside the value are
    // not followed (b=a; $((b)) fails as in dash): no chains of variables, and no assignments
    // hidden in data.
    let node: Node;
    try {
      node = parseExpression(trimmed);
    } catch (error) {
      if (error instanceof ExpansionError) throw new ExpansionError(`Illegal number: ${text}`);
      throw error;
    }
    if (usesNames(node)) throw new ExpansionError(`Illegal number: ${text}`);
    return new Evaluator(this.vars, trimmed).eval(node);
  }

  write(name: string, value: Value): Value {
    this.vars.set(name, value.toString());
    return value;
  }

  eval(node: Node): Value {
    switch (node.k) {
      case "num":
        return narrow(node.v);
      case "var":
        return this.read(node.name);
      case "unary":
        return this.unary(node.op, this.eval(node.e));
      case "incr": {
        const old = this.read(node.name);
        const updated = this.apply("+", old, node.delta === 1n ? 1 : -1);
        this.write(node.name, updated);
        return node.prefix ? updated : old;
      }
      case "cond":
        return !isZero(this.eval(node.c)) ? this.eval(node.t) : this.eval(node.f);
      case "assign": {
        const rhs = this.eval(node.e);
        const value = node.op === "=" ? rhs : this.apply(node.op.slice(0, -1), this.read(node.name), rhs);
        return this.write(node.name, value);
      }
      case "binary": {
        if (node.op === "&&") return !isZero(this.eval(node.l)) && !isZero(this.eval(node.r)) ? 1 : 0;
        if (node.op === "||") return !isZero(this.eval(node.l)) || !isZero(this.eval(node.r)) ? 1 : 0;
        if (node.op === ",") {
          this.eval(node.l);
          return this.eval(node.r);
        }
        const l = this.eval(node.l);
        return this.apply(node.op, l, this.eval(node.r));
      }
    }
  }

  unary(op: string, v: Value): Value {
    switch (op) {
      case "-": return typeof v === "number" ? 0 - v : narrow(BigInt.asIntN(64, -v));
      case "!": return isZero(v) ? 1 : 0;
      case "~": return typeof v === "number" ? -v - 1 : narrow(BigInt.asIntN(64, ~v));
      default: return v;
    }
  }

  apply(op: string, l: Value, r: Value): Value {
    if (typeof l === "number" && typeof r === "number") {
      let v: number | undefined;
      switch (op) {
        case "+": v = l + r; break;
        case "-": v = l - r; break;
        case "*": v = l * r; break;
        case "/":
          if (r === 0) fail("division by zero", this.source);
          v = Math.trunc(l / r);
          break;
        case "%":
          if (r === 0) fail("division by zero", this.source);
          v = l % r;
          break;
        case "==": return l === r ? 1 : 0;
        case "!=": return l !== r ? 1 : 0;
        case "<": return l < r ? 1 : 0;
        case "<=": return l <= r ? 1 : 0;
        case ">": return l > r ? 1 : 0;
        case ">=": return l >= r ? 1 : 0;
      }
      if (v !== undefined && Number.isSafeInteger(v)) return v === 0 ? 0 : v;
    }
    return narrow(this.applyBig(op, BigInt(l), BigInt(r)));
  }

  private applyBig(op: string, l: bigint, r: bigint): bigint {
    switch (op) {
      case "+": return BigInt.asIntN(64, l + r);
      case "-": return BigInt.asIntN(64, l - r);
      case "*": return BigInt.asIntN(64, l * r);
      case "/":
        if (r === 0n) fail("division by zero", this.source);
        return BigInt.asIntN(64, l / r);
      case "%":
        if (r === 0n) fail("division by zero", this.source);
        return l % r;
      case "**":
        if (r < 0n) fail("exponent less than 0", this.source);
        return BigInt.asIntN(64, l ** r);
      case "<<": return BigInt.asIntN(64, l << (r & 63n));
      case ">>": return l >> (r & 63n);
      case "&": return l & r;
      case "|": return l | r;
      case "^": return l ^ r;
      case "==": return l === r ? 1n : 0n;
      case "!=": return l !== r ? 1n : 0n;
      case "<": return l < r ? 1n : 0n;
      case "<=": return l <= r ? 1n : 0n;
      case ">": return l > r ? 1n : 0n;
      case ">=": return l >= r ? 1n : 0n;
      default: return fail(`unknown operator "${op}"`, this.source);
    }
  }
}

/** Evaluate an (already parameter-expanded) arithmetic expression; throws `ExpansionError`. */
export function evaluateArithmetic(source: string, vars: ArithVars): number | bigint {
  const evaluator = new Evaluator(vars, source);
  let node: Node;
  try {
    node = parseExpression(source);
  } catch (error) {
    // dash evaluates as it parses: an error before the syntax error is the one it reports.
    if (error instanceof ExpansionError) throwDashFirstError(tokenize(source, false), evaluator);
    throw error;
  }
  return evaluator.eval(node);
}
