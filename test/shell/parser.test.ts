import { describe, expect, test } from "bun:test";
import type { Command, List, Pos, Redirect, TestExpr, Word } from "../../src/shell/ast.ts";
import { ShellSyntaxError } from "../../src/shell/errors.ts";
import { declarationOperand, parse, Parser, type ParseOptions } from "../../src/shell/parser/index.ts";
import { renderWord } from "./render-word.ts";

// A compact, unambiguous rendering of the AST so each case fits on one line:
//   list      [a; b &]            simple    (assigns words redirs)
//   literal   text                single    'text'     double  "…"
//   param     ${name op arg}      cmdsubst  $([…]) or `[…]`     arith $((…))
//   tilde     ~user               compound  (if …) (while …) (for …) (case …) …

function word(w: Word): string {
  return renderWord(w, (p) => (p.backquote ? `\`${list(p.program.body)}\`` : `$(${list(p.program.body)})`));
}

function redir(r: Redirect): string {
  const body = r.heredoc === undefined ? "" : `{${r.heredoc.quoted ? "q:" : ""}${word(r.heredoc.body)}}`;
  return `${r.fd ?? ""}${r.op}${word(r.target)}${body}`;
}

function redirs(rs: readonly Redirect[]): string {
  return rs.map((r) => ` ${redir(r)}`).join("");
}

function list(l: List): string {
  return `[${l.items.map((i) => `${command(i.command)}${i.background ? " &" : ""}`).join("; ")}]`;
}

function test_(e: TestExpr): string {
  switch (e.kind) {
    case "word":
      return word(e.word);
    case "unary":
      return `(${e.op} ${word(e.operand)})`;
    case "binary":
      return `(${word(e.left)} ${e.op} ${word(e.right)})`;
    case "not":
      return `(! ${test_(e.expr)})`;
    case "and":
    case "or":
      return `(${e.kind} ${test_(e.left)} ${test_(e.right)})`;
  }
}

function command(c: Command): string {
  switch (c.kind) {
    case "simple": {
      const items = [
        ...c.assigns.map((a) => `${a.name}${a.append ? "+=" : "="}${word(a.value)}`),
        ...c.words.map(word),
        ...c.redirs.map(redir),
      ];
      return `(${items.join(" ")})`;
    }
    case "pipeline":
      return `(${c.negated ? "! " : ""}pipe ${c.commands.map(command).join(" ")})`;
    case "andor":
      return `(${command(c.first)}${c.rest.map((r) => ` ${r.op} ${command(r.command)}`).join("")})`;
    case "list":
      return list(c);
    case "subshell":
      return `(subshell ${list(c.body)}${redirs(c.redirs)})`;
    case "group":
      return `(group ${list(c.body)}${redirs(c.redirs)})`;
    case "if": {
      const clauses = c.clauses.map((k) => `${list(k.condition)} ${list(k.body)}`).join(" elif ");
      return `(if ${clauses}${c.elseBody ? ` else ${list(c.elseBody)}` : ""}${redirs(c.redirs)})`;
    }
    case "loop":
      return `(${c.until ? "until" : "while"} ${list(c.condition)} ${list(c.body)}${redirs(c.redirs)})`;
    case "for":
      return `(for ${c.name}${c.items ? ` in${c.items.map((w) => ` ${word(w)}`).join("")}` : ""} ${list(c.body)}${redirs(c.redirs)})`;
    case "case": {
      const items = c.items.map((i) => ` (${i.patterns.map(word).join("|")} ${list(i.body)} ${i.terminator})`);
      return `(case ${word(c.word)}${items.join("")}${redirs(c.redirs)})`;
    }
    case "funcdef":
      return `(function ${c.name} ${command(c.body)})`;
    case "testclause":
      return `(test ${test_(c.expr)}${redirs(c.redirs)})`;
  }
}

function show(source: string, options?: ParseOptions): string {
  return list(parse(source, options).body);
}

function syntaxError(source: string, options?: ParseOptions): ShellSyntaxError {
  try {
    parse(source, options);
  } catch (e) {
    if (e instanceof ShellSyntaxError) return e;
    throw e;
  }
  throw new Error(`no syntax error for ${JSON.stringify(source)}`);
}

