// fast-check arbitraries for the parser fuzz: (a) structurally valid scripts
// from the model in script-model.ts, (b) strings over a shell-ish alphabet,
// (c) mutations of valid scripts (characters and tokens deleted, inserted,
// duplicated, swapped, or the text cut short).
//
// Valid scripts stay safe to run with fake handlers: command names come from
// a fixed vocabulary without `kill`, `exec`, `.`, `alias` or `ulimit`, and
// the renderer bounds every loop.

import fc from "fast-check";
import {
  type Arith, type CaseItem, type Command, type Heredoc, type Item, type Part, type Redirect, Renderer, SAFE_CHARS,
  type Script, type TestExpr, type Word,
} from "./script-model.ts";

const VARIABLES = ["x", "y", "z"] as const;
const PARAMETERS = ["x", "y", "z", "1", "2", "#", "?", "@", "*", "$", "!", "-", "0", "HOME", "unset_var"] as const;
const PARAM_OPS = ["-", ":-", "=", ":=", "+", ":+", "?", ":?", "#", "##", "%", "%%", "/", "//"] as const;
const FUNCTIONS = ["fna", "fnb"] as const;
const KEYWORDS = ["if", "then", "else", "fi", "do", "done", "case", "esac", "in", "while", "{", "}", "!", "function", "[[", "]]"] as const;

const lit = (text: string): Part => ({ kind: "literal", text });
const isSafe = (text: string): boolean => [...text].every((ch) => SAFE_CHARS.includes(ch));
/** One word with this text: unquoted if every character is safe there, else single-quoted. */
const literalWord = (text: string): Word => [isSafe(text) ? lit(text) : { kind: "single", text }];

/** Text from `chars`, up to `maxLength` characters. */
function textOf(chars: string, maxLength: number, minLength = 0): fc.Arbitrary<string> {
  return fc.string({ unit: fc.constantFrom(...chars), minLength, maxLength });
}

const safeText = textOf(SAFE_CHARS, 6, 1);
const quotedText = textOf(`${SAFE_CHARS} '#{}()|&;<>*?[]~!\t`, 8);
const singleText = textOf(`${SAFE_CHARS} "#{}()|&;<>*?[]~!$\`\\`, 8);

/** Memoised per depth: the arbitraries refer to each other one level down. */
class Grammar {
  private readonly scripts = new Map<number, fc.Arbitrary<Script>>();
  private readonly words = new Map<number, fc.Arbitrary<Word>>();

  script(depth: number): fc.Arbitrary<Script> {
    let arb = this.scripts.get(depth);
    if (arb === undefined) {
      const item: fc.Arbitrary<Item> = fc.record(
        {
          command: this.listCommand(depth),
          separator: fc.oneof({ arbitrary: fc.constant(";" as const), weight: 4 }, { arbitrary: fc.constant("\n" as const), weight: 3 }, { arbitrary: fc.constant("&" as const), weight: 1 }),
          comment: textOf(`${SAFE_CHARS} '"$\`\\#(){};|&<>`, 8),
        },
        { requiredKeys: ["command", "separator"] },
      );
      arb = fc.array(item, { minLength: 1, maxLength: depth > 1 ? 3 : 2, depthIdentifier: "script" });
      this.scripts.set(depth, arb);
    }
    return arb;
  }

  word(depth: number): fc.Arbitrary<Word> {
    let arb = this.words.get(depth);
    if (arb === undefined) {
      arb = fc.array(this.part(depth, "unquoted"), { minLength: 1, maxLength: 2 });
      this.words.set(depth, arb);
    }
    return arb;
  }

