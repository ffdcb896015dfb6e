import { describe, expect, test } from "bun:test";
import type { Word } from "../../src/shell/ast.ts";
import { ShellSyntaxError } from "../../src/shell/errors.ts";
import type { Token } from "../../src/shell/lexer.ts";
import { tokenize } from "../../src/shell/parser/index.ts";
import { renderWord } from "./render-word.ts";

/**
 * The word tokens of `source`, each rendered with its parts made visible:
 * literal text as is, 'single', "double", ${param op arg}, ~user, $((arith));
 * a command substitution shows the source span its program covers.
 */
function words(source: string): string {
  const word = (w: Word): string => renderWord(w, (p) => `$(${source.slice(p.program.start.offset, p.program.end.offset)})`);
  return tokenize(source)
    .flatMap((t) => (t.kind === "word" ? [word(t.word)] : []))
    .join(" ");
}

/** One string per token: `w:text` for words (as written), the operator, `fd:op`, `NL`, `EOF`. */
function kinds(source: string): string[] {
  return tokenize(source).map((t: Token) => {
    if (t.kind === "word") return `w:${t.raw}`;
    if (t.kind === "op") return t.fd === undefined ? t.op : `${t.fd}:${t.op}`;
    return t.kind === "newline" ? "NL" : "EOF";
  });
}

describe("tokens", () => {
  test.each([
    ["echo hi", ["w:echo", "w:hi", "EOF"]],
    ["a|b||c", ["w:a", "|", "w:b", "||", "w:c", "EOF"]],
    ["a&b&&c", ["w:a", "&", "w:b", "&&", "w:c", "EOF"]],
    ["a;b;;c;&d;;&e", ["w:a", ";", "w:b", ";;", "w:c", ";&", "w:d", ";;&", "w:e", "EOF"]],
    ["(a)", ["(", "w:a", ")", "EOF"]],
    ["<a >b >>c >|d <>e <&f >&g", ["<", "w:a", ">", "w:b", ">>", "w:c", ">|", "w:d", "<>", "w:e", "<&", "w:f", ">&", "w:g", "EOF"]],
    ["<<a <<-b <<<c", ["<<", "w:a", "<<-", "w:b", "<<<", "w:c", "EOF"]],
    // dash has no `&>`: it is `&` and then `>`.
    ["a &>d &>>e", ["w:a", "&", ">", "w:d", "&", ">>", "w:e", "EOF"]],
    ["2>f 10<g", ["2:>", "w:f", "w:10", "<", "w:g", "EOF"]],
    // XCU 2.2.1: a backslash-newline inside an operator or between an IO_NUMBER and its operator goes too.
    ["a &\\\n& b |\\\n| c", ["w:a", "&&", "w:b", "||", "w:c", "EOF"]],
    ["a >\\\n> f <\\\n<\\\n-E 2\\\n>g", ["w:a", ">>", "w:f", "<<-", "w:E", "2:>", "w:g", "EOF"]],
    ["2 >f", ["w:2", ">", "w:f", "EOF"]],
    ["a2>f", ["w:a2", ">", "w:f", "EOF"]],
    ["a\nb", ["w:a", "NL", "w:b", "EOF"]],
    ["a # c\nb", ["w:a", "NL", "w:b", "EOF"]],
    ["a # c \\\nb", ["w:a", "NL", "w:b", "EOF"]],
    ["a#b", ["w:a#b", "EOF"]],
    ["a \\\n b", ["w:a", "w:b", "EOF"]],
    ["a\\\nb", ["w:a\\\nb", "EOF"]],
    ["'a b'\"c d\"e", ["w:'a b'\"c d\"e", "EOF"]],
    ["$(a b) `c d` $((1 + 2)) ${x:-a b}", ["w:$(a b)", "w:`c d`", "w:$((1 + 2))", "w:${x:-a b}", "EOF"]],
    ["$(echo ')') x", ["w:$(echo ')')", "w:x", "EOF"]],
    ["{ a; }", ["w:{", "w:a", ";", "w:}", "EOF"]],
    ["!a ! b", ["w:!a", "w:!", "w:b", "EOF"]],
    // The bare lexer reads here-doc bodies only when the parser queues them.
    ["cat <<E\nE", ["w:cat", "<<", "w:E", "NL", "w:E", "EOF"]],
  ])("%j", (source, want) => {
    expect(kinds(source)).toEqual(want);
  });
});

