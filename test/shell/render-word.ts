// A compact, unambiguous rendering of words for the lexer and parser tables:
// literal text as is, 'single', "double", ${param op arg}, ~user, $((arith)),
// ${!bad text} for a substitution dash cannot read.
// How a command substitution shows is the caller's choice.

import type { CommandSubst, Word, WordPart } from "../../src/shell/ast.ts";

export function renderWord(w: Word, cmdsubst: (p: CommandSubst) => string): string {
  const part = (p: WordPart): string => {
    switch (p.kind) {
      case "literal":
        return p.value;
      case "single":
        return `'${p.value}'`;
      case "double":
        return `"${p.parts.map(part).join("")}"`;
      case "tilde":
        return `~${p.user}`;
      case "arith":
        return `$((${word(p.expr)}))`;
      case "cmdsubst":
        return cmdsubst(p);
      case "param": {
        let s = p.length ? `#${p.name}` : p.name;
        if (p.op !== undefined) s += `${p.colon ? ":" : ""}${p.op}${p.arg ? word(p.arg) : ""}`;
        if (p.replacement !== undefined) s += `/${word(p.replacement)}`;
        if (p.sliceLength !== undefined) s += `:${word(p.sliceLength)}`;
        return `\${${s}}`;
      }
      case "badsubst":
        return `\${!bad ${p.text}}`;
    }
  };
  const word = (inner: Word): string => inner.parts.map(part).join("");
  return word(w);
}
