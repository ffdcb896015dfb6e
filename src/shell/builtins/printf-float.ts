// printf's floating conversions as glibc prints a double: %f %e %g %a and
// their capitals, with the `#` flag (always a decimal point; %g keeps its
// trailing zeros). Digits come from the double's exact binary value with
// BigInt arithmetic, rounded half to even as C does (`%.0f 2.5` is 2, where
// Number#toFixed would say 3), and %f has no 1e21 limit.

interface Parts {
  readonly negative: boolean;
  /** |x| = mantissa * 2^exponent */
  readonly mantissa: bigint;
  readonly exponent: number;
}

function parts(x: number): Parts {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const high = view.getUint32(0);
  const biased = (high >>> 20) & 0x7ff;
  const fraction = (BigInt(high & 0xfffff) << 32n) | BigInt(view.getUint32(4));
  const negative = high >>> 31 === 1;
  if (biased === 0) return { negative, mantissa: fraction, exponent: -1074 };
  return { negative, mantissa: fraction | (1n << 52n), exponent: biased - 1075 };
}

/** round(n / d), ties to even. */
function roundDiv(n: bigint, d: bigint): bigint {
  const q = n / d;
  const twice = 2n * (n % d);
  return twice > d || (twice === d && q % 2n === 1n) ? q + 1n : q;
}

/** round(|x| * 10^scale) for a finite x. */
function scaled(p: Parts, scale: number): bigint {
  let n = p.mantissa;
  let d = 1n;
  if (p.exponent >= 0) n <<= BigInt(p.exponent);
  else d <<= BigInt(-p.exponent);
  if (scale >= 0) n *= 10n ** BigInt(scale);
  else d *= 10n ** BigInt(-scale);
  return roundDiv(n, d);
}

/** Digits with a point `decimals` from the right (`123`, 2 → `1.23`). */
function withPoint(digits: string, decimals: number, alwaysPoint: boolean): string {
  const padded = digits.padStart(decimals + 1, "0");
  const whole = padded.slice(0, padded.length - decimals);
  return decimals === 0 ? (alwaysPoint ? `${whole}.` : whole) : `${whole}.${padded.slice(-decimals)}`;
}

function fixed(p: Parts, precision: number, alwaysPoint: boolean): string {
  return withPoint(scaled(p, precision).toString(), precision, alwaysPoint);
}

/** The significant digits (precision + 1 of them) and the decimal exponent of |x| in %e form. */
function exponential(p: Parts, x: number, precision: number): { digits: string; exp: number } {
  if (p.mantissa === 0n) return { digits: "0".repeat(precision + 1), exp: 0 };
  let exp = Math.floor(Math.log10(Math.abs(x)));
  const low = 10n ** BigInt(precision);
  for (;;) {
    const q = scaled(p, precision - exp);
    if (q >= low * 10n) exp++;
    else if (q < low) exp--;
    else return { digits: q.toString(), exp };
  }
}

function eForm(digits: string, exp: number, alwaysPoint: boolean): string {
  const mantissa = withPoint(digits, digits.length - 1, alwaysPoint);
  return `${mantissa}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
}

function general(p: Parts, x: number, precision: number, alternate: boolean): string {
  const significant = precision === 0 ? 1 : precision;
  const { digits, exp } = exponential(p, x, significant - 1);
  const body = exp < -4 || exp >= significant ? eForm(digits, exp, alternate) : fixed(p, significant - 1 - exp, alternate);
  if (alternate || !body.includes(".")) return body;
  // Without `#`, trailing zeros of the fraction go, and then a bare point.
  const [mantissa = "", exponent] = body.split("e");
  const trimmed = mantissa.replace(/0+$/, "").replace(/\.$/, "");
  return exponent === undefined ? trimmed : `${trimmed}e${exponent}`;
}

/** %a: 0x1.<hex digits>p<exp>, all the digits the double needs unless a precision is given. */
function hex(p: Parts, precision: number | undefined, alternate: boolean): string {
  if (p.mantissa === 0n) return `0x0${precision ? `.${"0".repeat(precision)}` : alternate ? "." : ""}p+0`;
  const normal = p.mantissa >= 1n << 52n;
  let lead = normal ? 1n : 0n;
  let fraction = p.mantissa & ((1n << 52n) - 1n);
  const exp = normal ? p.exponent + 52 : -1022;
  let digits: string;
  if (precision === undefined) digits = fraction.toString(16).padStart(13, "0").replace(/0+$/, "");
  else {
    const dropped = 52 - 4 * precision;
    if (dropped > 0) {
      const rounded = roundDiv((lead << 52n) | fraction, 1n << BigInt(dropped));
      lead = rounded >> BigInt(4 * precision);
      fraction = rounded & ((1n << BigInt(4 * precision)) - 1n);
      digits = precision === 0 ? "" : fraction.toString(16).padStart(precision, "0");
    } else digits = fraction.toString(16).padStart(13, "0").padEnd(precision, "0");
  }
  const point = digits !== "" || alternate ? "." : "";
  return `0x${lead.toString(16)}${point}${digits}p${exp < 0 ? "-" : "+"}${Math.abs(exp)}`;
}

/** The body of one floating conversion (sign included, no padding). */
export function formatFloat(x: number, conversion: string, flags: string, precision: number | undefined): string {
  const p = parts(x);
  const lower = conversion.toLowerCase();
  const alternate = flags.includes("#");
  let body: string;
  if (Number.isNaN(x)) body = "nan";
  else if (!Number.isFinite(x)) body = "inf";
  else if (lower === "f") body = fixed(p, precision ?? 6, alternate);
  else if (lower === "e") {
    const { digits, exp } = exponential(p, x, precision ?? 6);
    body = eForm(digits, exp, alternate);
  } else if (lower === "g") body = general(p, x, precision ?? 6, alternate);
  else body = hex(p, precision, alternate);
  if (conversion !== lower) body = body.toUpperCase();
  const sign = p.negative && !Number.isNaN(x) ? "-" : flags.includes("+") ? "+" : flags.includes(" ") ? " " : "";
  return sign + body;
}
