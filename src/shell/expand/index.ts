// Word expansion in XCU 2.6 order: per word tilde, parameter, command
// substitution and arithmetic (left to right), field splitting, pathname
// expansion, quote removal. There is no brace expansion: as in dash,
// `a{b,c}` is one word as written.
//
// Every step is a generator that yields command substitutions; `drive` runs
// one synchronously until a substitution needs to wait, so builtin-only
// scripts expand without promises. Imports only the AST and its siblings.

import type { Case, ParamExp, Program, Word, WordPart } from "../ast.ts";
import { evaluateArithmetic } from "./arith.ts";
import { type ExpandEnv, type Expansion, ExpansionError } from "./env.ts";
import { globPattern } from "./glob.ts";
import { expandParam, lookupParam, starSeparator, type WordExpander } from "./param.ts";
import { hasGlobChars, matchPattern, quotePattern } from "./pattern.ts";
import { joinPieces, joinPiecesAsPattern, type Pieces, splitFields } from "./split.ts";
import { expandTilde } from "./tilde.ts";

export { type ExpandEnv, type Expansion, ExpansionError } from "./env.ts";
export { evaluateArithmetic, parseArithNumber } from "./arith.ts";
export { caretNegation, matchPattern, quotePattern } from "./pattern.ts";

/** `fields`: the word is expanded into fields (a command's arguments, `for`), not into one string. */
function* expandPart(part: WordPart, env: ExpandEnv, quoted: boolean, literalSplit: boolean, out: Pieces, fields: boolean): Expansion<void> {
  switch (part.kind) {
    case "literal":
      if (part.value !== "") out.push({ text: part.value, quoted, split: literalSplit && !quoted });
      return;
    case "single":
      out.push({ text: part.value, quoted: true, split: false });
      return;
    case "double":
      // `""` still makes a (possibly empty) field, but `"$@"` with no
      // positional parameters makes none.
      if (!part.parts.some(isAtParam)) out.push({ text: "", quoted: true, split: false });
      for (const inner of part.parts) yield* expandPart(inner, env, true, false, out, fields);
      return;
    case "tilde":
      out.push({ text: expandTilde(part.user, env), quoted: true, split: false });
      return;
    case "param":
      yield* expandParam(part, env, quoted, out, expander, fields);
      return;
    case "badsubst":
      throw new ExpansionError("Bad substitution");
    case "cmdsubst": {
      const output: string = yield part.program;
      // XCU 2.6.3: trailing newlines are removed.
      let end = output.length;
      while (end > 0 && output.charCodeAt(end - 1) === 10) end--;
      out.push({ text: output.slice(0, end), quoted, split: !quoted });
      return;
    }
    case "arith": {
      const text = yield* expandText(part.expr, env);
      out.push({ text: evaluateArithmetic(text, env).toString(), quoted, split: !quoted });
      return;
    }
  }
}

function isAtParam(part: WordPart): boolean {
  return part.kind === "param" && part.name === "@" && part.op === undefined && !part.length;
}

function* expandPieces(word: Word, env: ExpandEnv, quoted: boolean, literalSplit: boolean, out: Pieces, fields: boolean): Expansion<void> {
  for (const part of word.parts) yield* expandPart(part, env, quoted, literalSplit, out, fields);
}

/** Expand a word to one string: no field splitting, no globbing (assignments, redirections, here-documents). */
export function* expandText(word: Word, env: ExpandEnv): Expansion<string> {
  const fixed = staticText(word);
  if (fixed !== undefined) return fixed;
  const pieces: Pieces = [];
  yield* expandPieces(word, env, false, false, pieces, false);
  return joinPieces(pieces, starSeparator(env));
}

/** Expand a word to a pattern (`case`, `${x%p}`): quoted characters match literally. */
export function* expandPattern(word: Word, env: ExpandEnv): Expansion<string> {
  const pieces: Pieces = [];
  yield* expandPieces(word, env, false, false, pieces, false);
  return joinPiecesAsPattern(pieces, starSeparator(env));
}

const expander: WordExpander = { pieces: expandPieces, text: expandText, pattern: expandPattern };

// Pure memo: the text of words that need no expansion at all (no
// substitutions, no glob characters), keyed by the AST node.
const staticTexts = new WeakMap<Word, string | null>();

/** The word's text if expanding it can only give that one string. */
export function staticText(word: Word): string | undefined {
  const cached = staticTexts.get(word);
  if (cached !== undefined) return cached ?? undefined;
  let text: string | null = "";
  // Glob characters are looked for in the whole word: in `a[\\]` the bracket spans three parts.
  let pattern = "";
  for (const part of word.parts) {
    if (part.kind === "single") {
      text += part.value;
      pattern += quotePattern(part.value);
    } else if (part.kind === "literal") {
      text += part.value;
      pattern += part.value;
    } else {
      text = null;
      break;
    }
  }
  if (text !== null && hasGlobChars(pattern)) text = null;
  if (text === "" && word.parts.length === 0) text = null;
  staticTexts.set(word, text);
  return text ?? undefined;
}

