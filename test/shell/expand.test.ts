// Unit tests of the expansion steps: arithmetic, patterns, field splitting,
// braces left as written, and whole-word expansion against a fake environment.

import { describe, expect, test } from "bun:test";
import type { Word } from "../../src/shell/ast.ts";
import { evaluateArithmetic } from "../../src/shell/expand/arith.ts";
import type { ExpandEnv } from "../../src/shell/expand/env.ts";
import { globPattern } from "../../src/shell/expand/glob.ts";
import { drive, expandWords } from "../../src/shell/expand/index.ts";
import { matchPattern, quotePattern, replacePattern, trimPattern } from "../../src/shell/expand/pattern.ts";
import { splitFields } from "../../src/shell/expand/split.ts";
import { parse } from "../../src/shell/parser/index.ts";

function fakeEnv(vars: Record<string, string>, positional: string[] = []): ExpandEnv & { vars: Record<string, string> } {
  return {
    vars,
    get: (name) => vars[name],
    set: (name, value) => {
      vars[name] = value;
    },
    special: (name) => (name === "?" ? "0" : name === "0" ? "sh" : undefined),
    positional,
    nounset: false,
    noglob: false,
    textMode: "chars",
    home: () => "/home/u",
    readDir: (dir) => (dir === "" ? ["a.txt", "b.txt", ".hid", "c.md", "a\\"] : null),
  };
}

describe("arithmetic", () => {
  test.each([
    ["1+2*3", 7],
    ["(1+2)*3", 9],
    ["7/2", 3],
    ["-7/2", -3],
    ["-7%3", -1],
    ["2**10", 1024],
    ["1<<4|1", 17],
    ["0x1f+010", 39],
    ["16#ff", 255],
    ["5>3 && 2>1", 1],
    ["0 || 0", 0],
    ["!0 + ~0", 0],
    ["1 ? 2 : 3", 2],
    ["0 ? 2 : 1 ? 4 : 5", 4],
    ["1,2,3", 3],
    ["x", 5],
    ["x*y", 15],
    ["expr*2", 8],
    ["unset_var + 1", 1],
    ["9223372036854775807 + 1", -9223372036854775808n],
    ["3 == 3", 1],
    ["3 != 3", 0],
    ["5 ^ 1", 4],
  ] as const)("%s = %p", (source, want) => {
    const env = fakeEnv({ x: "5", y: "3", expr: "2+2" });
    expect(evaluateArithmetic(source, env).toString()).toBe(want.toString());
  });

  test.each([
    ["x=4", "4", "4"],
    ["x+=2", "7", "7"],
    ["x<<=1", "10", "10"],
    ["x++", "5", "6"],
    // dash reads `++x` as +(+x), and that reading wins where it parses (the compatibility rule).
    ["++x", "5", "5"],
    ["--x", "5", "5"],
    ["x--2", "7", "5"],
    ["x--", "5", "4"],
    ["y = x = 2", "2", "2"],
  ])("%s gives %s and sets x to %s", (source, result, after) => {
    const env = fakeEnv({ x: "5" });
    expect(evaluateArithmetic(source, env).toString()).toBe(result);
    expect(env.vars.x).toBe(after);
  });

  test.each([["1/0", "division by zero"], ["5%0", "division by zero"], ["1+", "expecting primary"], ["(1", "expecting ')'"], ["08", "expecting EOF"], ["1e3", "expecting EOF"], ["2 3", "expecting EOF"], ["", "expecting primary"], [" ", "expecting primary"], ['"1"+2', "expecting primary"], ["a[1]", "expecting EOF"]])(
    "%s fails: %s",
    (source, message) => {
      expect(() => evaluateArithmetic(source, fakeEnv({}))).toThrow(message);
    },
  );

  // A value may be an expression of constants; names in it are not followed, as dash refuses them.
  test.each([["b", "Illegal number: a"], ["c", "Illegal number: a+1"], ["d", "Illegal number: y=1"], ["e", "Illegal number: 1 +"]])(
    "a variable whose value uses names or is malformed: %s fails: %s",
    (source, message) => {
      expect(() => evaluateArithmetic(source, fakeEnv({ a: "3", b: "a", c: "a+1", d: "y=1", e: "1 +" }))).toThrow(message);
    },
  );

  test("a constant past 64 bits saturates, as strtoimax does; a variable's is an illegal number", () => {
    expect(evaluateArithmetic("99999999999999999999", fakeEnv({})).toString()).toBe("9223372036854775807");
    expect(evaluateArithmetic("-0xffffffffffffffff", fakeEnv({})).toString()).toBe("-9223372036854775807");
    expect(() => evaluateArithmetic("x", fakeEnv({ x: "99999999999999999999" }))).toThrow("Illegal number: 99999999999999999999");
  });

  test("0 || 1/0 and 1 && ... short-circuit", () => {
    expect(evaluateArithmetic("1 || 1/0", fakeEnv({})).toString()).toBe("1");
    expect(evaluateArithmetic("0 && 1/0", fakeEnv({})).toString()).toBe("0");
    expect(evaluateArithmetic("0 ? 1/0 : 2", fakeEnv({})).toString()).toBe("2");
  });
});

