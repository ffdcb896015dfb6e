// The typed syntax tree of a shell program. Produced by the parser, consumed by
// the expander and the executor. Pure data: this module imports nothing.
//
// Every command node and every word carries its source span (`start`/`end`), so
// run-time errors can name the line like sh does. Nodes are readonly: the
// executor never rewrites the tree (a parsed script can be run many times).

export interface Pos {
  readonly offset: number;
  readonly line: number; // 1-based
  readonly column: number; // 1-based
}

export interface Node {
  readonly start: Pos;
  readonly end: Pos;
}

// ---------------------------------------------------------------------------
// Words

/** A word is a sequence of parts; quoting is kept so expansion can honour it. */
export interface Word extends Node {
  readonly parts: readonly WordPart[];
}

export type WordPart =
  | Literal
  | SingleQuoted
  | DoubleQuoted
  | ParamExp
  | CommandSubst
  | ArithExp
  | Tilde
  | BadSubstitution;

/** Unquoted text: subject to globbing (not field splitting). */
export interface Literal {
  readonly kind: "literal";
  readonly value: string;
}

/** Text that is quoted literally: `'…'`, `$'…'` (escapes already decoded), or a `\x` escape. */
export interface SingleQuoted {
  readonly kind: "single";
  readonly value: string;
}

/** `"…"`: its parts are expanded but never split or globbed. */
export interface DoubleQuoted {
  readonly kind: "double";
  readonly parts: readonly WordPart[];
}

/**
 * `$name`, `${name}`, `${#name}`, `${name<op>word}`.
 * `name` is a variable name, a positional number ("1", "10") or a special
 * parameter ("@", "*", "#", "?", "-", "$", "!", "0").
 */
export interface ParamExp {
  readonly kind: "param";
  readonly name: string;
  /** `${#name}` */
  readonly length: boolean;
  /** The operator of `${name<op>word}`, if any. */
  readonly op?: ParamOp;
  /** `:` before `-`, `=`, `?`, `+` (test for null as well as unset). */
  readonly colon: boolean;
  /** The word after the operator (unexpanded; may be empty). */
  readonly arg?: Word;
  /** For `${name/pattern/replacement}` (bash): the replacement. */
  readonly replacement?: Word;
  /** For `${name:offset:length}` (bash): the length word. */
  readonly sliceLength?: Word;
}

export type ParamOp =
  | "-" | "=" | "?" | "+" // default, assign, error, alternative
  | "%" | "%%" | "#" | "##" // remove suffix / prefix pattern
  | "/" | "//" | "/#" | "/%" // bash: substitute
  | ":"; // bash: substring ${x:off:len}; arg is the offset

/** `$(…)` or `` `…` ``. */
export interface CommandSubst {
  readonly kind: "cmdsubst";
  readonly program: Program;
  readonly backquote: boolean;
}

/** `$((…))`: the expression text is itself expanded (params, $(…)) before evaluation. */
export interface ArithExp {
  readonly kind: "arith";
  readonly expr: Word;
}

/**
 * A `${…}` that dash cannot read (`${!x}`, `${x^}`, `${}`): as in dash it is
 * parsed to its `}` and is an error ("Bad substitution") only when expanded.
 */
export interface BadSubstitution {
  readonly kind: "badsubst";
  /** The source text between `${` and `}`, to print it back. */
  readonly text: string;
}

/** `~` or `~user` at the start of a word (or after `:`/`=` in an assignment). */
export interface Tilde {
  readonly kind: "tilde";
  readonly user: string;
}

// ---------------------------------------------------------------------------
// Redirections

export type RedirOp =
  | "<" | ">" | ">>" | ">|" | "<>"
  | "<&" | ">&"
  | "<<" | "<<-" | "<<<";

export interface Redirect extends Node {
  readonly op: RedirOp;
  /** Explicit fd number (`2>`); undefined means the operator's default (0 or 1). */
  readonly fd?: number;
  /** The file, fd number (`>&2`, `<&-`) or `<<<` word. For here-docs, the delimiter as written. */
  readonly target: Word;
  /** Here-document body, filled in once the body lines have been read. */
  readonly heredoc?: HereDoc;
}