describe("simple commands and words", () => {
  test.each([
    ["echo hi", "[(echo hi)]"],
    ["  echo   a\tb  ", "[(echo a b)]"],
    ["", "[]"],
    ["\n\n# only a comment\n", "[]"],
    ["echo a # comment", "[(echo a)]"],
    ["echo a#b", "[(echo a#b)]"],
    ["echo 'a b' \"c d\"", "[(echo 'a b' \"c d\")]"],
    ["echo \\a\\ b", "[(echo 'a 'b)]"],
    ["echo a\\\nb", "[(echo ab)]"],
    ["ec\\\nho hi", "[(echo hi)]"],
    ["echo 'a\\\nb'", "[(echo 'a\\\nb')]"],
    ["echo \"a\\\nb\"", '[(echo "ab")]'],
    ['echo "a\\$b\\`\\"\\\\\\c"', '[(echo "a\'$\'b\'`"\\\'\\c")]'],
    ["echo \"it's\"", '[(echo "it\'s")]'],
    ["echo ''", "[(echo '')]"],
    ['echo ""', '[(echo "")]'],
    ["x=1", "[(x=1)]"],
    ["x=", "[(x=)]"],
    ["x=1 y=2 cmd a=b", "[(x=1 y=2 cmd a=b)]"],
    ["x+=1", "[(x+=1)]"],
    ["1x=2", "[(1x=2)]"],
    ["x='a b'c", "[(x='a b'c)]"],
    ["\"x\"=1", '[("x"=1)]'],
    ["echo {a,b} [x] *", "[(echo {a,b} [x] *)]"],
    ["echo é日本", "[(echo é日本)]"],
  ])("%j", (source, want) => {
    expect(show(source)).toBe(want);
  });
});

describe("command and arithmetic substitution", () => {
  test.each([
    ["echo $(ls)", "[(echo $([(ls)]))]"],
    ["echo $( )", "[(echo $([]))]"],
    ["echo \"$(echo \"a b\")\"", '[(echo "$([(echo "a b")])")]'],
    ["echo $(case x in a) echo a;; esac)", "[(echo $([(case x (a [(echo a)] ;;))]))]"],
    ["echo $(case x in (a) echo a;; esac)", "[(echo $([(case x (a [(echo a)] ;;))]))]"],
    ["echo $(echo a # comment )\n)", "[(echo $([(echo a)]))]"],
    ["echo $(echo ')'; echo \")\")", "[(echo $([(echo ')'); (echo \")\")]))]"],
    ["echo $(echo $(echo a))", "[(echo $([(echo $([(echo a)]))]))]"],
    ["echo `echo a`", "[(echo `[(echo a)]`)]"],
    ["echo `echo \\`echo a\\``", "[(echo `[(echo `[(echo a)]`)]`)]"],
    ["echo `echo \\$x`", "[(echo `[(echo ${x})]`)]"],
    ["echo \"`echo \\\"a\\\"`\"", '[(echo "`[(echo "a")]`")]'],
    ["echo $((1 + 2))", "[(echo $((1 + 2)))]"],
    ["echo $(( (1+2) * $x ))", "[(echo $(( (1+2) * ${x} )))]"],
    ["echo $((x+$(echo 1)))", "[(echo $((x+$([(echo 1)]))))]"],
    ["echo $((${#x} * 2))", "[(echo $((${#x} * 2)))]"],
    ["echo $( (echo a) | tr a b)", "[(echo $([(pipe (subshell [(echo a)]) (tr a b))]))]"],
    ["echo $((a) + (b)))", "[(echo $((a) + (b))))]"],
    ["echo $( (echo a) )", "[(echo $([(subshell [(echo a)])]))]"],
    ["echo \"$((1+1))\"", '[(echo "$((1+1))")]'],
  ])("%j", (source, want) => {
    expect(show(source)).toBe(want);
  });
});

describe("pipelines and lists", () => {
  test.each([
    ["a | b", "[(pipe (a) (b))]"],
    ["a | b | c", "[(pipe (a) (b) (c))]"],
    ["! a", "[(! pipe (a))]"],
    ["! a | b", "[(! pipe (a) (b))]"],
    ["a |\n\n b", "[(pipe (a) (b))]"],
    ["a && b || c", "[((a) && (b) || (c))]"],
    ["a &&\n b", "[((a) && (b))]"],
    ["a | b && ! c", "[((pipe (a) (b)) && (! pipe (c)))]"],
    ["a; b", "[(a); (b)]"],
    ["a & b &", "[(a) &; (b) &]"],
    ["a\nb\n\nc", "[(a); (b); (c)]"],
    ["a;", "[(a)]"],
    ["a && b & c", "[((a) && (b)) &; (c)]"],
    ["echo !", "[(echo !)]"],
  ])("%j", (source, want) => {
    expect(show(source)).toBe(want);
  });
});

