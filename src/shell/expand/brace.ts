// Brace expansion (bash): `a{b,c}d` and sequences `{1..5}`, `{a..e}`,
// `{1..10..2}`, `{01..10}`. Runs first, on the word's unquoted literal text;
// it turns one word into several words.
//
// Imports only the AST.

import type { Literal, Word, WordPart } from "../ast.ts";

type Token = { readonly ch: string } | { readonly part: WordPart };

function tokenize(word: Word): Token[] {
  const tokens: Token[] = [];
  for (const part of word.parts) {
    if (part.kind === "literal") for (const ch of part.value) tokens.push({ ch });
    else tokens.push({ part });
  }
  return tokens;
}

function charOf(token: Token | undefined): string | undefined {
  return token !== undefined && "ch" in token ? token.ch : undefined;
}

function toParts(tokens: readonly Token[]): WordPart[] {
  const parts: WordPart[] = [];
  let text = "";
  for (const token of tokens) {
    if ("ch" in token) {
      text += token.ch;
      continue;
    }
    if (text !== "") parts.push({ kind: "literal", value: text } satisfies Literal);
    text = "";
    parts.push(token.part);
  }
  if (text !== "") parts.push({ kind: "literal", value: text });
  return parts;
}

/** Find a `{…}` with a top-level comma or a valid sequence; return its alternatives. */
function findBrace(tokens: readonly Token[]): { open: number; close: number; alternatives: Token[][] } | null {
  for (let open = 0; open < tokens.length; open++) {
    if (charOf(tokens[open]) !== "{") continue;
    let depth = 0;
    const commas: number[] = [];
    for (let i = open + 1; i < tokens.length; i++) {
      const ch = charOf(tokens[i]);
      if (ch === "\\") {
        i++;
        continue;
      }
      if (ch === "{") depth++;
      else if (ch === "}") {
        if (depth > 0) {
          depth--;
          continue;
        }
        const inner = tokens.slice(open + 1, i);
        if (commas.length > 0) {
          const alternatives: Token[][] = [];
          let from = open + 1;
          for (const comma of [...commas, i]) {
            alternatives.push(tokens.slice(from, comma));
            from = comma + 1;
          }
          return { open, close: i, alternatives };
        }
        const sequence = expandSequence(inner);
        if (sequence !== null) return { open, close: i, alternatives: sequence.map((s) => [...s].map((ch) => ({ ch }))) };
        break;
      } else if (ch === "," && depth === 0) commas.push(i);
    }
  }
  return null;
}

function expandSequence(inner: readonly Token[]): string[] | null {
  let text = "";
  for (const token of inner) {
    const ch = charOf(token);
    if (ch === undefined) return null;
    text += ch;
  }
  const numeric = /^(-?\d+)\.\.(-?\d+)(?:\.\.(-?\d+))?$/.exec(text);
  if (numeric !== null) {
    const [, a = "", b = "", stepText] = numeric;
    const from = Number(a);
    const to = Number(b);
    const step = Math.abs(Number(stepText ?? "1")) || 1;
    const width = /^-?0\d/.test(a) || /^-?0\d/.test(b) ? Math.max(a.length, b.length) : 0;
    const out: string[] = [];
    const direction = from <= to ? 1 : -1;
    for (let n = from; direction > 0 ? n <= to : n >= to; n += direction * step) {
      const digits = String(Math.abs(n)).padStart(width - (n < 0 ? 1 : 0), "0");
      out.push(n < 0 ? `-${digits}` : digits);
    }
    return out;
  }
  const alpha = /^([a-zA-Z])\.\.([a-zA-Z])(?:\.\.(-?\d+))?$/.exec(text);
  if (alpha !== null) {
    const from = (alpha[1] ?? "a").charCodeAt(0);
    const to = (alpha[2] ?? "a").charCodeAt(0);
    const step = Math.abs(Number(alpha[3] ?? "1")) || 1;
    const direction = from <= to ? 1 : -1;
    const out: string[] = [];
    for (let c = from; direction > 0 ? c <= to : c >= to; c += direction * step) out.push(String.fromCharCode(c));
    return out;
  }
  return null;
}

function expandTokens(tokens: Token[], out: Token[][]): void {
  const brace = findBrace(tokens);
  if (brace === null) {
    out.push(tokens);
    return;
  }
  const before = tokens.slice(0, brace.open);
  const after = tokens.slice(brace.close + 1);
  for (const alternative of brace.alternatives) expandTokens([...before, ...alternative, ...after], out);
}

/** Does the word have unquoted literal text with a `{`? (The cheap test before real work.) */
export function mayHaveBraces(word: Word): boolean {
  for (const part of word.parts) if (part.kind === "literal" && part.value.includes("{")) return true;
  return false;
}

/** Expand the braces of one word into one or more words. */
export function expandBraces(word: Word): Word[] {
  if (!mayHaveBraces(word)) return [word];
  const results: Token[][] = [];
  expandTokens(tokenize(word), results);
  if (results.length === 1) return [word];
  return results.map((tokens) => ({ start: word.start, end: word.end, parts: toParts(tokens) }));
}
