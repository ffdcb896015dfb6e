// The printer (src/shell/printer/): printed source parses back to the same
// tree, source positions aside, for every kind of node (a table) and for the
// parser fuzz's generated, mutated and random scripts (fixed seeds); and
// printed scripts behave as their source does.

import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import type { Command } from "../../src/shell/ast.ts";
import { parse, type ParseOptions } from "../../src/shell/parser/index.ts";
import { printCommand, printFunction, printProgram } from "../../src/shell/printer/index.ts";
import { isPrintable, shapeOf } from "./ast-shape.ts";
import { mutatedScript, shellish, validScript } from "./fuzz/generators.ts";
import { aliases } from "./fuzz/properties.ts";
import { runScript } from "./helpers.ts";

const SEED = 20_250_611;

/** The source printed from the parse of `source`; throws when that does not parse to the same shape. */
function roundTrip(source: string, options: ParseOptions = {}): string {
  const program = parse(source, options);
  const printed = printProgram(program);
  // Read back without aliases: the tree has them expanded already.
  expect({ printed, shape: shapeOf(parse(printed)) }).toEqual({ printed, shape: shapeOf(program) });
  return printed;
}

// One or more cases for every kind of node in src/shell/ast.ts.
const CONSTRUCTS: readonly (readonly [string, string])[] = [
  // simple commands, assignments
  ["simple", "echo a b"],
  ["assignments", "a=1 b= c+=x"],
  ["prefix assignment", "a=1 b=2 env"],
  ["declaration", "export V=~/x W=a readonly"],
  ["redirection only", ">f"],
  ["reserved word as a name after a redirection", ">f if; >g {; 2>&1 !"],
  ["digit word before a redirection", "echo 2 >x"],
  // quoting
  ["single quotes", "echo 'a b' 'it'\\''s' ''"],
  ["double quotes", 'echo "a $x b" "it\'s" "" "\\$ \\` \\" \\\\ \\a"'],
  ["backslashes", "echo a\\ b \\$x \\' \\\\"],
  // dash has no $'…' or $"…": a `$` and then a quoted string.
  ["a dollar before quotes", "echo $'a\\nb\\t\\x01\\377' $\"x\" $'' $\"$x\""],
  ["bare dollars", 'echo $ a$ "$" $\\a "$\\$"'],
  ["globs", "echo *.txt [a-c]? \\* \"*\""],
  ["tildes", "echo ~ ~/a ~root/b a~ x=~:~; y=~/a:~b/c:~"],
  ["newlines in quotes", "echo 'a\nb' \"c\nd\""],
  ["non-UTF-8 bytes", "echo '\udcff\udc80' \"\udcff\" \udcfe"],
  // parameters
  ["parameters", "echo $x ${x}y $1 ${10} $@ $* $# $? $- $$ $! $0 $10"],
  ["quotes in the pattern of a quoted trim", `echo "\${v#'a'*}" "\${v%%'b'\\''c'}" "\${v##''}" "\${v%\\}}" "\${v-'x'}"`],
  ["lengths", "echo ${#x} ${#} ${##} ${#@} ${#-} ${#-x}"],
  ["substitutions dash cannot read", "echo ${!x} \"${a[0]} ${x y}\" ${} ${x^^}"],
  ["defaults", "echo ${x:-a} ${x-a} ${x:=a} ${x=a} ${x:?msg} ${x?} ${x:+a} ${x+a}"],
  ["patterns", "echo ${x%a} ${x%%a*} ${x#a} ${x##*/} ${###} ${x%\"}\"}"],
  ["substitutions", "echo ${x/a/b} ${x//a} ${x/#a/b} ${x/%a/b} ${x/\\//-}"],
  ["slices", "echo ${x:1} ${x:1:2} ${x: -1} ${x:$n:${m}} \"${x:1:2}\""],
  ["offset after a line continuation", "echo ${x:\\\n-1}"],
  ["nested", "echo \"${x:-\"a b\"}\" ${x:-'q'} \"${x:-'q'}\" ${x:-${y:-$z}} \"${x:-\\}}\" ${x:-a\\}b}"],
  // substitutions
  ["command substitution", "echo $(echo a) \"$(echo \"in\")\" $() $( (echo a) )"],
  ["multi-command substitution", "echo $(a; b & c | d && e)"],
  ["compound in substitution", "echo $(case x in a) echo;; esac) $(if a; then b; fi)"],
  ["backquotes", "echo `echo a` \"`echo \"q\"`\" `echo \\`b\\`` `echo \\\\ \\$x`"],
  ["arithmetic", "echo $((1 + 2 * (3 - x))) $(( $(echo 1) + ${y:-2} )) \"$((x))\" $(((1)))"],
  // redirections
  ["redirections", "a <a >b >>c >|d <>e 2>&1 <&- 3<&0 >&2 10>h"],
  ["here-string", "a <<< \"s $x\""],
  // dash has no `&>`: `a &>f` is `a &` and then `>f`.
  ["ampersand before a redirection", "a &>f &>>g"],
  ["fd beyond 32 bits", "a 99999999999999999999>f"],
  // here-documents
  ["here-document", "cat <<EOF\nhello $x ${y} $(echo z)\n\\$ \\` \\\\ \\a \" '\nEOF\necho after"],
  ["quoted delimiters", "cat <<'E'\n$x\nE\ncat <<\"E\"\n$x\nE\ncat <<E\\F\n$x\nEF"],
  ["tab-stripped", "cat <<-EOF\n\thello\n\t\tx\n\tEOF\ncat <<-'E'\n\tq\n\tE"],
  ["tab after a line continuation", "cat <<-EOF\n\\\n\tkept\n\tEOF"],
  ["two on one line", "cat <<A <<B\na\nA\nb\nB"],
  ["in a pipeline and a list", "cat <<A | grep a && cat <<B || echo\na\nA\nb\nB"],
  ["in a substitution", "echo $(cat <<A\na\nA\n) after"],
  ["in a backquote", "echo `cat <<A\na\nA\n` after"],
  ["substitution in a body", "cat <<A\n$(cat <<B\nb\nB\n)\na\nA"],
  ["delimiter like an option", "cat << -x\nbody\n-x"],
  ["empty body", "cat <<E\nE"],
  ["body line joined into the delimiter", "cat <<E\n\\\nE\nE"],
  ["on a compound command", "{ read x; echo $x; } <<E\nv\nE"],
  // pipelines, lists
  ["pipeline", "a | b | c"],
  ["negated", "! a; ! a | b; ! { a; }"],
  ["and-or", "a && b || c"],
  ["list", "a; b & c"],
  ["background", "a & b &"],
  // compound commands
  ["subshell", "(a; b) >f; ( (a) )"],
  ["group", "{ a; b; } 2>/dev/null; { a & }"],
  ["if", "if a; then b; elif c; then d; else e; fi"],
  ["if with a background condition", "if a & then b; fi"],
  ["while", "while a; do b; done"],
  ["until", "until a; do b; done <in"],
  ["for", "for i in a \"b c\" $d; do echo $i; done"],
  ["for over $@", "for i; do echo $i; done; for i do :; done"],
  ["for over nothing", "for i in; do echo $i; done"],
  ["case", "case $x in a|b) echo ab;; (c) ;& d) echo d;;& *) ;; esac"],
  ["case without items", "case x in esac"],
  ["case with reserved patterns", "case x in (esac) ;; in) ;; esac"],
  ["case word in", "case in in in) ;; esac"],
  ["function", "f() { echo $1; }"],
  ["function with a subshell body", "f() (cd /; pwd)"],
  ["function with a simple body", "f() echo hi"],
  ["function with redirections", "f() { echo; } >/dev/null"],
  ["bash function", "function g { a; }; function h() { b; }"],
  ["function names that need the keyword", "function my-func { a; }; function if { b; }; function a=b { c; }; function a$ { d; }; function x} { e; }; function y () ( f )"],
  ["nested functions", "f() { g() { :; }; g; }"],
  ["test clause", "[[ -n $x ]] && [[ a == b* ]] && [[ x ]] >f"],
  ["test operators", "[[ ! a && ( b || c ) && ! ( d || e ) || f < g ]]"],
  ["test grouping", "[[ a || ( b || c ) ]]; [[ ( a && b ) && c ]]; [[ ! ! a ]]"],
  ["test regex", "[[ $x =~ ^(a|b c)+$ ]] && [[ $x =~ a|b ]]"],
  ["test unary-looking words", "[[ -n ]]; [[ \"-n\" == x ]]"],
];

