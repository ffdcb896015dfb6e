import { describe, expect, test } from "bun:test";
import type { Token } from "../../src/shell/lexer.ts";
import { tokenize } from "../../src/shell/parser/index.ts";

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
    ["<<a <<-b <<<c &>d &>>e", ["<<", "w:a", "<<-", "w:b", "<<<", "w:c", "&>", "w:d", "&>>", "w:e", "EOF"]],
    ["2>f 10<g", ["2:>", "w:f", "10:<", "w:g", "EOF"]],
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