describe("compound commands", () => {
  test.each([
    ["(a; b)", "[(subshell [(a); (b)])]"],
    ["((a))", "[(subshell [(subshell [(a)])])]"],
    ["{ a; b; }", "[(group [(a); (b)])]"],
    ["{ a\n}", "[(group [(a)])]"],
    ["{ echo }; }", "[(group [(echo })])]"],
    ["if a; then b; fi", "[(if [(a)] [(b)])]"],
    ["if a\nthen\n b\nfi", "[(if [(a)] [(b)])]"],
    ["if a; then b; elif c; then d; else e; fi", "[(if [(a)] [(b)] elif [(c)] [(d)] else [(e)])]"],
    ["while a; do b; done", "[(while [(a)] [(b)])]"],
    ["until a; do b; done", "[(until [(a)] [(b)])]"],
    ["for i in a b; do echo $i; done", "[(for i in a b [(echo ${i})])]"],
    ["for i in; do a; done", "[(for i in [(a)])]"],
    ["for i; do a; done", "[(for i [(a)])]"],
    ["for i do a; done", "[(for i [(a)])]"],
    ["for i\ndo a; done", "[(for i [(a)])]"],
    ["for i\nin a\ndo b\ndone", "[(for i in a [(b)])]"],
    ["for i in a do; do b; done", "[(for i in a do [(b)])]"],
    ["case x in a) b;; esac", "[(case x (a [(b)] ;;))]"],
    ["case x in\n a|b) c;;\n (d) e;&\n *) f;;&\n g) h\nesac", "[(case x (a|b [(c)] ;;) (d [(e)] ;&) (* [(f)] ;;&) (g [(h)] ;;))]"],
    ["case x in esac", "[(case x)]"],
    ["case x in a) ;; esac", "[(case x (a [] ;;))]"],
    ["case $x in\n\"a\") b;;\nesac", '[(case ${x} ("a" [(b)] ;;))]'],
    ["case x\nin a) b;; esac", "[(case x (a [(b)] ;;))]"],
    ["f() { a; }", "[(function f (group [(a)]))]"],
    ["f ( )\n{ a; }", "[(function f (group [(a)]))]"],
    ["f() ( a )", "[(function f (subshell [(a)]))]"],
    ["f() { a; } >log 2>&1", "[(function f (group [(a)] >log 2>&1))]"],
    ["f() echo hi", "[(function f (echo hi))]"],
    ["function f { a; }", "[(function f (group [(a)]))]"],
    ["function f() { a; }", "[(function f (group [(a)]))]"],
    // dash has no `function` keyword: without a name and `{` or `(` on its line it is a command name.
    ["function() { a; }", "[(function function (group [(a)]))]"],
    ["function", "[(function)]"],
    ["function f\n{ a; }", "[(function f); (group [(a)])]"],
    ["function -x", "[(function -x)]"],
    ["{ a; } > f", "[(group [(a)] >f)]"],
    ["(a) 2>/dev/null | b", "[(pipe (subshell [(a)] 2>/dev/null) (b))]"],
    ["if a; then b; fi <in >out", "[(if [(a)] [(b)] <in >out)]"],
    ["while a; do b; done | c", "[(pipe (while [(a)] [(b)]) (c))]"],
    ["if if a; then b; fi; then c; fi", "[(if [(if [(a)] [(b)])] [(c)])]"],
    ["echo if then fi", "[(echo if then fi)]"],
    ["x=1 if", "[(x=1 if)]"],
    ["'if' a", "[('if' a)]"],
  ])("%j", (source, want) => {
    expect(show(source)).toBe(want);
  });
});