describe("print(parse(x)) parses to the same tree", () => {
  test.each(CONSTRUCTS)("%s", (_name, source) => {
    const printed = roundTrip(source);
    // Printing is idempotent.
    expect(printProgram(parse(printed))).toBe(printed);
  });

  test("a trailing backslash is printed quoted and stays one backslash", () => {
    expect(printProgram(parse("echo a\\"))).toBe("echo a\\\\\n");
    expect(shapeOf(parse("echo a\\\\"))).toEqual(shapeOf(parse("echo a\\")));
  });

  test("aliases are expanded in the tree, and printed expanded", () => {
    const printed = roundTrip("f() { ll x; b y; }", { aliases: (name) => ({ ll: "ls -l", b: "echo \\" })[name] });
    expect(printed).toBe("f() {\n    ls -l x\n    echo \\\\ y\n}\n");
  });
});

describe("layout", () => {
  test("a function prints as `type` would show it", () => {
    const source = "f() { if [ -n \"$1\" ]; then echo yes; else for i in a b; do echo $i; done; fi; case $1 in a) x;; esac; cat <<E\nbody $1\nE\n}";
    const item = parse(source).body.items[0]?.command;
    if (item?.kind !== "funcdef") throw new Error("not a function");
    expect(printFunction(item.name, item.body)).toBe([
      "f() {",
      '    if [ -n "$1" ]; then',
      "        echo yes",
      "    else",
      "        for i in a b; do",
      "            echo $i",
      "        done",
      "    fi",
      "    case $1 in",
      "        (a)",
      "            x",
      "            ;;",
      "    esac",
      "    cat <<E",
      "body $1",
      "E",
      "}",
    ].join("\n"));
  });

  test("a command alone has no trailing newline unless a here-document needs one", () => {
    const command = (source: string): Command => {
      const item = parse(source).body.items[0];
      if (item === undefined) throw new Error("no command");
      return item.command;
    };
    expect(printCommand(command("a|b"))).toBe("a | b");
    expect(printCommand(command("cat <<E\nx\nE"))).toBe("cat <<E\nx\nE\n");
  });

  test("a substitution inside a here-document body is written on one line", () => {
    const printed = roundTrip("cat <<A\n$(if a; then cat <<B; fi)\nA\nb\nB");
    expect(printed).toBe("cat <<A\n$( if a; then cat <<B; fi)\nA\nb\nB\n");
  });
});