/** Expand words into fields: the arguments of a command or the items of `for`. */
export function* expandWords(words: readonly Word[], env: ExpandEnv): Expansion<string[]> {
  const fields: string[] = [];
  for (const word of words) {
    const fixed = staticText(word);
    if (fixed !== undefined) {
      fields.push(fixed);
      continue;
    }
    yield* expandFields(word, env, fields);
  }
  return fields;
}

function* expandFields(word: Word, env: ExpandEnv, fields: string[]): Expansion<void> {
  const pieces: Pieces = [];
  yield* expandPieces(word, env, false, false, pieces, true);
  for (const field of splitFields(pieces, env.get("IFS"), env.textMode)) {
    if (field.pattern !== undefined && !env.noglob) {
      const matches = globPattern(field.pattern, (dir) => env.readDir(dir), env.textMode);
      if (matches !== null) {
        fields.push(...matches);
        continue;
      }
    }
    fields.push(field.value);
  }
}

function isPlainParam(part: WordPart): part is ParamExp {
  return part.kind === "param" && part.op === undefined && !part.length && part.name !== "@" && part.name !== "*";
}

/** What the fast paths know about a word, computed once per AST node. */
type WordShape =
  | { readonly kind: "static"; readonly text: string }
  | { readonly kind: "param"; readonly name: string; readonly quoted: boolean }
  | { readonly kind: "arith"; readonly expression: string }
  | { readonly kind: "general" };

const GENERAL: WordShape = { kind: "general" };
// Pure memo keyed by the AST node.
const shapes = new WeakMap<Word, WordShape>();

function shapeOf(word: Word): WordShape {
  const cached = shapes.get(word);
  if (cached !== undefined) return cached;
  let shape: WordShape = GENERAL;
  const fixed = staticText(word);
  const [only] = word.parts;
  if (fixed !== undefined) shape = { kind: "static", text: fixed };
  else if (word.parts.length === 1 && only !== undefined) {
    const inner = only.kind === "double" && only.parts.length === 1 ? only.parts[0] : undefined;
    if (isPlainParam(only)) shape = { kind: "param", name: only.name, quoted: false };
    else if (inner !== undefined && isPlainParam(inner)) shape = { kind: "param", name: inner.name, quoted: true };
    else if (only.kind === "arith") {
      const expression = staticText(only.expr);
      if (expression !== undefined) shape = { kind: "arith", expression };
    }
  }
  shapes.set(word, shape);
  return shape;
}

const DEFAULT_IFS = " \t\n";

/**
 * The common words (literals, `$x`, `"$x"`) expanded without a generator;
 * undefined when any word needs the general path (which then starts over:
 * nothing here has side effects).
 */
export function expandWordsFast(words: readonly Word[], env: ExpandEnv): string[] | undefined {
  const fields: string[] = [];
  for (const word of words) {
    const shape = shapeOf(word);
    if (shape.kind === "static") {
      fields.push(shape.text);
      continue;
    }
    if (shape.kind !== "param") return undefined;
    const value = lookupParam(shape.name, env);
    if (value === undefined && env.nounset) return undefined;
    if (shape.quoted) {
      fields.push(value ?? "");
      continue;
    }
    if (value === undefined || value === "") continue;
    // Anything to split or glob takes the general path.
    if (/[\s*?[\]]/.test(value) || (env.get("IFS") ?? DEFAULT_IFS) !== DEFAULT_IFS) return undefined;
    fields.push(value);
  }
  return fields;
}

/** `expandText` without a generator for the common shapes (`$x`, `"$x"`, `$((static))`); undefined otherwise. */
export function expandTextFast(word: Word, env: ExpandEnv): string | undefined {
  const shape = shapeOf(word);
  switch (shape.kind) {
    case "static":
      return shape.text;
    case "param": {
      const value = lookupParam(shape.name, env);
      return value === undefined && env.nounset ? undefined : (value ?? "");
    }
    case "arith":
      return evaluateArithmetic(shape.expression, env).toString();
    case "general":
      return undefined;
  }
}

/**
 * Run an expansion. Command substitutions go to `substitute`; as long as it
 * answers synchronously the whole expansion is synchronous.
 */
export function drive<T>(expansion: Expansion<T>, substitute: (program: Program) => string | Promise<string>): T | Promise<T> {
  let step = expansion.next();
  while (step.done !== true) {
    const output = substitute(step.value);
    if (output instanceof Promise) return driveAsync(expansion, output, substitute);
    step = expansion.next(output);
  }
  return step.value;
}

async function driveAsync<T>(expansion: Expansion<T>, pending: Promise<string>, substitute: (program: Program) => string | Promise<string>): Promise<T> {
  let step = expansion.next(await pending);
  while (step.done !== true) step = expansion.next(await substitute(step.value));
  return step.value;
}

/** XCU 2.9.4.3: the index of the first case item from `from` on whose pattern matches the word, or -1. */
export function* selectCaseItem(command: Case, env: ExpandEnv, from: number): Expansion<number> {
  const word = yield* expandText(command.word, env);
  for (let i = from; i < command.items.length; i++) {
    const item = command.items[i];
    if (item === undefined) continue;
    for (const pattern of item.patterns) {
      const compiled = yield* expandPattern(pattern, env);
      if (matchPattern(compiled, word, env.textMode)) return i;
    }
  }
  return -1;
}