describe("redirections", () => {
  test.each([
    ["a > f", "[(a >f)]"],
    ["a >f <g >>h >|i <>j", "[(a >f <g >>h >|i <>j)]"],
    ["a 2>&1 >&2 <&- 3<&0", "[(a 2>&1 >&2 <&- 3<&0)]"],
    ["a >&$fd 2>&\"1\" 3>&9", '[(a >&${fd} 2>&"1" 3>&9)]'],
    ["a 2 >f", "[(a 2 >f)]"],
    ["a x2>f", "[(a x2 >f)]"],
    ["a 10>f", "[(a 10 >f)]"],
    [">f a", "[(a >f)]"],
    ["x=1 >f", "[(x=1 >f)]"],
    [">f", "[(>f)]"],
    // dash has no `&>`: `a &>f` is `a &` and then the redirection `>f`.
    ["a &>f &>>g", "[(a) &; (>f) &; (>>g)]"],
    ["a <<<word", "[(a <<<word)]"],
    ["a <<< \"$x y\"", '[(a <<<"${x} y")]'],
    ["a > \"$f\"", '[(a >"${f}")]'],
  ])("%j", (source, want) => {
    expect(show(source)).toBe(want);
  });
});

describe("here-documents", () => {
  test.each([
    ["cat <<EOF\nhello\nEOF\n", "[(cat <<EOF{hello\n})]"],
    ["cat <<EOF\nhello $x ${y}!\nEOF", "[(cat <<EOF{hello ${x} ${y}!\n})]"],
    ["cat <<'EOF'\nhello $x\nEOF", "[(cat <<'EOF'{q:'hello $x\n'})]"],
    ["cat <<\"EOF\"\n$x\nEOF", '[(cat <<"EOF"{q:\'$x\n\'})]'],
    ["cat <<E\\OF\n$x\nEOF", "[(cat <<E'O'F{q:'$x\n'})]"],
    ["cat <<-EOF\n\thello\n\t\tx\n\tEOF\n", "[(cat <<-EOF{hello\nx\n})]"],
    ["cat <<-'EOF'\n\thello\n\tEOF\n", "[(cat <<-'EOF'{q:'hello\n'})]"],
    ["cat <<EOF\n\\$x \\\\ \\a \"q\" 'q'\nEOF", "[(cat <<EOF{'$'x '\\' \\a \"q\" 'q'\n})]"],
    ["cat <<EOF\na\\\nb\nEOF", "[(cat <<EOF{ab\n})]"],
    ["cat <<E\na\\\nE\nE", "[(cat <<E{aE\n})]"],
    ["cat <<EOF\n$(echo a)`echo b`$((1+2))\nEOF", "[(cat <<EOF{$([(echo a)])`[(echo b)]`$((1+2))\n})]"],
    ["cat <<A <<B\na\nA\nb\nB\necho", "[(cat <<A{a\n} <<B{b\n}); (echo)]"],
    ["cat <<A; cat <<B\na\nA\nb\nB", "[(cat <<A{a\n}); (cat <<B{b\n})]"],
    ["cat <<EOF\nno end", "[(cat <<EOF{no end})]"],
    ["cat <<EOF", "[(cat <<EOF{})]"],
    ["cat <<EOF\nEOF\n", "[(cat <<EOF{})]"],
    ["cat <<EOF | tr a b\na\nEOF", "[(pipe (cat <<EOF{a\n}) (tr a b))]"],
    ["if true; then cat <<EOF\nx\nEOF\nfi", "[(if [(true)] [(cat <<EOF{x\n})])]"],
    ["f() {\ncat <<EOF\nx\nEOF\n}", "[(function f (group [(cat <<EOF{x\n})]))]"],
    ["echo $(cat <<EOF\nx)\nEOF\n)", "[(echo $([(cat <<EOF{x)\n})]))]"],
    ["echo \"$(cat <<E\nx\nE\n)\"", '[(echo "$([(cat <<E{x\n})])")]'],
    ["echo $(cat <<E) after\nbody\nE\nnext", "[(echo $([(cat <<E{body\n})]) after); (next)]"],
    ["echo `cat <<E\nx\nE\n`", "[(echo `[(cat <<E{x\n})]`)]"],
    ["case x in a) cat <<E;;\nx\nE\nesac", "[(case x (a [(cat <<E{x\n})] ;;))]"],
    ["cat <<''\na\n\nb", "[(cat <<''{q:'a\n'}); (b)]"],
    ["cat << EOF\n  EOF\nEOF", "[(cat <<EOF{  EOF\n})]"],
    ["cat <<EOF\n\"${x:-\"a\"}\"\nEOF", '[(cat <<EOF{"${x:-"a"}"\n})]'],
  ])("%j", (source, want) => {
    expect(show(source)).toBe(want);
  });
});