  private part(depth: number, where: "unquoted" | "double" | "heredoc"): fc.Arbitrary<Part> {
    const options: fc.WeightedArbitrary<Part>[] = [
      { arbitrary: (where === "unquoted" ? safeText : quotedText).map(lit), weight: 8 },
      { arbitrary: this.param(depth), weight: 3 },
      { arbitrary: fc.constantFrom(..."$`\"\\ ;&|<>(){}'*?#~!=").map((ch): Part => ({ kind: "escaped", ch })), weight: 1 },
      { arbitrary: this.arith(Math.min(depth, 2)).map((expr): Part => ({ kind: "arith", expr })), weight: 1 },
      { arbitrary: fc.array(fc.constantFrom("echo", "x", "$x", "ext").map(literalWord), { maxLength: 3 }).map((words): Part => ({ kind: "backquote", words })), weight: 1 },
    ];
    if (where === "unquoted") {
      options.push(
        { arbitrary: singleText.map((text): Part => ({ kind: "single", text })), weight: 2 },
        { arbitrary: fc.array(this.part(depth, "double"), { maxLength: 3 }).map((parts): Part => ({ kind: "double", parts })), weight: 2 },
        { arbitrary: fc.constantFrom("*", "?", "[ab]", "[!a]*").map((text): Part => ({ kind: "glob", text })), weight: 1 },
        { arbitrary: fc.constantFrom("", "root", "nobody_here").map((user): Part => ({ kind: "tilde", user })), weight: 1 },
        { arbitrary: fc.constant<Part>({ kind: "continuation" }), weight: 1 },
      );
    }
    if (depth > 0) options.push({ arbitrary: this.script(depth - 1).map((body): Part => ({ kind: "cmdsubst", body })), weight: 2 });
    return fc.oneof(...options);
  }

  private param(depth: number): fc.Arbitrary<Part> {
    const name = fc.constantFrom(...PARAMETERS);
    const simple = fc.record({ name, form: fc.constantFrom("bare" as const, "braced" as const, "length" as const) });
    const withOp = fc.record({
      name,
      form: fc.constant("op" as const),
      op: fc.constantFrom(...PARAM_OPS),
      arg: depth > 0 ? this.word(depth - 1) : fc.constant(literalWord("w")),
    });
    return fc.oneof({ arbitrary: simple, weight: 3 }, { arbitrary: withOp, weight: 2 }).map((param): Part => ({ kind: "param", param }));
  }

  private arith(depth: number): fc.Arbitrary<Arith> {
    const leaf: fc.Arbitrary<Arith> = fc.oneof(
      fc.constantFrom("0", "1", "2", "42", "0x1f", "010", "-3").map((value): Arith => ({ kind: "num", value })),
      fc.record({ name: fc.constantFrom(...VARIABLES, "_unset"), dollar: fc.boolean() }).map((v): Arith => ({ kind: "var", ...v })),
    );
    if (depth <= 0) return leaf;
    const sub = this.arith(depth - 1);
    return fc.oneof(
      { arbitrary: leaf, weight: 3 },
      { arbitrary: fc.record({ op: fc.constantFrom("-", "+", "!", "~"), operand: sub }).map((u): Arith => ({ kind: "unary", ...u })), weight: 1 },
      {
        arbitrary: fc
          .record({ op: fc.constantFrom("+", "-", "*", "/", "%", "<<", ">>", "<", "<=", "==", "!=", "&", "|", "^", "&&", "||"), left: sub, right: sub })
          .map((b): Arith => ({ kind: "binary", ...b })),
        weight: 2,
      },
      { arbitrary: fc.record({ condition: sub, then: sub, otherwise: sub }).map((t): Arith => ({ kind: "ternary", ...t })), weight: 1 },
      { arbitrary: fc.record({ name: fc.constantFrom(...VARIABLES), op: fc.constantFrom("=", "+=", "*=", "<<="), value: sub }).map((a): Arith => ({ kind: "assign", ...a })), weight: 1 },
      { arbitrary: sub.map((inner): Arith => ({ kind: "nested", inner })), weight: 1 },
      { arbitrary: this.script(depth - 1).map((body): Arith => ({ kind: "cmdsubst", body })), weight: 1 },
    );
  }