describe("generated scripts (the parser fuzz's inputs)", () => {
  const property = (options: ParseOptions) => (source: string) => {
    let program;
    try {
      program = parse(source, options);
    } catch {
      return; // only what parses has a tree to print
    }
    if (!isPrintable(program)) return;
    const printed = printProgram(program);
    expect({ source, printed, shape: shapeOf(parse(printed)) }).toEqual({ source, printed, shape: shapeOf(program) });
  };
  test.each([
    ["valid scripts", validScript, 300, {}],
    ["mutated scripts", mutatedScript, 500, {}],
    ["shell-ish strings", shellish, 1000, {}],
    ["with aliases", fc.oneof(validScript, mutatedScript), 300, { aliases }],
  ] as const)("%s", (_name, inputs, numRuns, options) => {
    const details = fc.check(fc.property(inputs, property(options)), { seed: SEED, numRuns });
    expect(details.failed ? fc.defaultReportMessage(details) : undefined).toBeUndefined();
  }, 60_000);
});

// Scripts that print what they do; the printed script must print the same.
const BEHAVIOUR: readonly string[] = [
  "f() { for i in \"$@\"; do case $i in a*) echo \"A:$i\";; *) echo \"other:$i\";; esac; done; }; f ab 'c d' a",
  "x='it'\\''s'; y=\"q\\\"\"; echo \"$x\" \"$y\" '$x' \\$x ${x#it} ${#y}",
  "v=\"a'bc\"; echo \"${v#'a'}\" \"${v#a\\'}\" \"${v%'c'}\" \"${v%%'b'*}\"",
  "i=0; while [ $i -lt 3 ]; do i=$((i + 1)); echo $i; done; until [ $i -eq 0 ]; do i=$((i - 1)); done; echo $i",
  "while IFS= read -r line; do echo \"[$line]\"; done <<EOF\n  one $HOME\n\ttwo \\$x\nEOF",
  "while read -r l; do echo \"<$l>\"; done <<-'E'\n\ta $b\n\tE",
  "if false; then echo no; elif [[ a == a && ! ( b < a ) ]]; then echo yes; else echo else; fi",
  "echo $(echo a; echo b) `echo c` \"$(printf '%s' 'd e')\"; v=$(case x in x) echo matched;; esac); echo $v",
  "{ echo g1; echo g2; } | { read a; read b; echo \"$b $a\"; }; (exit 3); echo $?; ! true; echo $?",
  "a=1; a+=2; echo ${a:-u} ${b:-u} ${b-d} ${a:+set} ${a/1/one} ${a: -1}; : ${c:=assigned}; echo $c",
  "g() { return 4; }; g || echo \"g failed $?\"; true && echo and; false || echo or",
  "printf '%s\\n' $'tab\\there' \"$'not'\" $\"q\" ~ ~/x",
  "x=abc; printf '%s\\n' \"${x#'a'}\" \"${x%\"c\"}\" a{b,c}",
];

describe("printed scripts behave as their source", () => {
  test.each(BEHAVIOUR)("%j", async (source) => {
    const printed = printProgram(parse(source));
    const want = await runScript(source);
    expect(want.status).toBe(0);
    expect(want.stderr).toBe("");
    expect(await runScript(printed)).toEqual(want);
  });
});
