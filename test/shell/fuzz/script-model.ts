// A small model of shell scripts for the fuzzer. Scripts are generated as
// data, so fast-check shrinks them by structure, and rendered to text here.
// Rendering guarantees what the grammar alone cannot:
// - here-doc bodies follow the next newline of the list that queued them
//   (never a newline inside `$(…)`, where shells disagree);
// - every `while`/`until` loop has its own counter and runs at most twice,
//   and function bodies call no functions, so a generated script always ends;
// - `$( (` keeps its blank, `#` only starts comments, reserved words only
//   appear where they are arguments.
//
// Imports nothing from src/: the model describes text, the parser reads it.

export type Part =
  | { readonly kind: "literal"; readonly text: string } // unquoted text from a safe alphabet
  | { readonly kind: "escaped"; readonly ch: string } // `\c`
  | { readonly kind: "single"; readonly text: string } // '…'
  | { readonly kind: "double"; readonly parts: readonly Part[] } // "…" (its parts rendered quoted)
  | { readonly kind: "param"; readonly param: Param }
  | { readonly kind: "cmdsubst"; readonly body: Script } // $(…)
  | { readonly kind: "backquote"; readonly words: readonly Word[] } // `…` of plain words
  | { readonly kind: "arith"; readonly expr: Arith } // $((…))
  | { readonly kind: "glob"; readonly text: string }
  | { readonly kind: "tilde"; readonly user: string } // only first in a word
  | { readonly kind: "continuation" }; // backslash-newline

export type Word = readonly Part[];

export interface Param {
  readonly name: string;
  /** `$x` when undefined and the name allows it, else `${…}`. */
  readonly form: "bare" | "braced" | "length" | "op";
  readonly op?: string;
  readonly arg?: Word;
}

export type Arith =
  | { readonly kind: "num"; readonly value: string }
  | { readonly kind: "var"; readonly name: string; readonly dollar: boolean }
  | { readonly kind: "unary"; readonly op: string; readonly operand: Arith }
  | { readonly kind: "binary"; readonly op: string; readonly left: Arith; readonly right: Arith }
  | { readonly kind: "ternary"; readonly condition: Arith; readonly then: Arith; readonly otherwise: Arith }
  | { readonly kind: "assign"; readonly name: string; readonly op: string; readonly value: Arith }
  | { readonly kind: "nested"; readonly inner: Arith } // $((…)) inside
  | { readonly kind: "cmdsubst"; readonly body: Script };

export interface Heredoc {
  readonly delimiter: string;
  readonly quoting: "none" | "single" | "double" | "backslash";
  readonly stripTabs: boolean;
  /** Lines of the body: each a list of parts (text, params, `$(…)`, arithmetic). */
  readonly lines: readonly Word[];
}

export type Redirect =
  | { readonly kind: "file"; readonly fd?: number; readonly op: string; readonly target: Word }
  | { readonly kind: "dup"; readonly fd?: number; readonly op: "<&" | ">&"; readonly target: string }
  | { readonly kind: "heredoc"; readonly fd?: number; readonly doc: Heredoc };

export type TestExpr =
  | { readonly kind: "word"; readonly word: Word }
  | { readonly kind: "unary"; readonly op: string; readonly word: Word }
  | { readonly kind: "binary"; readonly op: string; readonly left: Word; readonly right: Word }
  | { readonly kind: "not"; readonly inner: TestExpr }
  | { readonly kind: "and" | "or"; readonly left: TestExpr; readonly right: TestExpr }
  | { readonly kind: "paren"; readonly inner: TestExpr };

export type Command =
  | {
      readonly kind: "simple";
      readonly assigns: readonly (readonly [string, Word])[];
      /** A name from the generator's vocabulary; undefined for assignments or redirections alone. */
      readonly name: string | undefined;
      readonly args: readonly Word[];
      readonly redirs: readonly Redirect[];
    }
  | { readonly kind: "eval"; readonly builtin: "eval" | "trap"; readonly body: Script; readonly extra: readonly string[] }
  | { readonly kind: "pipeline"; readonly bang: boolean; readonly commands: readonly Command[] }
  | { readonly kind: "andor"; readonly first: Command; readonly rest: readonly (readonly ["&&" | "||", Command])[] }
  | { readonly kind: "subshell" | "group"; readonly body: Script; readonly redirs: readonly Redirect[] }
  | { readonly kind: "if"; readonly clauses: readonly (readonly [Script, Script])[]; readonly elseBody?: Script }
  | { readonly kind: "for"; readonly name: string; readonly items?: readonly Word[]; readonly body: Script }
  | { readonly kind: "loop"; readonly until: boolean; readonly condition: Script; readonly body: Script }
  | { readonly kind: "case"; readonly word: Word; readonly items: readonly CaseItem[] }
  | { readonly kind: "function"; readonly name: string; readonly body: Command }
  | { readonly kind: "test"; readonly expr: TestExpr };