describe("patterns", () => {
  test.each([
    ["*.txt", "a.txt", true],
    ["*.txt", "a.md", false],
    ["?", "ab", false],
    ["[abc]x", "bx", true],
    ["[!abc]x", "bx", false],
    // As in dash, `^` is an ordinary member: no negation.
    ["[^abc]x", "dx", false],
    ["[^abc]x", "^x", true],
    ["[\\\\]", "\\", true],
    ["[a-c]", "b", true],
    ["[[:alpha:]]*", "Zed", true],
    ["[[:digit:]]", "x", false],
    ["[[:space:]]", " ", true],
    ["\\*", "*", true],
    ["\\*", "a", false],
    ["[", "[", true],
    ["a[]]b", "a]b", true],
    ["*", ".hidden", true],
  ])("%s matches %s: %p", (pattern, text, want) => {
    expect(matchPattern(pattern, text)).toBe(want);
  });

  // A quoted `-` or `!` is a plain member of a bracket expression, as in dash:
  // quotePattern escapes them, so `[a'-'c]` is a, - or c and `['!']` is a `!`.
  test.each([
    ["[a", "-", "c]", "-", true],
    ["[a", "-", "c]", "b", false],
    ["[", "!", "]", "!", true],
    ["[", "!", "a]", "b", false],
    ["[", "!a", "]", "a", true],
  ])("%s + quoted %s + %s matches %s: %p", (before, quoted, after, text, want) => {
    expect(matchPattern(before + quotePattern(quoted) + after, text)).toBe(want);
  });

  test.each([
    ["hello.tar.gz", "*.", "#", "tar.gz"],
    ["hello.tar.gz", "*.", "##", "gz"],
    ["hello.tar.gz", ".*", "%", "hello.tar"],
    ["hello.tar.gz", ".*", "%%", "hello"],
    ["abc", "x", "#", "abc"],
  ] as const)("trim %s by %s (%s) = %s", (value, pattern, mode, want) => {
    expect(trimPattern(value, pattern, mode)).toBe(want);
  });

  test.each([
    ["aaa", "a", "b", "/", "baa"],
    ["aaa", "a", "b", "//", "bbb"],
    ["abcabc", "b*", "X", "/", "aX"],
    ["abc", "a", "X", "/#", "Xbc"],
    ["abc", "c", "X", "/%", "abX"],
  ] as const)("replace in %s: %s -> %s (%s) = %s", (value, pattern, replacement, mode, want) => {
    expect(replacePattern(value, pattern, replacement, mode)).toBe(want);
  });
});

describe("field splitting", () => {
  const unquoted = (text: string) => [{ text, quoted: false, split: true }];
  test.each([
    ["  a  b  ", undefined, ["a", "b"]],
    ["a:b::c:", ":", ["a", "b", "", "c"]],
    [" :a", " :", ["", "a"]],
    ["a : b", " :", ["a", "b"]],
    ["a b", "", ["a b"]],
    ["", undefined, []],
    ["a\tb\nc", undefined, ["a", "b", "c"]],
  ] as const)("%p with IFS %p", (text, ifs, want) => {
    expect(splitFields(unquoted(text), ifs).map((f) => f.value)).toEqual([...want]);
  });

  test("quoted empty text makes a field; an empty expansion does not", () => {
    expect(splitFields([{ text: "", quoted: true, split: false }], undefined).map((f) => f.value)).toEqual([""]);
    expect(splitFields([{ text: "", quoted: false, split: true }], undefined)).toEqual([]);
  });
});

