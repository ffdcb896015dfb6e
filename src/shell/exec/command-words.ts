// The words of a simple command expanded as dash does (its evalcommand and
// fill_arglist): words are expanded until the command name is known; while
// it is `command` (with -p or --) the next field is looked at too. When the
// name is `export`, `readonly` or `local`, the remaining words written as
// `NAME=value` are expanded as assignments (no field splitting, no
// pathname expansion, tildes after `=` and `:`), even when the name itself
// came from an expansion (`e=export; $e V=$x`, `command export V=$x`).
//
// Imports the expansion steps, the parser's assignment form and the builtin table.

import type { Word } from "../ast.ts";
import { builtins } from "../builtins/index.ts";
import { type ExpandEnv, type Expansion, expandText, expandWords, staticText } from "../expand/index.ts";
import { declarationOperand } from "../parser/index.ts";

/** Builtins whose `NAME=value` operands are assignments (dash's BUILTIN_ASSIGN, and bash's declare/typeset). */
const DECLARATION_UTILITIES: ReadonlySet<string> = new Set(["export", "readonly", "local", "declare", "typeset"]);

const NAME_EQUALS = /^[A-Za-z_][A-Za-z0-9_]*=/;

// Pure memo keyed by the AST node's word list.
const mayDeclare = new WeakMap<readonly Word[], boolean>();

/**
 * Could this command line have assignment operands? A word after the first
 * starts `NAME=`, and the command name is one of those utilities, `command`,
 * or known only once expanded. Else the plain expansion will do (`make CC=cc`).
 */
export function hasDeclarationOperands(words: readonly Word[]): boolean {
  let answer = mayDeclare.get(words);
  if (answer === undefined) {
    const first = words[0];
    const name = first === undefined ? undefined : staticText(first);
    const mayBeDeclaration = name === undefined || name === "command" || DECLARATION_UTILITIES.has(name);
    answer = mayBeDeclaration && words.some((word, index) => index > 0 && startsWithName(word));
    mayDeclare.set(words, answer);
  }
  return answer;
}

function startsWithName(word: Word): boolean {
  const first = word.parts[0];
  return first?.kind === "literal" && NAME_EQUALS.test(first.value);
}

// Pure memo keyed by the AST node (null: not an assignment operand).
const operands = new WeakMap<Word, Word | null>();

function operandOf(word: Word): Word | undefined {
  let operand = operands.get(word);
  if (operand === undefined) {
    operand = declarationOperand(word) ?? null;
    operands.set(word, operand);
  }
  return operand ?? undefined;
}

export interface CommandLookup {
  /** A builtin the name would run (not hidden by a function of that name). */
  isBuiltin(name: string): boolean;
}

export function* expandCommandWords(words: readonly Word[], env: ExpandEnv, lookup: CommandLookup): Expansion<string[]> {
  const fields: string[] = [];
  let next = 0;
  /** Expand words until at least one more field exists (fill_arglist). */
  function* fill(): Expansion<boolean> {
    while (next < words.length) {
      const before = fields.length;
      fields.push(...(yield* expandWords([words[next++] as Word], env)));
      if (fields.length > before) return true;
    }
    return false;
  }
  let declares = false;
  if (yield* fill()) {
    let at = 0;
    for (;;) {
      const name = fields[at] as string;
      if (!lookup.isBuiltin(name)) break;
      declares = DECLARATION_UTILITIES.has(name);
      if (name !== "command") break;
      const wrapped = yield* commandOperand(fields, at, fill);
      if (wrapped === undefined) break;
      at = wrapped;
    }
  }
  for (; next < words.length; next++) {
    const word = words[next] as Word;
    const operand = declares ? operandOf(word) : undefined;
    if (operand !== undefined) fields.push(yield* expandText(operand, env));
    else fields.push(...(yield* expandWords([word], env)));
  }
  return fields;
}

/**
 * The index of the command `command` at `at` runs, past its -p options and
 * `--` (dash's parse_command_args); undefined when another option makes
 * `command` itself report (`-v`) or no word follows.
 */
function* commandOperand(fields: string[], at: number, fill: () => Expansion<boolean>): Expansion<number | undefined> {
  for (;;) {
    at++;
    if (at >= fields.length && !(yield* fill())) return undefined;
    const field = fields[at] as string;
    if (!field.startsWith("-") || field === "-") return at;
    if (field === "--") {
      at++;
      if (at >= fields.length && !(yield* fill())) return undefined;
      return at;
    }
    if (!/^-p+$/.test(field)) return undefined;
  }
}