describe("syntax errors", () => {
  test.each([
    ["if true; fi", '"fi" unexpected (expecting "then")', 1, 10, false],
    ["if true; then echo", 'end of file unexpected (expecting "fi")', 1, 19, true],
    ["fi", '"fi" unexpected', 1, 1, false],
    ["echo a; ;", '";" unexpected', 1, 9, false],
    ["echo a;;", '";;" unexpected', 1, 7, false],
    ["( )", '")" unexpected', 1, 3, false],
    ["echo )", '")" unexpected', 1, 6, false],
    ["echo >", "end of file unexpected", 1, 7, true],
    ["echo >\nx", "newline unexpected", 1, 7, false],
    ["a &&", "end of file unexpected", 1, 5, true],
    ["a | | b", '"|" unexpected', 1, 5, false],
    ["echo 'abc", "Unterminated quoted string", 1, 6, true],
    ["echo \"abc", "Unterminated quoted string", 1, 6, true],
    ["echo\n\n  \"a\n\nb", "Unterminated quoted string", 3, 3, true],
    ["echo ${x", "Missing '}'", 1, 6, true],
    ["echo ${x:}", "Missing '}'", 1, 6, false],
    ["echo \"${x-a", "Unterminated quoted string", 1, 7, true],
    ["echo `echo", "EOF in backquote substitution", 1, 6, true],
    ["echo $(echo", 'end of file unexpected (expecting ")")', 1, 12, true],
    ["echo $((1+2)", "Missing '))'", 1, 6, true],
    ["{ echo a }", 'end of file unexpected (expecting "}")', 1, 11, true],
    ["while true; do :; ", 'end of file unexpected (expecting "done")', 1, 19, true],
    ["for 1 in a; do :; done", "Bad for loop variable", 1, 5, false],
    ["case x in a) b;; c", 'end of file unexpected (expecting ")")', 1, 19, true],
    ["case x in a) b ) esac", '")" unexpected (expecting ";;")', 1, 16, false],
    ["x=(1)", '"(" unexpected', 1, 3, false],
    ["if then fi", '"then" unexpected', 1, 4, false],
    ["{ }", '"}" unexpected', 1, 3, false],
    ["echo a\nthen", '"then" unexpected', 2, 1, false],
    ["[[ a ", 'end of file unexpected (expecting "]]")', 1, 6, true],
    // dash's tokname: a word that is no reserved word is just "word".
    ["{ a; } b", "word unexpected", 1, 8, false],
    ["case x in x fi;; esac", 'word unexpected (expecting ")")', 1, 13, false],
    ["echo a | ! cat", '"!" unexpected', 1, 10, false],
    // dash: `$((` always opens arithmetic, so a subshell right after `$(` needs a blank.
    ["echo $((echo a) | tr a b)", "Missing '))'", 1, 6, true],
    ["in x", '"in" unexpected', 1, 1, false],
    ["echo a | in", '"in" unexpected', 1, 10, false],
    ["my-func() { :; }", "Bad function name", 1, 1, false],
    ['"f"() { :; }', "Bad function name", 1, 1, false],
  ])("%j", (source, message, line, column, incomplete) => {
    const e = syntaxError(source);
    expect({ detail: e.detail, line: e.line, column: e.column, incomplete: e.incomplete }).toEqual({
      detail: message,
      line,
      column,
      incomplete,
    });
    expect(e.message).toBe(`line ${line}: ${message}`);
  });
});

describe("tilde", () => {
  test.each([
    ["echo ~ ~/a ~u/b ~u", "[(echo ~ ~/a ~u/b ~u)]"],
    ["echo ~\"x\" a~ \\~ \"~\" '~'", "[(echo ~\"x\" a~ '~' \"~\" '~')]"],
    ["echo ~+ ~-", "[(echo ~+ ~-)]"],
    ["x=~/a:~b/c:d~ y=a:~", "[(x=~/a:~b/c:d~ y=a:~)]"],
    ["echo x=~/a", "[(echo x=~/a)]"],
    ["export x=~/a:~ y=~ -p ~", "[(export x=~/a:~ y=~ -p ~)]"],
    ["local x=~'q' y=a", "[(local x=~'q' y=a)]"],
    ["x=a~:~'q'", "[(x=a~:~'q')]"],
  ])("%j", (source, want) => {
    expect(show(source)).toBe(want);
  });

  test("declaration operands keep their text; their assignment form has assignment tildes", () => {
    const c = parse("export V=~/x W=~u V+=~").body.items[0]?.command;
    const words = c?.kind === "simple" ? c.words : [];
    // The parser cannot know the command (`$e V=~`): the executor asks for the assignment form.
    expect(words[1]?.parts).toEqual([{ kind: "literal", value: "V=~/x" }]);
    expect(words.map((w) => declarationOperand(w)?.parts)).toEqual([
      undefined,
      [{ kind: "literal", value: "V=" }, { kind: "tilde", user: "" }, { kind: "literal", value: "/x" }],
      [{ kind: "literal", value: "W=" }, { kind: "tilde", user: "u" }],
      undefined,
    ]);
  });

  test("tilde parts are distinct from literal text", () => {
    const words = parse("echo ~u/x a~").body.items[0]?.command;
    expect(words?.kind === "simple" ? words.words.map((w) => w.parts) : undefined).toEqual([
      [{ kind: "literal", value: "echo" }],
      [{ kind: "tilde", user: "u" }, { kind: "literal", value: "/x" }],
      [{ kind: "literal", value: "a~" }],
    ]);
  });
});

