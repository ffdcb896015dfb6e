// `printf format [args…]`: the format is reused until the arguments are
// consumed; conversions d i o u x X c s b e E f F g G and %%, with flags,
// `*` widths and precisions; escapes in the format; `%b` as echo's.

import { afterWrite, type BuiltinContext, defineBuiltin } from "./define.ts";
import { decodeEscapeAt, decodeEscapes } from "./escapes.ts";

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

/** A malformed format: printf stops with status 2. */
class PrintfError extends Error {}

interface Directive {
  readonly flags: string;
  readonly width: number | undefined;
  readonly precision: number | undefined;
  readonly conversion: string;
}

class Formatter {
  private index = 0;
  failed = false;
  stopped = false;

  constructor(
    private readonly ctx: BuiltinContext,
    private readonly args: readonly string[],
  ) {}

  get consumedAll(): boolean {
    return this.index >= this.args.length;
  }

  get consumedAny(): boolean {
    return this.index > 0;
  }

  private next(): string | undefined {
    return this.args[this.index++];
  }

  /** An integer argument (C's strtoimax): decimal, 0x hex, 0 octal, or 'c for a character code; clamped to 64 bits. */
  private number(text: string | undefined): bigint {
    if (text === undefined || text === "") return 0n;
    if (/^['"]/.test(text)) return BigInt(text.codePointAt(1) ?? 0);
    const m = /^\s*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)(.*)$/.exec(text);
    if (m === null || (m[3] ?? "") !== "") {
      this.ctx.fail(`${text}: ${m === null ? "expected numeric value" : "not completely converted"}`, 1);
      this.failed = true;
      if (m === null) return 0n;
    }
    const digits = m?.[2] ?? "0";
    const magnitude = BigInt(digits.length > 1 && digits.startsWith("0") && !/^0[xX]/.test(digits) ? `0o${digits.slice(1)}` : digits);
    const value = m?.[1] === "-" ? -magnitude : magnitude;
    if (value > INT64_MAX || value < INT64_MIN) {
      this.ctx.fail(`${text}: Result too large`, 1);
      this.failed = true;
      return value > 0n ? INT64_MAX : INT64_MIN;
    }
    return value;
  }

  private float(text: string | undefined): number {
    if (text === undefined || text === "") return 0;
    if (/^['"]/.test(text)) return text.codePointAt(1) ?? 0;
    const value = Number(text.trim());
    if (Number.isNaN(value)) {
      this.ctx.fail(`${text}: expected numeric value`, 1);
      this.failed = true;
      return 0;
    }
    return value;
  }

  format(format: string): string {
    let out = "";
    for (let i = 0; i < format.length && !this.stopped; i++) {
      const ch = format[i] ?? "";
      if (ch === "\\") {
        const escape = decodeEscapeAt(format, i, "format");
        if (escape.stop) {
          this.stopped = true;
          break;
        }
        out += escape.text;
        i += escape.consumed - 1;
        continue;
      }
      if (ch !== "%") {
        out += ch;
        continue;
      }
      const m = /^%([-+ #0]*)(\*|\d+)?(?:\.(\*|\d*))?([diouxXcsbeEfFgGaA%])/.exec(format.slice(i));
      if (m === null) {
        const bad = /^%[-+ #0]*(?:\*|\d+)?(?:\.(?:\*|\d*))?(.?)/.exec(format.slice(i));
        throw new PrintfError(`%${bad?.[1] ?? ""}: invalid directive`);
      }
      i += m[0].length - 1;
      const width = m[2] === "*" ? Number(this.number(this.next())) : m[2] === undefined ? undefined : Number(m[2]);
      const precision = m[3] === "*" ? Number(this.number(this.next())) : m[3] === undefined ? undefined : Number(m[3] || "0");
      out += this.convert({ flags: m[1] ?? "", width, precision, conversion: m[4] ?? "s" });
    }
    return out;
  }

  private convert(d: Directive): string {
    let flags = d.flags;
    let width = d.width;
    if (width !== undefined && width < 0) {
      flags += "-";
      width = -width;
    }
    let body: string;
    switch (d.conversion) {
      case "%":
        return "%";
      case "s":
        body = this.next() ?? "";
        if (d.precision !== undefined) body = body.slice(0, d.precision);
        break;
      case "b": {
        const decoded = decodeEscapes(this.next() ?? "", "b");
        if (decoded.stop) this.stopped = true;
        body = d.precision !== undefined ? decoded.text.slice(0, d.precision) : decoded.text;
        break;
      }
      case "c": {
        const arg = this.next();
        // An empty argument prints a NUL byte (dash); no argument prints nothing.
        body = arg === undefined ? "" : arg === "" ? "\0" : arg.slice(0, 1);
        break;
      }
      case "d":
      case "i":
        body = integer(this.number(this.next()), 10, flags, d.precision);
        break;
      case "o":
      case "u":
      case "x":
      case "X": {
        const signed = this.number(this.next());
        // Unsigned conversions show a negative number as its 64-bit two's complement.
        const n = BigInt.asUintN(64, signed);
        body = integer(n, d.conversion === "o" ? 8 : d.conversion === "u" ? 10 : 16, flags, d.precision);
        if (d.conversion === "X") body = body.toUpperCase();
        if (flags.includes("#") && n !== 0n) body = d.conversion === "o" ? `0${body}` : d.conversion === "x" ? `0x${body}` : d.conversion === "X" ? `0X${body}` : body;
        break;
      }
      default:
        body = floating(this.float(this.next()), d.conversion, flags, d.precision);
    }
    return pad(body, width, flags, "diouxXeEfFgGaA".includes(d.conversion));
  }
}

function integer(n: bigint, base: number, flags: string, precision: number | undefined): string {
  let digits = (n < 0n ? -n : n).toString(base);
  if (precision !== undefined) digits = precision === 0 && n === 0n ? "" : digits.padStart(precision, "0");
  const sign = n < 0n ? "-" : flags.includes("+") ? "+" : flags.includes(" ") ? " " : "";
  return sign + digits;
}

function floating(n: number, conversion: string, flags: string, precision: number | undefined): string {
  const p = precision ?? 6;
  let body: string;
  const lower = conversion.toLowerCase();
  if (!Number.isFinite(n)) body = Number.isNaN(n) ? "nan" : n < 0 ? "-inf" : "inf";
  else if (lower === "f") body = n.toFixed(p);
  else if (lower === "e") body = n.toExponential(p).replace(/e([+-])(\d)$/, "e$10$2");
  else if (lower === "g") {
    const significant = p === 0 ? 1 : p;
    const exponent = n === 0 ? 0 : Math.floor(Math.log10(Math.abs(n)));
    if (exponent < -4 || exponent >= significant) body = n.toExponential(significant - 1).replace(/e([+-])(\d)$/, "e$10$2");
    else body = n.toFixed(Math.max(0, significant - 1 - exponent));
    if (!flags.includes("#")) body = body.replace(/\.?0+(e|$)/, "$1");
  } else body = n.toString(16);
  if (conversion === conversion.toUpperCase()) body = body.toUpperCase();
  if (n >= 0 && !body.startsWith("-")) body = (flags.includes("+") ? "+" : flags.includes(" ") ? " " : "") + body;
  return body;
}

function pad(body: string, width: number | undefined, flags: string, numeric: boolean): string {
  if (width === undefined || body.length >= width) return body;
  if (flags.includes("-")) return body.padEnd(width);
  if (numeric && flags.includes("0")) {
    const sign = /^[+\- ]/.test(body) ? body.slice(0, 1) : "";
    const prefix = /^[+\- ]?0[xX]/.test(body) ? body.slice(0, sign.length + 2) : sign;
    return prefix + body.slice(prefix.length).padStart(width - prefix.length, "0");
  }
  return body.padStart(width);
}

export const printf = defineBuiltin({
  name: "printf",
  // No options, as in dash: `printf -v x …` is an illegal option (bash's -v is not kept).
  flags: {},
  run(ctx, { operands }) {
    const args = operands;
    const format = args[0];
    if (format === undefined) return ctx.fail("usage: printf format [arg ...]", 2);
    const formatter = new Formatter(ctx, args.slice(1));
    let out: string;
    try {
      out = formatter.format(format);
      // Reuse the format while arguments remain (and it consumed some).
      while (!formatter.consumedAll && formatter.consumedAny && !formatter.stopped) out += formatter.format(format);
    } catch (error) {
      if (error instanceof PrintfError) return ctx.fail(error.message, 2);
      throw error;
    }
    return afterWrite(ctx.out(out), formatter.failed ? 1 : 0);
  },
});
