// Words back to source text, in the lexical context the parser read them in
// (parser/word-context.ts): unquoted, inside "…", inside ${…} (plain or
// within double quotes), a here-document body, `$((…))`. The text re-parses
// to the same parts: literal text is written as it was read (it holds only
// characters that were plain in that context), quoted text is quoted the way
// that context quotes, and every expansion in its canonical form.
//
// Command substitutions are handed back to the command printer through
// `SubstitutionPrinter`, so this module never imports it. Imports the AST only.

import type { CommandSubst, ParamExp, ParamOp, Word, WordPart } from "../ast.ts";

/**
 * Where a word is read. `arg*` is the word after a `${name<op>` operator,
 * `pattern*` the pattern of `${name/…/…}`, `offset*` the offset of
 * `${name:…}`; the `-dq` forms are those inside double quotes (or another
 * quoted context); `trim-dq` is the pattern of `"${v#…}"`, where single
 * quotes quote (parser/word-context.ts TRIM_PATTERN_DQ). `word` also stands for the words of `[[ … ]]` and the
 * right side of `=~`, which keep their literal text as read.
 */
export type WordContext =
  | "word" | "double" | "heredoc" | "arith"
  | "arg" | "arg-dq" | "pattern" | "pattern-dq" | "offset" | "offset-dq" | "trim-dq";

/** The command printer's part: a command substitution as source text. */
export interface SubstitutionPrinter {
  commandSubst(part: CommandSubst): string;
}

/** What a backslash quotes in each quoted context (parser/word-context.ts). */
const ESCAPABLE: Readonly<Record<WordContext, string>> = {
  word: "",
  arg: "",
  pattern: "",
  offset: "",
  double: '$`"\\',
  arith: '$`"\\',
  heredoc: "$`\\",
  "arg-dq": '$`"\\}',
  "pattern-dq": '$`"\\}',
  "offset-dq": '$`"\\}',
  "trim-dq": '$`"\\}\'',
};

function isQuoted(context: WordContext): boolean {
  return ESCAPABLE[context] !== "";
}

