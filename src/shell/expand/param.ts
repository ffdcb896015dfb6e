// Parameter expansion (XCU 2.6.2): `$x`, `${x}`, `${#x}`, the `- = ? +`
// operators with and without `:`, `% %% # ##` pattern removal, the special
// parameters, `"$@"` as separate fields, plus bash's `${x/p/r}` and
// `${x:off:len}`.
//
// Imports `env.ts`, `pattern.ts`, `split.ts`, `arith.ts`; words inside the
// operators are expanded through the `WordExpander` the caller passes in.

import type { ParamExp, Word } from "../ast.ts";
import { byteView, fromByteView, joinUnits, textLength, textUnits } from "../text-mode.ts";
import { evaluateArithmetic } from "./arith.ts";
import { type ExpandEnv, type Expansion, ExpansionError } from "./env.ts";
import { replacePattern, trimPattern } from "./pattern.ts";
import type { Pieces } from "./split.ts";

export interface WordExpander {
  /** Expand a word's parts into pieces; `quoted` for a double-quoted context, `literalSplit` when literal text is itself subject to splitting. */
  pieces(word: Word, env: ExpandEnv, quoted: boolean, literalSplit: boolean, out: Pieces): Expansion<void>;
  /** Expand to one string without splitting or globbing. */
  text(word: Word, env: ExpandEnv): Expansion<string>;
  /** Expand to one pattern (quoted characters escaped). */
  pattern(word: Word, env: ExpandEnv): Expansion<string>;
}

function isDigits(name: string): boolean {
  const c = name.charCodeAt(0);
  return c >= 48 && c <= 57;
}

/** The first character (bytes mode: byte) of IFS joins `$*` (a space when IFS is unset, nothing when it is empty). */
export function starSeparator(env: ExpandEnv): string {
  const ifs = env.get("IFS");
  if (ifs === undefined) return " ";
  if (env.textMode === "bytes") return fromByteView(byteView(ifs).slice(0, 1));
  const first = ifs.codePointAt(0);
  return first === undefined ? "" : String.fromCodePoint(first);
}

/** The value of a parameter, undefined when unset. */
export function lookupParam(name: string, env: ExpandEnv): string | undefined {
  if (isDigits(name)) return name === "0" ? env.special("0") : env.positional[Number(name) - 1];
  switch (name) {
    case "#":
      return String(env.positional.length);
    case "@":
    case "*":
      return env.positional.length === 0 ? undefined : env.positional.join(starSeparator(env));
    case "?":
    case "$":
    case "!":
    case "-":
      return env.special(name);
    default:
      return env.get(name);
  }
}

function isSpecialOrPositional(name: string): boolean {
  return isDigits(name) || "#@*?$!-".includes(name);
}

function pushValue(out: Pieces, text: string, quoted: boolean): void {
  out.push({ text, quoted, split: !quoted });
}

function* expandArgument(word: Word | undefined, env: ExpandEnv, quoted: boolean, out: Pieces, expander: WordExpander): Expansion<void> {
  if (word === undefined) return;
  // The word after `-`/`+`/`=` is expanded in the context of the whole
  // expansion: unquoted, its literal text is split and globbed too.
  yield* expander.pieces(word, env, quoted, !quoted, out);
}

export function* expandParam(part: ParamExp, env: ExpandEnv, quoted: boolean, out: Pieces, expander: WordExpander): Expansion<void> {
  const { name, op } = part;
  if (part.length) {
    if (name === "@" || name === "*") {
      // dash: the length of the parameters joined by spaces.
      pushValue(out, String(textLength(env.positional.join(" "), env.textMode)), quoted);
      return;
    }
    const value = lookupParam(name, env);
    if (value === undefined && env.nounset && !isSpecialOrPositional(name)) throw new ExpansionError(`${name}: parameter not set`);
    pushValue(out, String(textLength(value ?? "", env.textMode)), quoted);
    return;
  }
  if (op === undefined && (name === "@" || name === "*")) {
    expandPositional(name, env, quoted, out);
    return;
  }
  const value = lookupParam(name, env);
  const isUnset = value === undefined || (part.colon && value === "");
  switch (op) {
    case undefined:
      if (value === undefined && env.nounset && name !== "@" && name !== "*") throw new ExpansionError(`${name}: parameter not set`);
      pushValue(out, value ?? "", quoted);
      return;
    case "-":
      if (isUnset) yield* expandArgument(part.arg, env, quoted, out, expander);
      else pushValue(out, value, quoted);
      return;
    case "+":
      if (!isUnset) yield* expandArgument(part.arg, env, quoted, out, expander);
      return;
    case "=": {
      if (!isUnset) {
        pushValue(out, value, quoted);
        return;
      }
      if (isSpecialOrPositional(name)) throw new ExpansionError(`${name}: cannot assign in this way`);
      const assigned = part.arg === undefined ? "" : yield* expander.text(part.arg, env);
      env.set(name, assigned);
      pushValue(out, assigned, quoted);
      return;
    }
    case "?": {
      if (!isUnset) {
        pushValue(out, value, quoted);
        return;
      }
      const message = part.arg === undefined ? "" : yield* expander.text(part.arg, env);
      throw new ExpansionError(`${name}: ${message !== "" ? message : value === undefined ? "parameter not set" : "parameter null or not set"}`);
    }
    default:
      break;
  }
  if (value === undefined && env.nounset && !isSpecialOrPositional(name)) throw new ExpansionError(`${name}: parameter not set`);
  const subject = value ?? "";
  switch (op) {
    case "%":
    case "%%":
    case "#":
    case "##": {
      const pattern = part.arg === undefined ? "" : yield* expander.pattern(part.arg, env);
      pushValue(out, trimPattern(subject, pattern, op, env.textMode), quoted);
      return;
    }
    case "/":
    case "//":
    case "/#":
    case "/%": {
      const pattern = part.arg === undefined ? "" : yield* expander.pattern(part.arg, env);
      const replacement = part.replacement === undefined ? "" : yield* expander.text(part.replacement, env);
      pushValue(out, pattern === "" ? subject : replacePattern(subject, pattern, replacement, op, env.textMode), quoted);
      return;
    }
    case ":": {
      const chars = textUnits(subject, env.textMode);
      const offsetText = part.arg === undefined ? "0" : yield* expander.text(part.arg, env);
      let offset = Number(evaluateArithmetic(offsetText, env));
      if (offset < 0) offset = Math.max(0, chars.length + offset);
      let end = chars.length;
      if (part.sliceLength !== undefined) {
        const lengthText = yield* expander.text(part.sliceLength, env);
        const length = Number(evaluateArithmetic(lengthText, env));
        end = length < 0 ? chars.length + length : offset + length;
      }
      pushValue(out, joinUnits(chars.slice(offset, Math.max(offset, end)), env.textMode), quoted);
      return;
    }
  }
}

/** `$@` and `$*` without an operator: one field per parameter (joined for `"$*"`). */
function expandPositional(name: "@" | "*", env: ExpandEnv, quoted: boolean, out: Pieces): void {
  const params = env.positional;
  if (quoted && name === "*") {
    out.push({ text: params.join(starSeparator(env)), quoted: true, split: false });
    return;
  }
  params.forEach((param, i) => {
    if (i > 0) out.push(null);
    out.push({ text: param, quoted, split: !quoted });
  });
}