export interface CaseItem {
  readonly patterns: readonly Word[];
  readonly body: Script | undefined;
  readonly terminator: ";;" | ";&";
}

export interface Item {
  readonly command: Command;
  readonly separator: ";" | "&" | "\n";
  readonly comment?: string;
}

/** A list of commands; compound bodies are never empty. */
export type Script = readonly Item[];

/** Characters of unquoted text; text in double quotes and here-docs may use these and more. */
export const SAFE_CHARS = "abcxyz019_./-+,:@%=";

function singleQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

type Quoting = "unquoted" | "double" | "heredoc";

/**
 * Renders a script. `inline` output has no newline tokens: inside a
 * here-doc body, and inside `$(…)` while a here-doc waits for its body.
 */
export class Renderer {
  private pending: Heredoc[] = [];
  private loops = 0;
  private inFunction = false;

  static render(script: Script): string {
    const r = new Renderer();
    let text = r.list(script, false);
    if (r.pending.length > 0) text += `\n${r.flush()}`;
    return text;
  }

  private flush(): string {
    const docs = this.pending;
    this.pending = [];
    return docs.map((doc) => this.heredocBody(doc)).join("");
  }

  private list(script: Script, inline: boolean): string {
    let text = "";
    for (const item of script) {
      text += this.command(item.command, inline);
      let separator: string = inline && item.separator === "\n" ? ";" : item.separator;
      if (!inline && this.pending.length > 0 && separator !== "\n") separator += "\n";
      if (separator.endsWith("\n")) {
        const comment = item.comment === undefined ? "" : ` #${item.comment}`;
        text += `${separator.slice(0, -1)}${comment}\n${this.flush()}`;
      } else {
        text += `${separator} `;
      }
    }
    return text;
  }

  private command(c: Command, inline: boolean): string {
    switch (c.kind) {
      case "simple":
        return this.simple(c, inline);
      case "eval":
        // The text is quoted: inline, so no here-doc of it waits for a newline outside.
        return [c.builtin, singleQuote(trimBlanks(this.list(c.body, true))), ...c.extra].join(" ");
      case "pipeline":
        return `${c.bang ? "! " : ""}${c.commands.map((x) => this.command(x, inline)).join(" | ")}`;
      case "andor":
        return [this.command(c.first, inline), ...c.rest.map(([op, x]) => `${op} ${this.command(x, inline)}`)].join(" ");
      case "subshell":
        return `( ${this.list(c.body, inline)})${this.redirects(c.redirs, inline)}`;
      case "group":
        return `{ ${this.list(c.body, inline)}}${this.redirects(c.redirs, inline)}`;
      case "if": {
        let text = "";
        c.clauses.forEach(([condition, body], i) => {
          text += `${i === 0 ? "if" : "elif"} ${this.list(condition, inline)}then ${this.list(body, inline)}`;
        });
        if (c.elseBody !== undefined) text += `else ${this.list(c.elseBody, inline)}`;
        return `${text}fi`;
      }
      case "for": {
        const items = c.items === undefined ? "" : ` in${c.items.map((w) => ` ${this.word(w, "unquoted", inline)}`).join("")}`;
        return `for ${c.name}${items}; do ${this.list(c.body, inline)}done`;
      }
      case "loop": {
        // At most two turns: the counter is tested first, so `continue` or `break` in the condition cannot skip it.
        const counter = `_loop${this.loops++}`;
        const test = c.until ? `[ $((${counter} += 1)) -gt 2 ] ||` : `[ $((${counter} += 1)) -le 2 ] &&`;
        const condition = `${test} { ${this.list(c.condition, inline)}}; `;
        return `{ ${counter}=0; ${c.until ? "until" : "while"} ${condition}do ${this.list(c.body, inline)}done; }`;
      }
      case "case": {
        // Rendered in text order: a here-doc queued in the word or a pattern gets its body in the item's list.
        let text = `case ${this.word(c.word, "unquoted", inline)} in `;
        for (const item of c.items) {
          text += `${item.patterns.map((p) => this.word(p, "unquoted", inline)).join(" | ")}) `;
          text += `${item.body === undefined ? "" : this.list(item.body, inline)}${item.terminator} `;
        }
        return `${text}esac`;
      }
      case "function": {
        const saved = this.inFunction;
        this.inFunction = true;
        const body = this.command(c.body, inline);
        this.inFunction = saved;
        return `${c.name}() ${body}`;
      }
      case "test":
        return `[[ ${this.testExpr(c.expr, inline)} ]]`;
    }
  }

