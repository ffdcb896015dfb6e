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
  pieces(word: Word, env: ExpandEnv, quoted: boolean, literalSplit: boolean, out: Pieces, fields: boolean): Expansion<void>;
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

function* expandArgument(word: Word | undefined, env: ExpandEnv, quoted: boolean, out: Pieces, expander: WordExpander, fields: boolean): Expansion<void> {
  if (word === undefined) return;
  // The word after `-`/`+`/`=` is expanded in the context of the whole
  // expansion: unquoted, its literal text is split and globbed too.
  yield* expander.pieces(word, env, quoted, !quoted, out, fields);
}

/**
 * `fields`: expanded into fields (arguments, `for` words) rather than one
 * string; it decides whether `${@:-w}` is null when every parameter is empty.
 */
export function* expandParam(part: ParamExp, env: ExpandEnv, quoted: boolean, out: Pieces, expander: WordExpander, fields: boolean): Expansion<void> {
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
  if (name === "@" || name === "*") {
    if (op === "-" || op === "+" || op === "=" || op === "?") {
      yield* expandPositionalWith(part, name, env, quoted, out, expander, fields);
      return;
    }
    if ((op === "#" || op === "##" || op === "%" || op === "%%") && separatesFields(name, env, quoted, fields)) {
      // dash trims the parameters joined by a field break, which a pattern matches like any
      // character: `"${@#a}"` trims the first one only, `"${@##*b}"` can take them all.
      const pattern = part.arg === undefined ? "" : yield* expander.pattern(part.arg, env);
      const trimmed = trimPattern(env.positional.join(FIELD_BREAK), pattern, op);
      if (env.positional.length === 0) return;
      trimmed.split(FIELD_BREAK).forEach((field, i) => {
        if (i > 0) out.push(null);
        out.push({ text: field, quoted, split: !quoted });
      });
      return;
    }
  }
  const value = lookupParam(name, env);
  const isUnset = value === undefined || (part.colon && value === "");
  switch (op) {
    case undefined:
      if (value === undefined && env.nounset && name !== "@" && name !== "*") throw new ExpansionError(`${name}: parameter not set`);
      pushValue(out, value ?? "", quoted);
      return;
    case "-":
      if (isUnset) yield* expandArgument(part.arg, env, quoted, out, expander, fields);
      else pushValue(out, value, quoted);
      return;
    case "+":
      if (!isUnset) yield* expandArgument(part.arg, env, quoted, out, expander, fields);
      return;
    case "=": {
      if (!isUnset) {
        pushValue(out, value, quoted);
        return;
      }
      const assigned = part.arg === undefined ? "" : yield* expander.text(part.arg, env);
      // As dash's setvar: the word is expanded first, then the name is found to be no variable's.
      if (isSpecialOrPositional(name)) throw new ExpansionError(`${name}: bad variable name`);
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
      // dash's words: `${x:?}` says "not set or null" whether x is unset or empty.
      throw new ExpansionError(`${name}: ${message !== "" ? message : part.colon ? "parameter not set or null" : "parameter not set"}`);
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

/**
 * Whether the parameters of `$@`/`$*` stay separate fields here: those of
 * `"$@"`, and with IFS empty those of an unquoted `$@` or `$*`, where the
 * words are split into fields. Elsewhere they are joined by the first
 * character of IFS.
 */
function separatesFields(name: "@" | "*", env: ExpandEnv, quoted: boolean, fields: boolean): boolean {
  if (!fields) return false;
  const isIfsEmpty = env.get("IFS") === "";
  return name === "@" ? quoted || isIfsEmpty : !quoted && isIfsEmpty;
}

/** Joins the parameters of `$@` for a pattern removal; never in a shell string (NUL bytes are dropped where they come in). */
const FIELD_BREAK = "\0";

/**
 * `${@-w}`, `${*:+w}`…: `$@` and `$*` are always set (dash: `${@-w}` is empty
 * without parameters); with `:` they are null when their parameters, joined
 * with a separator that counts only where one is written, are empty. A
 * separator is written between the fields of `"$@"` and, with IFS empty,
 * of an unquoted `$*` (both separate fields there); elsewhere it is the
 * first character of IFS, none when IFS is empty.
 */
function* expandPositionalWith(part: ParamExp, name: "@" | "*", env: ExpandEnv, quoted: boolean, out: Pieces, expander: WordExpander, fields: boolean): Expansion<void> {
  const params = env.positional;
  let isNull = false;
  if (part.colon) {
    const ifs = env.get("IFS");
    const hasSeparator = params.length > 1 && (separatesFields(name, env, quoted, fields) || ifs !== "");
    isNull = !hasSeparator && params.every((param) => param === "");
  }
  switch (part.op) {
    case "-":
      if (isNull) yield* expandArgument(part.arg, env, quoted, out, expander, fields);
      else expandPositional(name, env, quoted, out);
      return;
    case "+":
      if (!isNull) yield* expandArgument(part.arg, env, quoted, out, expander, fields);
      return;
    case "=":
      if (isNull) {
        if (part.arg !== undefined) yield* expander.text(part.arg, env);
        throw new ExpansionError(`${name}: bad variable name`);
      }
      expandPositional(name, env, quoted, out);
      return;
    case "?": {
      if (!isNull) {
        expandPositional(name, env, quoted, out);
        return;
      }
      const message = part.arg === undefined ? "" : yield* expander.text(part.arg, env);
      throw new ExpansionError(`${name}: ${message !== "" ? message : "parameter not set or null"}`);
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
