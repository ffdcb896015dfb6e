// How dash's printf reads a numeric operand: C's strtoimax / strtoumax
// (base 0: decimal, 0x hex, leading-0 octal) for integer conversions and
// strtod for floating ones, a leading quote giving a character's code, and
// check_conversion's three complaints. The value is used even when it is
// complained about (`printf %d 12abc` prints 12, status 1).

export interface Operand<T> {
  readonly value: T;
  /** What dash prints after `printf: <operand>: `, if anything. */
  readonly problem?: string;
}

const OUT_OF_RANGE = "Numerical result out of range";
const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;
const C_SPACE = /^[ \t\n\v\f\r]*/;

/** `'c` / `"c`: the code of c (a character, or a byte where `charCode` says so); undefined if not quoted. */
function quoted(text: string, charCode: (text: string) => number): number | undefined {
  return text.startsWith("'") || text.startsWith('"') ? charCode(text.slice(1)) : undefined;
}

/** The part the rest of the operand did not convert: dash's two messages. */
function leftover(rest: string, consumedAny: boolean): string | undefined {
  if (rest === "") return undefined;
  return consumedAny ? "not completely converted" : "expected numeric value";
}

/**
 * An integer operand. Signed (`%d %i`, widths): clamped to 64 bits.
 * Unsigned (`%o %u %x %X`): a magnitude up to 2^64-1, negated modulo 2^64
 * when it has a minus sign (`-1` is 18446744073709551615), as strtoumax does.
 */
export function integerOperand(text: string, unsigned: boolean, charCode: (text: string) => number): Operand<bigint> {
  const code = quoted(text, charCode);
  if (code !== undefined) return { value: BigInt(code) };
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/.exec(text.slice(C_SPACE.exec(text)?.[0].length ?? 0));
  if (m === null) return { value: 0n, problem: leftover(text, false) };
  const spaces = C_SPACE.exec(text)?.[0].length ?? 0;
  const problem = leftover(text.slice(spaces + m[0].length), true);
  const digits = m[2] ?? "0";
  const magnitude = BigInt(digits.length > 1 && digits.startsWith("0") && !/^0[xX]/.test(digits) ? `0o${digits.slice(1)}` : digits);
  const negative = m[1] === "-";
  if (unsigned) {
    if (magnitude > UINT64_MAX) return { value: UINT64_MAX, problem: problem ?? OUT_OF_RANGE };
    return { value: negative ? BigInt.asUintN(64, -magnitude) : magnitude, problem };
  }
  const value = negative ? -magnitude : magnitude;
  if (value > INT64_MAX) return { value: INT64_MAX, problem: problem ?? OUT_OF_RANGE };
  if (value < INT64_MIN) return { value: INT64_MIN, problem: problem ?? OUT_OF_RANGE };
  return { value, problem };
}

const SMALLEST_NORMAL = 2.2250738585072014e-308;
const FLOAT_PREFIX = /^[+-]?(?:inf(?:inity)?|nan|0x(?:[0-9a-f]+\.?[0-9a-f]*|\.[0-9a-f]+)(?:p[+-]?\d+)?|(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)/i;

/** A hexadecimal float (`0x1.8p3`), which Number() does not read. */
function hexFloat(text: string): number {
  const m = /^([+-]?)0x([0-9a-f]*)\.?([0-9a-f]*)(?:p([+-]?\d+))?$/i.exec(text);
  if (m === null) return Number.NaN;
  const fraction = m[3] ?? "";
  const mantissa = parseInt(`${m[2] ?? ""}${fraction}` || "0", 16);
  const value = mantissa * 2 ** (Number(m[4] ?? "0") - 4 * fraction.length);
  return m[1] === "-" ? -value : value;
}

/** A floating operand (`%e %f %g %a`), as strtod reads it; overflow and underflow are out of range. */
export function floatOperand(text: string, charCode: (text: string) => number): Operand<number> {
  const code = quoted(text, charCode);
  if (code !== undefined) return { value: code };
  const spaces = C_SPACE.exec(text)?.[0].length ?? 0;
  const m = FLOAT_PREFIX.exec(text.slice(spaces));
  if (m === null) return { value: 0, problem: leftover(text, false) };
  const literal = m[0];
  const unsignedPart = literal.replace(/^[+-]/, "").toLowerCase();
  let value: number;
  if (unsignedPart.startsWith("inf")) value = Number.POSITIVE_INFINITY;
  else if (unsignedPart === "nan") value = Number.NaN;
  else value = unsignedPart.startsWith("0x") ? Math.abs(hexFloat(literal)) : Number(unsignedPart);
  if (literal.startsWith("-")) value = -value;
  const problem = leftover(text.slice(spaces + literal.length), true);
  const magnitude = Math.abs(value);
  const nonzeroDigits = /[1-9a-f]/i.test(unsignedPart.replace(/^0x/, "").replace(/[ep][+-]?\d+$/i, ""));
  const outOfRange = (magnitude === Number.POSITIVE_INFINITY && !unsignedPart.startsWith("inf")) || (magnitude < SMALLEST_NORMAL && nonzeroDigits);
  return { value, problem: problem ?? (outOfRange ? OUT_OF_RANGE : undefined) };
}