  private simple(c: Extract<Command, { kind: "simple" }>, inline: boolean): string {
    const words: string[] = c.assigns.map(([name, value]) => `${name}=${this.word(value, "unquoted", inline)}`);
    // Function bodies call no functions (no recursion); a call becomes `true`.
    const name = c.name !== undefined && this.inFunction && c.name.startsWith("fn") ? "true" : c.name;
    // Without a name the first argument would be in command position, where it may be a reserved word.
    if (name !== undefined) {
      words.push(name);
      for (const arg of c.args) words.push(this.word(arg, "unquoted", inline));
      if (name === "[") words.push("]");
    }
    const text = words.join(" ");
    const redirs = this.redirects(c.redirs, inline);
    if (text === "" && redirs === "") return ":";
    return text === "" ? redirs.trimStart() : `${text}${redirs}`;
  }

  private redirects(redirs: readonly Redirect[], inline: boolean): string {
    return redirs.map((r) => ` ${this.redirect(r, inline)}`).join("");
  }

  private redirect(r: Redirect, inline: boolean): string {
    const fd = r.fd === undefined ? "" : String(r.fd);
    switch (r.kind) {
      case "file":
        return `${fd}${r.op} ${this.word(r.target, "unquoted", inline)}`;
      case "dup":
        return `${fd}${r.op}${r.target}`;
      case "heredoc": {
        // No here-doc may wait for a newline that inline text never has.
        if (inline) return `${fd}< /dev/null`;
        this.pending.push(r.doc);
        const d = r.doc.delimiter;
        const word = { none: d, single: `'${d}'`, double: `"${d}"`, backslash: `\\${d}` }[r.doc.quoting];
        return `${fd}<<${r.doc.stripTabs ? "-" : ""}${word}`;
      }
    }
  }

  private heredocBody(doc: Heredoc): string {
    const tab = doc.stripTabs ? "\t" : "";
    const lines = doc.lines.map((line) => {
      const text = doc.quoting === "none" ? this.parts(line, "heredoc", true) : plainText(line);
      // A body line equal to the delimiter (after `<<-` strips its tabs) would end the body early.
      return (doc.stripTabs ? text.replace(/^\t+/, "") : text) === doc.delimiter ? `${text}.` : text;
    });
    return lines.map((line) => `${tab}${line}\n`).join("") + `${tab}${doc.delimiter}\n`;
  }

  word(w: Word, quoting: Quoting, inline: boolean): string {
    const text = this.parts(w, quoting, inline);
    // A word of backslash-newlines alone would vanish.
    return text.replaceAll("\\\n", "") === "" ? `${text}''` : text;
  }

  private parts(parts: Word, quoting: Quoting, inline: boolean): string {
    const out: string[] = [];
    parts.forEach((p, i) => {
      const rendered = this.part(p, quoting, inline, i === 0);
      // `$x` followed by name characters would read a longer name: brace it.
      const previous = parts[i - 1];
      if (previous?.kind === "param" && previous.param.form === "bare" && /^[A-Za-z0-9_]/.test(rendered)) {
        out[out.length - 1] = `\${${previous.param.name}}`;
      }
      out.push(rendered);
    });
    return out.join("");
  }