  private redirect(depth: number): fc.Arbitrary<Redirect> {
    const fd = fc.option(fc.constantFrom(0, 1, 2, 3, 9), { nil: undefined });
    const file = fc.record({
      kind: fc.constant("file" as const),
      fd,
      op: fc.constantFrom(">", ">>", "<", "<>", ">|"),
      target: this.word(Math.max(depth - 1, 0)),
    });
    // bash's here-string (dash rejects it; rushd keeps it). `&>` is not an operator, as in dash.
    const hereString = fc.record({ kind: fc.constant("file" as const), op: fc.constant("<<<"), target: this.word(0) });
    const dup = fc.record({ kind: fc.constant("dup" as const), fd, op: fc.constantFrom("<&" as const, ">&" as const), target: fc.constantFrom("0", "1", "2", "3", "-") });
    const heredoc = fc.record({ kind: fc.constant("heredoc" as const), fd, doc: this.heredoc(depth) });
    return fc.oneof({ arbitrary: file, weight: 3 }, { arbitrary: hereString, weight: 1 }, { arbitrary: dup, weight: 2 }, { arbitrary: heredoc, weight: 2 });
  }

  private heredoc(depth: number): fc.Arbitrary<Heredoc> {
    const line = fc.array(this.part(Math.max(depth - 1, 0), "heredoc"), { maxLength: 4 });
    return fc.record({
      delimiter: fc.constantFrom("EOF", "END", "x_1", "!"),
      quoting: fc.constantFrom("none" as const, "single" as const, "double" as const, "backslash" as const),
      stripTabs: fc.boolean(),
      lines: fc.array(line, { maxLength: 3 }),
    });
  }

  private simple(depth: number): fc.Arbitrary<Command> {
    const word = this.word(depth);
    const words = fc.array(word, { maxLength: 2 });
    const args = (...choices: string[][]) => fc.constantFrom(...choices).map((list) => list.map(literalWord));
    const named = (name: string, argv: fc.Arbitrary<Word[]>) => argv.map((list) => ({ name, args: list }));
    const keywordArgs = fc.array(fc.oneof(word, fc.constantFrom(...KEYWORDS).map((k): Word => [lit(k)])), { maxLength: 2 });
    const call = fc.oneof(
      { arbitrary: named("echo", keywordArgs), weight: 6 },
      { arbitrary: fc.tuple(fc.constantFrom("%s\\n", "%d", "%b|%c", "%5.2f", "%*d", "%q"), words).map(([f, rest]) => ({ name: "printf", args: [literalWord(f), ...rest] })), weight: 2 },
      { arbitrary: fc.constantFrom("true", "false", ":", "pwd", "wait", "jobs", "times", "hash").map((name) => ({ name, args: [] as Word[] })), weight: 3 },
      { arbitrary: fc.constantFrom("[", "test").chain((name) => named(name, fc.array(fc.oneof(word, fc.constantFrom("=", "!=", "-n", "-z", "-eq", "-lt", "!", "-f", "-a", "-o").map(literalWord)), { maxLength: 4 }))), weight: 2 },
      { arbitrary: named("set", args(["-e"], ["+e"], ["-u"], ["+u"], ["-x"], ["-f"], ["-C"], ["-a"], ["--", "a", "b c"], ["-o", "pipefail"], ["--"])), weight: 2 },
      { arbitrary: named("shift", args([], ["1"], ["5"])), weight: 1 },
      { arbitrary: fc.constantFrom("unset", "export", "local", "readonly", "read").chain((name) => named(name, fc.array(fc.constantFrom(...VARIABLES).map(literalWord), { maxLength: 2 }))), weight: 2 },
      { arbitrary: fc.constantFrom("export", "local").chain((name) => fc.tuple(fc.constantFrom(...VARIABLES), word).map(([v, w]) => ({ name, args: [[lit(`${v}=`), ...w]] }))), weight: 1 },
      { arbitrary: named("cd", args(["/"], ["/tmp"], ["-"], [".."], ["/no/such/dir"])), weight: 1 },
      { arbitrary: fc.constantFrom("type", "command").chain((name) => named(name, args(["echo"], ["-v", "ext"], ["fna"], ["-V", "if"]))), weight: 1 },
      { arbitrary: named("getopts", args(["ab:", "opt"], ["a", "opt", "-a", "-b"])), weight: 1 },
      { arbitrary: named("umask", args([], ["077"], ["-S"], ["u=rwx"])), weight: 1 },
      { arbitrary: fc.constantFrom("return", "break", "continue", "exit").chain((name) => named(name, args([], ["0"], ["1"], ["2"], ["300"]))), weight: 1 },
      { arbitrary: fc.constantFrom("ext", "cat", "grep", "sleep").chain((name) => named(name, words)), weight: 3 },
      { arbitrary: fc.constantFrom(...FUNCTIONS).chain((name) => named(name, words)), weight: 2 },
    );
    const assign = fc.tuple(fc.constantFrom(...VARIABLES), word);
    const redirs = fc.oneof({ arbitrary: fc.constant([]), weight: 2 }, { arbitrary: fc.array(this.redirect(depth), { minLength: 1, maxLength: 2 }), weight: 1 });
    const withName = fc.record({ assigns: fc.array(assign, { maxLength: 1 }), call, redirs }).map(
      ({ assigns, call: c, redirs: r }): Command => ({ kind: "simple", assigns, name: c.name, args: c.args, redirs: r }),
    );
    const bare = fc.record({ assigns: fc.array(assign, { minLength: 1, maxLength: 2 }), redirs: fc.array(this.redirect(depth), { maxLength: 1 }) }).map(
      ({ assigns, redirs: r }): Command => ({ kind: "simple", assigns, name: undefined, args: [], redirs: r }),
    );
    return fc.oneof({ arbitrary: withName, weight: 5 }, { arbitrary: bare, weight: 1 });
  }