describe("braces are not expanded (dash has no brace expansion)", () => {
  const words = (source: string): readonly Word[] => {
    const first = parse(source).body.items[0]?.command;
    if (first?.kind !== "simple") throw new Error("not a simple command");
    return first.words;
  };
  test.each([
    ["echo a{b,c}d", ["echo", "a{b,c}d"]],
    ["echo {1..3}", ["echo", "{1..3}"]],
    ["echo {3..1}", ["echo", "{3..1}"]],
    ["echo {01..03}", ["echo", "{01..03}"]],
    ["echo {a..c}", ["echo", "{a..c}"]],
    ["echo {1..10..4}", ["echo", "{1..10..4}"]],
    ["echo {a,b}{1,2}", ["echo", "{a,b}{1,2}"]],
    ["echo {a,{b,c}}", ["echo", "{a,{b,c}}"]],
    ["echo {a}", ["echo", "{a}"]],
    ["echo '{a,b}'", ["echo", "{a,b}"]],
  ])("%s", (source, want) => {
    const expanded = drive(expandWords(words(source), fakeEnv({})), () => "");
    expect(expanded).toEqual(want);
  });

  test("a word with braces and a parameter is one field", () => {
    const expanded = drive(expandWords(words("x{$v,b}"), fakeEnv({ v: "a" })), () => "");
    expect(expanded).toEqual(["x{a,b}"]);
  });
});

describe("globbing", () => {
  const tree: Record<string, string[]> = { "": ["a.txt", "b.txt", ".hid", "sub"], sub: ["x.txt", "y.md"], "/": ["etc"], "/etc": ["passwd"] };
  // As the file system does, `sub//` and `sub/` name `sub`.
  const readDir = (dir: string) => tree[dir.length > 1 ? dir.replace(/\/+/g, "/").replace(/\/$/, "") : dir] ?? null;
  test.each([
    ["*.txt", ["a.txt", "b.txt"]],
    // Doubled slashes stay as written, as in dash.
    ["sub//*.txt", ["sub//x.txt"]],
    [".*", [".", "..", ".hid"]],
    ["*/*.txt", ["sub/x.txt"]],
    ["/e*/p*", ["/etc/passwd"]],
    ["*.none", null],
    ["\\*.txt", null],
  ] as const)("%s", (pattern, want) => {
    expect(globPattern(pattern, readDir)).toEqual(want === null ? null : [...want]);
  });
});

describe("whole words", () => {
  test.each([
    ['echo "$@"', ["a b", "c"], ["echo", "a b", "c"]],
    ["echo $@", ["a b", "c"], ["echo", "a", "b", "c"]],
    ['echo "$*"', ["a", "b"], ["echo", "a b"]],
    ['echo "x$@y"', ["a", "b"], ["echo", "xa", "by"]],
    ['echo "$@"', [], ["echo"]],
    ['echo ""', [], ["echo", ""]],
    ["echo ${v:-a b}", [], ["echo", "a", "b"]],
    ['echo "${v:-a b}"', [], ["echo", "a b"]],
    ["echo ~/x", [], ["echo", "/root/x"]],
    ["echo *.txt", [], ["echo", "a.txt", "b.txt"]],
    ['echo "*.txt"', [], ["echo", "*.txt"]],
    ["echo ${#HOME}", [], ["echo", "5"]],
    ["echo $((2+3))", [], ["echo", "5"]],
    ["echo $(cmd)", [], ["echo", "out", "put"]],
    // A bracket spanning quoted parts is still a pattern: a[\\] matches the file `a\`.
    ["echo a[\\\\]", [], ["echo", "a\\"]],
    ["echo a['\\']", [], ["echo", "a\\"]],
    ["echo 'a['\\\\]", [], ["echo", "a[\\]"]],
  ])("%s with %p", (source, positional, want) => {
    const first = parse(source).body.items[0]?.command;
    if (first?.kind !== "simple") throw new Error("not a simple command");
    const env = fakeEnv({ HOME: "/root", IFS: " \t\n" }, [...positional]);
    expect(drive(expandWords(first.words, env), () => "out put\n\n")).toEqual(want);
  });
});