describe("positions", () => {
  test("tokens carry offset, line and column", () => {
    const [a, nl, b] = tokenize("ab\n  cd");
    expect(a?.start).toEqual({ offset: 0, line: 1, column: 1 });
    expect(a?.end).toEqual({ offset: 2, line: 1, column: 3 });
    expect(nl?.start).toEqual({ offset: 2, line: 1, column: 3 });
    expect(b?.start).toEqual({ offset: 5, line: 2, column: 3 });
    expect(b?.end).toEqual({ offset: 7, line: 2, column: 5 });
  });

  test("a word is one literal only when wholly unquoted", () => {
    const literals = tokenize("if 'if' i\\f $x").map((t) => (t.kind === "word" ? t.literal : t.kind));
    expect(literals).toEqual(["if", undefined, undefined, undefined, "eof"]);
  });
});

describe("parameter expansion", () => {
  test.each([
    ["echo $x $_y1 ${z}", "echo ${x} ${_y1} ${z}"],
    ["echo $1 $10 ${10}", "echo ${1} ${1}0 ${10}"],
    ["echo $@ $* $# $? $- $$ $! $0", "echo ${@} ${*} ${#} ${?} ${-} ${$} ${!} ${0}"],
    ["echo $ $. a$", "echo $ $. a$"],
    ["echo ${#x} ${#} ${#@} ${#*} ${##} ${#-}", "echo ${#x} ${#} ${#@} ${#*} ${##} ${#-}"],
    ["echo ${#:-d} ${##p}", "echo ${#:-d} ${##p}"],
    ["echo ${x:-w} ${x-w} ${x:=w} ${x=w} ${x:?w} ${x?w} ${x:+w} ${x+w}", "echo ${x:-w} ${x-w} ${x:=w} ${x=w} ${x:?w} ${x?w} ${x:+w} ${x+w}"],
    ["echo ${x%p} ${x%%p} ${x#p} ${x##p}", "echo ${x%p} ${x%%p} ${x#p} ${x##p}"],
    ["echo ${x-}", "echo ${x-}"],
    ["echo ${x:-a b}", "echo ${x:-a b}"],
    ["echo ${x:-'a b'\"c\"}", "echo ${x:-'a b'\"c\"}"],
    ["echo ${x:-${y:-$z}}", "echo ${x:-${y:-${z}}}"],
    ["echo ${x:-$(echo })}", "echo ${x:-$(echo })}"],
    ["echo ${x:-~/a}", "echo ${x:-~/a}"],
    ["echo ${x:-{a}}", "echo ${x:-{a}}"],
    ["echo \"${x:-'q'}\"", "echo \"${x:-'q'}\""],
    ["echo \"${x:-\"a b\"}\"", 'echo "${x:-"a b"}"'],
    ["echo \"${x:-a\\}b}\"", "echo \"${x:-a'}'b}\""],
    ["echo ${x/a/b} ${x//a/b} ${x/#a/b} ${x/%a/b} ${x/a}", "echo ${x/a/b} ${x//a/b} ${x/#a/b} ${x/%a/b} ${x/a}"],
    ["echo ${x:1} ${x:1:2} ${x: -1} ${x:(-2):1}", "echo ${x:1} ${x:1:2} ${x: -1} ${x:(-2):1}"],
    ["echo ${x:-}", "echo ${x:-}"],
  ])("%j", (source, want) => {
    expect(words(source)).toBe(want);
  });
});