  private compound(depth: number): fc.Arbitrary<Command> {
    const body = this.script(depth - 1);
    const word = this.word(depth - 1);
    const redirs = fc.array(this.redirect(depth - 1), { maxLength: 1 });
    const caseItem: fc.Arbitrary<CaseItem> = fc.record({
      patterns: fc.array(fc.oneof(word, fc.constantFrom("*", "a|b", "[xy]*", "\\)").map((p): Word => [lit(p)])), { minLength: 1, maxLength: 2 }),
      body: fc.option(body, { nil: undefined }),
      terminator: fc.constantFrom(";;" as const, ";;" as const, ";&" as const),
    });
    return fc.oneof(
      fc.record({ kind: fc.constantFrom("subshell" as const, "group" as const), body, redirs }),
      fc.record({ kind: fc.constant("if" as const), clauses: fc.array(fc.tuple(body, body), { minLength: 1, maxLength: 2 }), elseBody: body }, { requiredKeys: ["kind", "clauses"] }),
      fc.record({ kind: fc.constant("for" as const), name: fc.constantFrom(...VARIABLES, "i"), items: fc.array(word, { maxLength: 3 }), body }, { requiredKeys: ["kind", "name", "body"] }),
      fc.record({ kind: fc.constant("loop" as const), until: fc.boolean(), condition: body, body }),
      fc.record({ kind: fc.constant("case" as const), word, items: fc.array(caseItem, { maxLength: 3 }) }),
      fc.record({ kind: fc.constant("test" as const), expr: this.testExpr(Math.min(depth, 2)) }),
      fc.record({ kind: fc.constant("eval" as const), builtin: fc.constant("eval" as const), body, extra: fc.constant([]) }),
      fc.record({ kind: fc.constant("eval" as const), builtin: fc.constant("trap" as const), body, extra: fc.constantFrom(["EXIT"], ["INT", "TERM"], ["0"]) }),
    );
  }