/** `${…}` words read in a context: the plain forms outside quotes, the `-dq` forms in them. */
function argContexts(context: WordContext): { arg: WordContext; pattern: WordContext; offset: WordContext; trim: WordContext } {
  return isQuoted(context)
    ? { arg: "arg-dq", pattern: "pattern-dq", offset: "offset-dq", trim: "trim-dq" }
    : { arg: "arg", pattern: "pattern", offset: "offset", trim: "arg" };
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const NAME_CHAR = /^[A-Za-z0-9_]/;

/** Source text for `word`, read back in `context` to the same parts. */
export function printWord(word: Word, context: WordContext, subst: SubstitutionPrinter): string {
  return printParts(word.parts, context, subst);
}

function printParts(parts: readonly WordPart[], context: WordContext, subst: SubstitutionPrinter): string {
  let out = "";
  parts.forEach((part, index) => {
    out += printPart(part, parts[index + 1], context, subst);
  });
  return out;
}

function printPart(
  part: WordPart,
  next: WordPart | undefined,
  context: WordContext,
  subst: SubstitutionPrinter,
): string {
  switch (part.kind) {
    case "literal":
      // Outside quotes a backslash in literal text can only be the last character of the input
      // (`echo \` at its end, or of an alias or backquote body); anywhere else it would quote
      // what follows, so it is written quoted (it stays one backslash).
      return isQuoted(context) ? part.value : part.value.replaceAll("\\", "\\\\");
    case "single":
      if (context === "trim-dq") return quoteInTrimPattern(part.value);
      return isQuoted(context) ? escapeQuoted(part.value, ESCAPABLE[context]) : quoteSingle(part.value);
    case "double":
      // Here-document bodies and arithmetic read `"` as text: a double part cannot come from them.
      if (context === "heredoc" || context === "arith") return printParts(part.parts, context, subst);
      return `"${printParts(part.parts, "double", subst)}"`;
    case "param":
      return printParam(part, next, context, subst);
    case "badsubst":
      return `\${${part.text}}`;
    case "cmdsubst":
      return subst.commandSubst(part);
    case "arith":
      return `$((${printWord(part.expr, "arith", subst)}))`;
    case "tilde":
      // `~\` (a user name ending the input, as above) stays the same text, no longer a tilde prefix.
      return `~${part.user.replaceAll("\\", "\\\\")}`;
  }
}

/**
 * Quoted text outside quotes: one character as `\c` (but a newline, which
 * would be a line continuation), more as `'…'` with a `'` as `'\''` (after
 * a `$` too: as in dash, `$'…'` is a `$` and a quoted string).
 */
function quoteSingle(value: string): string {
  if (value.length === 1 && value !== "\n") return `\\${value}`;
  return `'${value.replaceAll("'", "'\\''")}'`;
}

/**
 * Quoted text inside a quoted context: the characters a backslash quotes
 * there get one; the parser makes quoted parts of no others (any other
 * character is already quoted by the context, so it is written as is).
 */
function escapeQuoted(value: string, escapable: string): string {
  let out = "";
  for (const ch of value) out += escapable.includes(ch) ? `\\${ch}` : ch;
  return out;
}

/** Quoted text in the pattern of `"${v#…}"`: `'…'` quotes there, and `\'` a quote. */
function quoteInTrimPattern(value: string): string {
  if (value === "") return "''";
  return value
    .split("'")
    .map((piece) => (piece === "" ? "" : `'${piece}'`))
    .join("\\'");
}

function printParam(part: ParamExp, next: WordPart | undefined, context: WordContext, subst: SubstitutionPrinter): string {
  const name = part.name;
  if (part.op === undefined && !part.length) {
    // `$x` unless a name character follows (`${x}y`) or the name is more than one digit (`${10}`).
    const isShort = NAME.test(name) ? !(next?.kind === "literal" && NAME_CHAR.test(next.value)) : name.length === 1;
    return isShort ? `$${name}` : `\${${name}}`;
  }
  let out = `\${${part.length ? "#" : ""}${name}`;
  const contexts = argContexts(context);
  if (part.op === ":") {
    // `${x:offset}`: an offset read as `-`, `=`, `?` or `+` would make `:-` and the like; a
    // backslash-newline between (removed before anything is read) keeps it an offset.
    const offset = part.arg === undefined ? "" : printWord(part.arg, contexts.offset, subst);
    out += `:${/^[-=?+]/.test(offset) ? "\\\n" : ""}${offset}`;
    if (part.sliceLength !== undefined) out += `:${printWord(part.sliceLength, contexts.arg, subst)}`;
  } else if (part.op !== undefined) {
    const isSubstitution = part.op.startsWith("/");
    out += `${part.colon ? ":" : ""}${part.op}`;
    const isTrim = part.op === "#" || part.op === "##" || part.op === "%" || part.op === "%%";
    if (part.arg !== undefined) out += printWord(part.arg, isSubstitution ? contexts.pattern : isTrim ? contexts.trim : contexts.arg, subst);
    if (part.replacement !== undefined) out += `/${printWord(part.replacement, contexts.arg, subst)}`;
  }
  return `${out}}`;
}

/**
 * The body of an unquoted here-document, read back to the same parts. Two
 * kinds of line would not be, and are kept whole by a backslash-newline (the
 * parser removes it before reading anything): in a `<<-` body, a line that
 * starts with a tab (the source had one after a backslash-newline), which
 * would be stripped, gets one before the tab; a line that reads as the
 * delimiter (the source joined lines with backslash-newline to make it),
 * which would end the body, gets one after its first character.
 */
export function printHeredocBody(body: Word, delimiter: string, stripTabs: boolean, subst: SubstitutionPrinter): string {
  let out = "";
  // Where lines start in text of the body itself (not inside one of its substitutions).
  const lineStarts = [0];
  body.parts.forEach((part, index) => {
    const text = printPart(part, body.parts[index + 1], "heredoc", subst);
    if (part.kind !== "literal") {
      out += text;
      return;
    }
    text.split("\n").forEach((line, lineIndex) => {
      if (lineIndex > 0) {
        out += "\n";
        lineStarts.push(out.length);
      }
      const isLineStart = lineIndex > 0 || out === "";
      out += `${isLineStart && stripTabs && line.startsWith("\t") ? "\\\n" : ""}${line}`;
    });
  });
  for (const start of lineStarts.reverse()) {
    const end = out.indexOf("\n", start);
    const line = out.slice(start, end < 0 ? out.length : end);
    if (line === "" || (stripTabs ? line.replace(/^\t+/, "") : line) !== delimiter) continue;
    const cut = start + (line.startsWith("\\") ? 2 : 1);
    out = `${out.slice(0, cut)}\\\n${out.slice(cut)}`;
  }
  return out;
}