describe("a dollar before a quote is text (dash has no $'…' or $\"…\")", () => {
  test.each([
    ["echo $'a\\nb\\tc'", "a\\nb\\tc"],
    ["echo $'\\x41'", "\\x41"],
    ["echo $''", ""],
  ])("%j", (source, want) => {
    const second = tokenize(source)[1];
    expect(second?.kind === "word" ? second.word.parts : undefined).toEqual([{ kind: "literal", value: "$" }, { kind: "single", value: want }]);
  });

  test.each([
    ["echo $\"a $x\"", 'echo $"a ${x}"'],
    ["echo \"$'x'\"", "echo \"$'x'\""],
    ["echo $'a'b'c'", "echo $'a'b'c'"],
  ])("%j", (source, want) => {
    expect(words(source)).toBe(want);
  });
});

describe("tilde prefixes", () => {
  test.each([
    ["~ ~/a ~u/b ~u", "~ ~/a ~u/b ~u"],
    ["~\"x\" a~ \\~ \"~\" '~' ~$x", "~\"x\" a~ '~' \"~\" '~' ~${x}"],
    ["~+ ~- ~+/x", "~+ ~- ~+/x"],
    ["x=~/a", "x=~/a"],
    ["${x:-~/a} \"${x:-~/a}\"", "${x:-~/a} \"${x:-~/a}\""],
  ])("%j", (source, want) => {
    expect(words(source)).toBe(want);
  });

  test("a tilde prefix is a part of its own", () => {
    const parts = tokenize("~u/x a~").flatMap((t) => (t.kind === "word" ? [t.word.parts] : []));
    expect(parts).toEqual([
      [{ kind: "tilde", user: "u" }, { kind: "literal", value: "/x" }],
      [{ kind: "literal", value: "a~" }],
    ]);
  });
});

describe("word errors", () => {
  test.each([
    ["'abc", "Unterminated quoted string", 1, 1, true],
    ["a \"b\nc", "Unterminated quoted string", 1, 3, true],
    ["$'abc", "Unterminated quoted string", 1, 2, true],
    ["x ${a", "Missing '}'", 1, 3, true],
    ["${a-b", "Missing '}'", 1, 1, true],
    ["${a:b", "Missing '}'", 1, 1, true],
    // dash reads on past the newline: the `${` is still open at the end.
    ["${x\necho", "Missing '}'", 1, 1, true],
    ["${!a", "Missing '}'", 1, 1, true],
    ["\"${!a", "Unterminated quoted string", 1, 2, true],
    // dash reads `$((…))` as it reads "…": a `${` open at the end there is a quote left open.
    ["$((${x", "Unterminated quoted string", 1, 4, true],
    ["${a:}", "Missing '}'", 1, 1, false],
    ["`a", "EOF in backquote substitution", 1, 1, true],
    ["$((1", "Missing '))'", 1, 1, true],
  ])("%j", (source, message, line, column, incomplete) => {
    expect(() => tokenize(source)).toThrow(ShellSyntaxError);
    try {
      tokenize(source);
    } catch (e) {
      if (!(e instanceof ShellSyntaxError)) throw e;
      expect([e.detail, e.line, e.column, e.incomplete]).toEqual([message, line, column, incomplete]);
    }
  });
});

describe("substitutions dash cannot read fail only when expanded", () => {
  test.each([
    ["${!a}", "!a"],
    ["${a^^}", "a^^"],
    ["${}", ""],
    ["${a[0]}", "a[0]"],
    ["${x y}", "x y"],
    ["${#x:-y}", "#x:-y"],
    ["${!x\n\"}\"}", "!x\n\"}\""],
  ])("%j", (source, text) => {
    const [first] = tokenize(source);
    expect(first?.kind === "word" ? first.word.parts : undefined).toEqual([{ kind: "badsubst", text }]);
  });
});