describe("[[ ]]", () => {
  test.each([
    ["[[ a ]]", "[(test a)]"],
    ["[[ -n $x ]]", "[(test (-n ${x}))]"],
    ["[[ -f x || -z \"\" ]]", '[(test (or (-f x) (-z "")))]'],
    ["[[ a == b* ]]", "[(test (a == b*))]"],
    ["[[ a = b && c != d ]]", "[(test (and (a = b) (c != d)))]"],
    ["[[ a < b && c > d ]]", "[(test (and (a < b) (c > d)))]"],
    ["[[ 1 -eq 2 || 1 -ne 2 || 1 -lt 2 || 1 -le 2 || 1 -gt 2 || 1 -ge 2 ]]", "[(test (or (or (or (or (or (1 -eq 2) (1 -ne 2)) (1 -lt 2)) (1 -le 2)) (1 -gt 2)) (1 -ge 2)))]"],
    ["[[ a -nt b && a -ot b && a -ef b ]]", "[(test (and (and (a -nt b) (a -ot b)) (a -ef b)))]"],
    ["[[ ! a ]]", "[(test (! a))]"],
    ["[[ ! ! a ]]", "[(test (! (! a)))]"],
    ["[[ ( a || b ) && c ]]", "[(test (and (or a b) c))]"],
    ["[[ a || b && c ]]", "[(test (or a (and b c)))]"],
    ["[[ $x =~ ^(a|b)+[[:space:]]*$ ]]", "[(test (${x} =~ ^(a|b)+[[:space:]]*$))]"],
    ["[[ $x =~ (a b) ]]", "[(test (${x} =~ (a b)))]"],
    ["[[ $x =~ a|b ]]", "[(test (${x} =~ a|b))]"],
    ["[[ $x =~ a && y ]]", "[(test (and (${x} =~ a) y))]"],
    ["[[ $x =~ \"$re\"x ]]", '[(test (${x} =~ "${re}"x))]'],
    ["[[ ( x =~ a ) ]]", "[(test (x =~ a))]"],
    ["[[ -z ]]", "[(test -z)]"],
    ["[[ a &&\n b ]]", "[(test (and a b))]"],
    ["[[ a ]] && [[ b ]]", "[((test a) && (test b))]"],
    ["[[ a ]] >f", "[(test a >f)]"],
    ["echo [[ a ]]", "[(echo [[ a ]])]"],
    ["[[ \"$a\" == \"$b\" ]]", '[(test ("${a}" == "${b}"))]'],
  ])("%j", (source, want) => {
    expect(show(source)).toBe(want);
  });
});

