// `printf format [args…]`: the format is reused until the arguments are
// consumed; conversions d i o u x X c s b e E f F g G and %%, with flags,
// `*` widths and precisions; escapes in the format; `%b` as echo's.

import { afterWrite, type BuiltinContext, defineBuiltin } from "./define.ts";
import { then } from "../exec/maybe.ts";
import { byteView, fromByteView } from "../text-mode.ts";
import { decodeEscapeAt, decodeEscapes } from "./escapes.ts";
import { formatFloat } from "./printf-float.ts";
import { floatOperand, integerOperand, type Operand } from "./printf-operands.ts";

/** A malformed format: printf prints what it has so far, then stops with status 2. */
class PrintfError extends Error {}

interface Directive {
  readonly flags: string;
  readonly width: number | undefined;
  readonly precision: number | undefined;
  readonly conversion: string;
}

const DIRECTIVE = /^%([-+ #0]*)(\*|\d+)?(?:\.(\*|\d*))?(.?)/;
const CONVERSIONS = "diouxXcsbeEfFgGaA";

class Formatter {
  private index = 0;
  /** What the format has produced so far (printed even when a later directive is invalid). */
  out = "";
  failed = false;
  stopped = false;

  constructor(
    private readonly ctx: BuiltinContext,
    private readonly args: readonly string[],
    private readonly charCode: (text: string) => number,
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

  private complain<T>(text: string, operand: Operand<T>): T {
    if (operand.problem !== undefined) {
      this.ctx.fail(`${text}: ${operand.problem}`, 1);
      this.failed = true;
    }
    return operand.value;
  }

  private integer(unsigned: boolean): bigint {
    const text = this.next();
    return text === undefined ? 0n : this.complain(text, integerOperand(text, unsigned, this.charCode));
  }

  private float(): number {
    const text = this.next();
    return text === undefined ? 0 : this.complain(text, floatOperand(text, this.charCode));
  }

  format(format: string): void {
    for (let i = 0; i < format.length && !this.stopped; i++) {
      const ch = format[i] ?? "";
      if (ch === "\\") {
        const escape = decodeEscapeAt(format, i, "format");
        if (escape.stop) {
          this.stopped = true;
          break;
        }
        this.out += escape.text;
        i += escape.consumed - 1;
        continue;
      }
      if (ch !== "%") {
        this.out += ch;
        continue;
      }
      const m = DIRECTIVE.exec(format.slice(i));
      const conversion = m?.[4] ?? "";
      if (m === null || conversion === "") throw new PrintfError("missing format character");
      i += m[0].length - 1;
      // `%%` takes no flags, width or precision (`%5%` is invalid in dash).
      if (m[0] === "%%") {
        this.out += "%";
        continue;
      }
      if (!CONVERSIONS.includes(conversion)) throw new PrintfError(`${m[0]}: invalid directive`);
      const width = m[2] === "*" ? Number(this.integer(false)) : m[2] === undefined ? undefined : Number(m[2]);
      // A negative `*` precision is taken as none, as in C.
      const starPrecision = m[3] === "*" ? Number(this.integer(false)) : undefined;
      const precision = starPrecision !== undefined ? (starPrecision < 0 ? undefined : starPrecision) : m[3] === undefined ? undefined : Number(m[3] || "0");
      this.out += this.convert({ flags: m[1] ?? "", width, precision, conversion });
    }
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
        // No argument, or an empty one, prints a NUL byte (dash).
        body = arg === undefined || arg === "" ? "\0" : String.fromCodePoint(arg.codePointAt(0) ?? 0);
        break;
      }
      case "d":
      case "i":
        body = integer(this.integer(false), 10, flags, d.precision, true);
        break;
      case "o":
      case "u":
      case "x":
      case "X": {
        // Read as strtoumax does: `-1` is 2^64-1, up to 2^64-1 fits.
        const n = this.integer(true);
        body = integer(n, d.conversion === "o" ? 8 : d.conversion === "u" ? 10 : 16, flags, d.precision, false);
        if (d.conversion === "X") body = body.toUpperCase();
        // `#`: octal starts with a 0 (even `%#.0o` of 0 prints "0"), hex gets 0x unless it is 0.
        if (flags.includes("#")) {
          if (d.conversion === "o" && !body.startsWith("0")) body = `0${body}`;
          else if (n !== 0n && d.conversion === "x") body = `0x${body}`;
          else if (n !== 0n && d.conversion === "X") body = `0X${body}`;
        }
        break;
      }
      default:
        body = formatFloat(this.float(), d.conversion, flags, d.precision);
    }
    // glibc pads inf and nan with spaces even under the `0` flag, and integers given a precision too.
    const zeroPads = "eEfFgGaA".includes(d.conversion) ? !/[a-z]{3}$/i.test(body) : "diouxX".includes(d.conversion) && d.precision === undefined;
    return pad(body, width, flags, zeroPads);
  }
}

/** Digits of an integer conversion; `+` and ` ` apply to signed ones only, as in C. */
function integer(n: bigint, base: number, flags: string, precision: number | undefined, signed: boolean): string {
  let digits = (n < 0n ? -n : n).toString(base);
  if (precision !== undefined) digits = precision === 0 && n === 0n ? "" : digits.padStart(precision, "0");
  const sign = n < 0n ? "-" : !signed ? "" : flags.includes("+") ? "+" : flags.includes(" ") ? " " : "";
  return sign + digits;
}

function pad(body: string, width: number | undefined, flags: string, zeroPads: boolean): string {
  if (width === undefined || body.length >= width) return body;
  if (flags.includes("-")) return body.padEnd(width);
  if (zeroPads && flags.includes("0")) {
    const sign = /^[+\- ]/.test(body) ? body.slice(0, 1) : "";
    const prefix = /^[+\- ]?0[xX]/.test(body) ? body.slice(0, sign.length + 2) : sign;
    return prefix + body.slice(prefix.length).padStart(width - prefix.length, "0");
  }
  return body.padStart(width);
}

/** `'c`: the code of c; a byte that is not UTF-8 (or, in a byte view, any byte) is its byte value. */
function characterCode(text: string): number {
  const code = text.codePointAt(0) ?? 0;
  return code >= 0xdc80 && code <= 0xdcff ? code - 0xdc00 : code;
}

export const printf = defineBuiltin({
  name: "printf",
  // No options, as in dash: `printf -v x …` is an illegal option (bash's -v is not kept).
  flags: {},
  run(ctx, { operands }) {
    // In bytes mode (LC_ALL=C, text-mode.ts) everything is done on byte views, so that
    // precisions, widths, %c and 'c codes count bytes; the output is turned back at the end.
    const bytes = ctx.interp.textMode === "bytes";
    const args = bytes ? operands.map(byteView) : operands;
    const format = args[0];
    if (format === undefined) return ctx.fail("usage: printf format [arg ...]", 2);
    const formatter = new Formatter(ctx, args.slice(1), characterCode);
    const output = (): string => (bytes ? fromByteView(formatter.out) : formatter.out);
    try {
      formatter.format(format);
      // Reuse the format while arguments remain (and it consumed some).
      while (!formatter.consumedAll && formatter.consumedAny && !formatter.stopped) formatter.format(format);
    } catch (error) {
      if (!(error instanceof PrintfError)) throw error;
      // dash's output is buffered and flushed when the builtin ends: the message comes first.
      return then(ctx.fail(error.message, 2), (status) => afterWrite(ctx.out(output()), status));
    }
    return afterWrite(ctx.out(output()), formatter.failed ? 1 : 0);
  },
});