  private testExpr(depth: number): fc.Arbitrary<TestExpr> {
    // Test words never look like operators (`[[ -n = ]]` is not a valid expression).
    const word = fc.oneof(textOf("abcxyz019_", 4, 1).map(literalWord), this.param(0).map((p) => [p]), singleText.map((text): Word => [{ kind: "single", text }]));
    const leaf: fc.Arbitrary<TestExpr> = fc.oneof(
      word.map((w): TestExpr => ({ kind: "word", word: w })),
      fc.record({ op: fc.constantFrom("-n", "-z", "-f", "-d", "-e"), word }).map((u): TestExpr => ({ kind: "unary", ...u })),
      fc.record({ op: fc.constantFrom("=", "==", "!=", "<", ">", "-eq", "-lt"), left: word, right: word }).map((b): TestExpr => ({ kind: "binary", ...b })),
    );
    if (depth <= 0) return leaf;
    const sub = this.testExpr(depth - 1);
    return fc.oneof(
      { arbitrary: leaf, weight: 3 },
      { arbitrary: sub.map((inner): TestExpr => ({ kind: "not", inner })), weight: 1 },
      { arbitrary: fc.record({ kind: fc.constantFrom("and" as const, "or" as const), left: sub, right: sub }), weight: 1 },
      { arbitrary: sub.map((inner): TestExpr => ({ kind: "paren", inner })), weight: 1 },
    );
  }

  /** A pipeline element: a simple or compound command. */
  private element(depth: number): fc.Arbitrary<Command> {
    return depth > 0 ? fc.oneof({ arbitrary: this.simple(depth), weight: 3 }, { arbitrary: this.compound(depth), weight: 1 }) : this.simple(depth);
  }

  private pipeline(depth: number): fc.Arbitrary<Command> {
    return fc.record({ bang: fc.boolean(), commands: fc.array(this.element(depth), { minLength: 1, maxLength: 2 }) }).map(
      ({ bang, commands }): Command => (commands.length === 1 && !bang && commands[0] !== undefined ? commands[0] : { kind: "pipeline", bang, commands }),
    );
  }

  /** What a list item may be: and-or lists of pipelines, and function definitions. */
  private listCommand(depth: number): fc.Arbitrary<Command> {
    const andor = fc
      .tuple(this.pipeline(depth), fc.array(fc.tuple(fc.constantFrom("&&" as const, "||" as const), this.pipeline(depth)), { maxLength: 1 }))
      .map(([first, rest]): Command => (rest.length === 0 ? first : { kind: "andor", first, rest }));
    if (depth === 0) return andor;
    const body = this.compound(depth).filter((c) => c.kind === "group" || c.kind === "subshell" || c.kind === "if" || c.kind === "case");
    const definition = fc.record({ kind: fc.constant("function" as const), name: fc.constantFrom(...FUNCTIONS), body });
    return fc.oneof({ arbitrary: andor, weight: 6 }, { arbitrary: definition, weight: 1 });
  }
}

const grammar = new Grammar();

/** (a) Scripts in the model: they parse, and they run to the end in bounded time. */
export const scriptModel: fc.Arbitrary<Script> = grammar.script(3);

export const validScript: fc.Arbitrary<string> = scriptModel.map((script) => Renderer.render(script));

/** A valid script cut short before a blank or newline (so no token is cut in two). */
export const validPrefix: fc.Arbitrary<string> = fc.tuple(validScript, fc.nat()).map(([text, k]) => {
  const cuts = [...text.matchAll(/[ \n]/g)].map((m) => m.index);
  return text.slice(0, cuts.length === 0 ? 0 : cuts[k % cuts.length]);
});