describe("aliases", () => {
  const table: Record<string, string> = {
    ll: "ls -l",
    e: "echo ",
    x: "y",
    y: "x",
    lf: "lf -F",
    lll: "ll -a",
    begin: "{",
    both: "echo a; echo b",
    pipe: "cat |",
    fi: "nope",
    nl: "echo a\necho b",
    chain: "lll ",
    empty: "",
  };
  const options: ParseOptions = { aliases: (name) => table[name] };
  test.each([
    ["ll /tmp", "[(ls -l /tmp)]"],
    ["lf", "[(lf -F)]"],
    ["lll", "[(ls -l -a)]"],
    ["x", "[(x)]"],
    ["echo ll", "[(echo ll)]"],
    ["'ll' \\ll", "[('ll' 'l'l)]"],
    ["e ll", "[(echo ls -l)]"],
    ["e e ll", "[(echo echo ls -l)]"],
    ["e a ll", "[(echo a ll)]"],
    // The first word of an alias found after a blank-ending one is looked up too, as in dash.
    ["e chain ll", "[(echo ls -l -a ls -l)]"],
    ["e empty ll", "[(echo ls -l)]"],
    ["a=1 ll", "[(a=1 ls -l)]"],
    [">f ll", "[(ls -l >f)]"],
    ["if ll; then ll; fi", "[(if [(ls -l)] [(ls -l)])]"],
    ["ll | ll && ll", "[((pipe (ls -l) (ls -l)) && (ls -l))]"],
    ["begin ll; }", "[(group [(ls -l)])]"],
    ["both", "[(echo a); (echo b)]"],
    ["pipe wc", "[(pipe (cat) (wc))]"],
    ["nl", "[(echo a); (echo b)]"],
    ["echo $(ll)", "[(echo $([(ls -l)]))]"],
    ["for ll in ll; do ll; done", "[(for ll in ll [(ls -l)])]"],
  ])("%j", (source, want) => {
    expect(show(source, options)).toBe(want);
  });

  test("reserved words are not alias-expanded", () => {
    expect(syntaxError("fi", options).detail).toBe('"fi" unexpected');
  });
});

describe("Parser.next: one command line at a time", () => {
  function lines(source: string, options?: ParseOptions): string[] {
    const parser = new Parser(source, options);
    const out: string[] = [];
    for (let l = parser.next(); l !== null; l = parser.next()) out.push(list(l));
    return out;
  }

  test.each([
    ["", []],
    ["\n\n# c\n  \n", []],
    ["a\nb", ["[(a)]", "[(b)]"]],
    ["a; b & c\nd", ["[(a); (b) &; (c)]", "[(d)]"]],
    ["a;\nb &\n", ["[(a)]", "[(b) &]"]],
    ["if a\nthen b\nfi\nc", ["[(if [(a)] [(b)])]", "[(c)]"]],
    ["cat <<E; echo x\nbody\nE\nnext", ["[(cat <<E{body\n}); (echo x)]", "[(next)]"]],
    ["a &&\nb\nc", ["[((a) && (b))]", "[(c)]"]],
    ["echo 'a\nb'\nc", ["[(echo 'a\nb')]", "[(c)]"]],
    ["a # comment\n# more\nb", ["[(a)]", "[(b)]"]],
  ])("%j", (source, want) => {
    expect(lines(source)).toEqual(want);
  });

  test("an alias defined after line 1 applies on line 2", () => {
    const defined = new Map<string, string>();
    const parser = new Parser("alias ll='ls -l'\nll\nll", { aliases: (name) => defined.get(name) });
    const next = (): string | null => {
      const l = parser.next();
      return l === null ? null : list(l);
    };
    expect(next()).toBe("[(alias ll='ls -l')]");
    defined.set("ll", "ls -l");
    expect(next()).toBe("[(ls -l)]");
    defined.delete("ll");
    expect([next(), next()]).toEqual(["[(ll)]", null]);
  });

  test("a syntax error on a later line is raised only when that line is read", () => {
    const parser = new Parser("echo ok\nfi\n");
    expect(parser.next()).not.toBeNull();
    expect(() => parser.next()).toThrow(ShellSyntaxError);
  });
});

const at = (offset: number, line: number, column: number): Pos => ({ offset, line, column });