  private part(p: Part, quoting: Quoting, inline: boolean, isFirst: boolean): string {
    switch (p.kind) {
      case "literal":
        return p.text;
      case "escaped":
        if (quoting === "unquoted") return `\\${p.ch}`;
        return '$`"\\'.includes(p.ch) && !(quoting === "heredoc" && p.ch === '"') ? `\\${p.ch}` : p.ch;
      case "single":
        return quoting === "unquoted" ? singleQuote(p.text) : p.text.replace(/[$`"\\]/g, "");
      case "double":
        return quoting === "unquoted" ? `"${this.parts(p.parts, "double", inline)}"` : this.parts(p.parts, quoting, inline);
      case "param":
        return this.param(p.param, quoting, inline);
      case "cmdsubst": {
        // A here-doc waiting for its body must not find a newline inside `$(…)`.
        const body = trimBlanks(this.list(p.body, inline || this.pending.length > 0));
        return `$(${body.startsWith("(") ? " " : ""}${body})`;
      }
      case "backquote":
        return `\`${p.words.map((w) => plainText(w)).filter((w) => w !== "").join(" ") || ":"}\``;
      case "arith":
        return `$((${this.arith(p.expr, inline)}))`;
      case "glob":
        return quoting === "unquoted" ? p.text : "";
      case "tilde":
        return quoting === "unquoted" && isFirst ? `~${p.user}` : "";
      case "continuation":
        return quoting === "heredoc" ? "" : "\\\n";
    }
  }

  private param(p: Param, quoting: Quoting, inline: boolean): string {
    const isName = /^[A-Za-z_][A-Za-z0-9_]*$|^[0-9#?@*$!-]$/.test(p.name);
    switch (p.form) {
      case "bare":
        return isName && p.name.length > 0 ? `$${p.name}` : `\${${p.name}}`;
      case "braced":
        return `\${${p.name}}`;
      case "length":
        return `\${#${p.name}}`;
      case "op": {
        // The word inside `${…}` is read until `}`: quotes keep it from closing early.
        const arg = p.arg === undefined ? "" : this.braceWord(p.arg, quoting, inline);
        return `\${${p.name}${p.op ?? ":-"}${arg}}`;
      }
    }
  }

  private braceWord(w: Word, quoting: Quoting, inline: boolean): string {
    return this.parts(withoutBraces(w), quoting === "unquoted" ? "unquoted" : "double", inline);
  }

  private arith(a: Arith, inline: boolean): string {
    switch (a.kind) {
      case "num":
        return a.value;
      case "var":
        return a.dollar ? `$${a.name}` : a.name;
      case "unary":
        return `${a.op}(${this.arith(a.operand, inline)})`;
      case "binary":
        return `(${this.arith(a.left, inline)}) ${a.op} (${this.arith(a.right, inline)})`;
      case "ternary":
        return `(${this.arith(a.condition, inline)}) ? (${this.arith(a.then, inline)}) : (${this.arith(a.otherwise, inline)})`;
      case "assign":
        return `${a.name} ${a.op} (${this.arith(a.value, inline)})`;
      case "nested":
        return `$((${this.arith(a.inner, inline)}))`;
      case "cmdsubst": {
        const body = trimBlanks(this.list(a.body, inline || this.pending.length > 0));
        return `$(${body.startsWith("(") ? " " : ""}${body})`;
      }
    }
  }

  private testExpr(e: TestExpr, inline: boolean): string {
    const w = (word: Word) => this.word(word, "unquoted", inline);
    switch (e.kind) {
      case "word":
        return w(e.word);
      case "unary":
        return `${e.op} ${w(e.word)}`;
      case "binary":
        return `${w(e.left)} ${e.op} ${w(e.right)}`;
      case "not":
        return `! ${this.testExpr(e.inner, inline)}`;
      case "and":
        return `${this.testExpr(e.left, inline)} && ${this.testExpr(e.right, inline)}`;
      case "or":
        return `${this.testExpr(e.left, inline)} || ${this.testExpr(e.right, inline)}`;
      case "paren":
        return `( ${this.testExpr(e.inner, inline)} )`;
    }
  }
}

/** The word of `${x:-word}` is read until `}`: text parts lose theirs (nested expansions keep them). */
function withoutBraces(w: Word): Word {
  const out: Part[] = [];
  for (const p of w) {
    if (p.kind === "literal" || p.kind === "single") {
      const text = p.text.replaceAll("}", "");
      if (text !== "") out.push({ ...p, text });
    } else if (p.kind === "double") {
      out.push({ kind: "double", parts: withoutBraces(p.parts) });
    } else if (p.kind !== "tilde" && p.kind !== "continuation" && !(p.kind === "escaped" && p.ch === "}")) {
      out.push(p);
    }
  }
  return out;
}

/** Trailing blanks only: a trailing newline may end a here-doc body. */
function trimBlanks(text: string): string {
  return text.replace(/ +$/, "");
}

/** Text of literal parts only (backquote bodies, quoted here-docs). */
function plainText(w: Word): string {
  return w.map((p) => (p.kind === "literal" ? p.text : p.kind === "single" ? p.text.replace(/[$`\\'"]/g, "") : "")).join("");
}