export interface HereDoc {
  /** True if any part of the delimiter was quoted: the body is taken literally. */
  readonly quoted: boolean;
  /**
   * The body. Quoted delimiter: one `single` part. Otherwise parts of
   * literal text (with `\$ \` \\ \newline` already processed), params,
   * command and arithmetic substitutions, never split or globbed.
   */
  readonly body: Word;
}

// ---------------------------------------------------------------------------
// Commands

export interface Assign extends Node {
  readonly name: string;
  readonly value: Word; // may have no parts: `x=`
  readonly append: boolean; // bash `x+=v`
}

export interface SimpleCommand extends Node {
  readonly kind: "simple";
  readonly assigns: readonly Assign[];
  readonly words: readonly Word[];
  readonly redirs: readonly Redirect[];
}

/** `a | b | c`, with `!` in front when negated. Only built for 2+ commands or `!`. */
export interface Pipeline extends Node {
  readonly kind: "pipeline";
  readonly negated: boolean;
  readonly commands: readonly Command[];
}

/** `a && b || c`: evaluated left to right with equal precedence. */
export interface AndOr extends Node {
  readonly kind: "andor";
  readonly first: Command;
  readonly rest: readonly { readonly op: "&&" | "||"; readonly command: Command }[];
}

/** A sequence of commands separated by `;`, newlines or `&`. */
export interface List extends Node {
  readonly kind: "list";
  readonly items: readonly ListItem[];
}

export interface ListItem {
  readonly command: Command;
  /** Terminated by `&`: run asynchronously. */
  readonly background: boolean;
}

export interface Subshell extends Node {
  readonly kind: "subshell";
  readonly body: List;
  readonly redirs: readonly Redirect[];
}

export interface Group extends Node {
  readonly kind: "group";
  readonly body: List;
  readonly redirs: readonly Redirect[];
}

export interface If extends Node {
  readonly kind: "if";
  /** `if` and each `elif`, in order. */
  readonly clauses: readonly { readonly condition: List; readonly body: List }[];
  readonly elseBody?: List;
  readonly redirs: readonly Redirect[];
}

/** `while` and `until`. */
export interface Loop extends Node {
  readonly kind: "loop";
  readonly until: boolean;
  readonly condition: List;
  readonly body: List;
  readonly redirs: readonly Redirect[];
}

export interface For extends Node {
  readonly kind: "for";
  readonly name: string;
  /** Undefined for `for x; do` / `for x do` (iterate over "$@"). */
  readonly items?: readonly Word[];
  readonly body: List;
  readonly redirs: readonly Redirect[];
}

export interface CaseItem extends Node {
  readonly patterns: readonly Word[];
  readonly body: List;
  /** `;;` ends the case, `;&` falls through into the next body, `;;&` (bash) tests the next patterns. */
  readonly terminator: ";;" | ";&" | ";;&";
}

export interface Case extends Node {
  readonly kind: "case";
  readonly word: Word;
  readonly items: readonly CaseItem[];
  readonly redirs: readonly Redirect[];
}

export interface FuncDef extends Node {
  readonly kind: "funcdef";
  readonly name: string;
  /** A compound command (with its own redirections). */
  readonly body: Command;
}

/** bash `[[ … ]]`: the words between the brackets, evaluated by the test engine without splitting or globbing. */
export interface TestClause extends Node {
  readonly kind: "testclause";
  readonly expr: TestExpr;
  readonly redirs: readonly Redirect[];
}

export type TestExpr =
  | { readonly kind: "unary"; readonly op: string; readonly operand: Word }
  | { readonly kind: "binary"; readonly op: string; readonly left: Word; readonly right: Word }
  | { readonly kind: "word"; readonly word: Word } // `[[ word ]]`: true if non-empty
  | { readonly kind: "not"; readonly expr: TestExpr }
  | { readonly kind: "and" | "or"; readonly left: TestExpr; readonly right: TestExpr };

export type Command =
  | SimpleCommand
  | Pipeline
  | AndOr
  | List
  | Subshell
  | Group
  | If
  | Loop
  | For
  | Case
  | FuncDef
  | TestClause;

/** A whole script or the body of a `$(…)`. */
export interface Program extends Node {
  readonly kind: "program";
  readonly body: List;
}

export function assertNever(x: never): never {
  throw new Error(`unexpected node: ${JSON.stringify(x)}`);
}