describe("positions", () => {
  test("simple command and its words", () => {
    const c = parse("echo hi").body.items[0]?.command;
    expect(c?.start).toEqual(at(0, 1, 1));
    expect(c?.end).toEqual(at(7, 1, 8));
    expect(c?.kind === "simple" ? c.words[1]?.start : undefined).toEqual(at(5, 1, 6));
  });

  test("commands on later lines", () => {
    const items = parse("a\n  b c").body.items;
    expect(items[1]?.command.start).toEqual(at(4, 2, 3));
    expect(items[1]?.command.end).toEqual(at(7, 2, 6));
  });

  test("compound commands span their keywords", () => {
    const c = parse("  if a; then b; fi >f").body.items[0]?.command;
    expect(c?.start).toEqual(at(2, 1, 3));
    expect(c?.end).toEqual(at(21, 1, 22));
  });

  test("words inside $(…) keep source positions", () => {
    const c = parse("echo $(\n  ls -l)").body.items[0]?.command;
    const subst = c?.kind === "simple" ? c.words[1]?.parts[0] : undefined;
    const inner = subst?.kind === "cmdsubst" ? subst.program.body.items[0]?.command : undefined;
    expect(inner?.start).toEqual(at(10, 2, 3));
    expect(inner?.kind === "simple" ? inner.words[1]?.end : undefined).toEqual(at(15, 2, 8));
  });

  test("redirections, assignments and here-doc bodies", () => {
    const c = parse("x=1 cat 2>f <<E\nbody\nE\n").body.items[0]?.command;
    if (c?.kind !== "simple") throw new Error("expected a simple command");
    expect(c.assigns[0]?.start).toEqual(at(0, 1, 1));
    expect(c.assigns[0]?.value.start).toEqual(at(2, 1, 3));
    expect(c.redirs[0]?.start).toEqual(at(8, 1, 9));
    expect(c.redirs[0]?.end).toEqual(at(11, 1, 12));
    expect(c.redirs[1]?.heredoc?.body.start).toEqual(at(16, 2, 1));
    expect(c.redirs[1]?.heredoc?.body.end).toEqual(at(21, 3, 1));
  });

  test("a syntax error inside $(…) names its own line", () => {
    const e = syntaxError("echo $(\n\n  fi)");
    expect([e.line, e.column]).toEqual([3, 3]);
  });
});

describe("robustness", () => {
  const n = 10_000;
  test.each([
    ["subshells", "(".repeat(n) + "a" + ")".repeat(n)],
    ["unclosed subshells", "(".repeat(n)],
    ["command substitutions", "echo " + "$(".repeat(n) + "a" + ")".repeat(n)],
    ["quoted substitutions", "echo " + '"$('.repeat(n)],
    ["parameter words", "echo " + "${x:-".repeat(n) + "}".repeat(n)],
    ["quoted parameter words", 'echo "' + '${x:-"'.repeat(n)],
    ["arithmetic", "echo " + "$((".repeat(n)],
    ["groups", "{ ".repeat(n) + "a" + "; }".repeat(n)],
    ["ifs", "if ".repeat(n) + "a"],
    ["test groups", "[[ " + "( ".repeat(n) + "a" + " )".repeat(n) + " ]]"],
    ["functions", "f() ".repeat(n) + "{ a; }"],
    ["cases", "case x in a) ".repeat(n)],
  ])("deep %s: a syntax error, not a stack overflow", (_name, source) => {
    expect(() => parse(source)).toThrow(ShellSyntaxError);
  });

  test("deep nesting within the limit parses", () => {
    expect(show("(".repeat(200) + "a" + ")".repeat(200))).toStartWith("[(subshell [(subshell ");
  });

  test.each([
    ["long pipelines", Array(n).fill("a").join(" | ")],
    ["long and-or lists", Array(n).fill("a").join(" && ")],
    ["many negations", "! ".repeat(n) + "a"],
    ["deep arithmetic parentheses", "echo $((" + "(".repeat(n) + "1" + ")".repeat(n) + "))"],
    // Each `$((` here is a subshell substitution; a naive retry would take 2^200 steps.
    ["nested $( ( subshells", "echo " + "$( (".repeat(200) + "a" + ") )".repeat(200)],
  ])("%s are iterative", (_name, source) => {
    expect(parse(source).body.items).toHaveLength(1);
  });

  test("a 1 MB line", () => {
    const c = parse("echo " + "word ".repeat(200_000)).body.items[0]?.command;
    expect(c?.kind === "simple" ? c.words.length : 0).toBe(200_001);
    const long = parse(`echo "${"a $x ".repeat(200_000)}"`).body.items[0]?.command;
    expect(long?.kind).toBe("simple");
  });

  test("a 10 MB here-document", () => {
    const line = "some text with $x and more\n";
    const count = Math.ceil(10_000_000 / line.length);
    for (const quote of ["", "'"]) {
      const c = parse(`cat <<${quote}EOF${quote}\n${line.repeat(count)}EOF\necho done`).body.items;
      expect(c).toHaveLength(2);
      const first = c[0]?.command;
      const body = first?.kind === "simple" ? first.redirs[0]?.heredoc?.body : undefined;
      expect(body?.parts.length).toBe(quote === "" ? 2 * count + 1 : 1);
    }
  });
});