/** Pieces of shell text: operators, quotes, expansions, keywords, here-doc syntax. */
const FRAGMENTS = [
  "'", '"', "`", "\\", "$", "{", "}", "(", ")", "|", "&", ";", "<", ">", "\n", " ", "\t", "#", "=", "*", "?", "[", "]", "~", "!", "-", ":", "%", "/", "@",
  "a", "x", "1", "0", "echo", "EOF", "\\\n", "$(", "${", "$((", "))", "${x:-", "${#", "<<", "<<-", "<<EOF\n", "\nEOF\n", "<<'EOF'\n", ">&", "2>", "&&", "||", ";;", ";&",
  "if", "then", "elif", "else", "fi", "for", "in", "do", "done", "while", "until", "case", "esac", "function", "[[", "]]", "=~", "f()", "$'", "\\x41",
];

/** (b) Strings over a shell-ish alphabet, weighted toward fragments that open and close constructs. */
export const shellish: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 40 }).map((parts) => parts.join("")), weight: 3 },
  { arbitrary: fc.string({ unit: fc.constantFrom(..."'\"`\\${}()|&;<> \n#ax1=*~!"), maxLength: 60 }), weight: 1 },
);

export type Mutation =
  | { readonly kind: "delete" | "duplicate" | "truncate"; readonly at: number; readonly length: number }
  | { readonly kind: "insert"; readonly at: number; readonly text: string }
  | { readonly kind: "swap"; readonly at: number; readonly other: number }
  | { readonly kind: "deleteToken" | "duplicateToken"; readonly at: number }
  | { readonly kind: "swapTokens"; readonly at: number; readonly other: number };

const position = fc.nat({ max: 1 << 20 });
export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constantFrom("delete" as const, "duplicate" as const, "truncate" as const), at: position, length: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constant("insert" as const), at: position, text: fc.constantFrom(...FRAGMENTS) }),
  fc.record({ kind: fc.constant("swap" as const), at: position, other: position }),
  fc.record({ kind: fc.constantFrom("deleteToken" as const, "duplicateToken" as const), at: position }),
  fc.record({ kind: fc.constant("swapTokens" as const), at: position, other: position }),
);

/** Tokens with the blanks before them, so that joining them gives the text back. */
function tokens(text: string): string[] {
  return text.match(/\s*(?:[A-Za-z0-9_]+|&&|\|\||;;|<<-?|>>|[<>]&|\$\(\(?|\$\{|\S)|\s+$/g) ?? [];
}

export function applyMutation(text: string, m: Mutation): string {
  const at = text.length === 0 ? 0 : m.at % (text.length + 1);
  switch (m.kind) {
    case "delete":
      return text.slice(0, at) + text.slice(at + m.length);
    case "duplicate":
      return text.slice(0, at + m.length) + text.slice(at);
    case "truncate":
      return text.slice(0, at);
    case "insert":
      return text.slice(0, at) + m.text + text.slice(at);
    case "swap": {
      if (text.length < 2) return text;
      const i = m.at % text.length;
      const j = m.other % text.length;
      const chars = [...text];
      [chars[i], chars[j]] = [chars[j] ?? "", chars[i] ?? ""];
      return chars.join("");
    }
    case "deleteToken":
    case "duplicateToken": {
      const list = tokens(text);
      const i = m.at % Math.max(list.length, 1);
      if (m.kind === "deleteToken") list.splice(i, 1);
      else list.splice(i, 0, list[i] ?? "");
      return list.join("");
    }
    case "swapTokens": {
      const list = tokens(text);
      if (list.length < 2) return text;
      const i = m.at % list.length;
      const j = m.other % list.length;
      [list[i], list[j]] = [list[j] ?? "", list[i] ?? ""];
      return list.join("");
    }
  }
}

/** (c) A valid script after one to four mutations. */
export const mutatedScript: fc.Arbitrary<string> = fc
  .tuple(validScript, fc.array(mutation, { minLength: 1, maxLength: 4 }))
  .map(([text, mutations]) => mutations.reduce(applyMutation, text));
