// The shape of a syntax tree without source positions, for comparing a parse
// with the parse of the printer's text (printer.test.ts), and the three inputs
// the printer does not give back exactly (src/shell/printer/ says why):
// - a lone backslash ending the input outside quotes (`echo \` at the end of
//   a script, an alias value or a backquote body) is printed quoted, so it
//   comes back as quoted text (the same one character);
// - a here-document cut short by the end of the input gets the newline its
//   lines end with (and the delimiter);
// - a here-document whose delimiter holds a newline runs to the end of the
//   input whatever follows it: such inputs are left out (`isPrintable`).

import type { Program } from "../../src/shell/ast.ts";

type Json = unknown;

/** `ast` without positions, with the printer's two normalisations applied. */
export function shapeOf(ast: Program): Json {
  return normalise(ast, false);
}

/** False for a tree the printer cannot give back at all (see the header). */
export function isPrintable(ast: Program): boolean {
  return !hasNewlineDelimiter(ast) && !hasCutBodyEndingInBackslash(ast);
}

function isObject(value: Json): value is Record<string, Json> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function normalise(value: Json, isQuoted: boolean): Json {
  if (Array.isArray(value)) return value.map((item: Json) => normalise(item, isQuoted));
  if (!isObject(value)) return value;
  const out: Record<string, Json> = {};
  for (const [key, field] of Object.entries(value)) {
    if (key === "start" || key === "end") continue;
    let quoted = isQuoted;
    if (value.kind === "double" || (value.kind === "arith" && key === "expr") || key === "heredoc") quoted = true;
    if (value.kind === "cmdsubst" && key === "program") quoted = false;
    out[key] = normalise(field, quoted);
  }
  if (Array.isArray(out.parts) && !isQuoted) out.parts = quoteTrailingBackslash(out.parts);
  if (isObject(out.heredoc)) terminateBody(out.heredoc);
  return out;
}

/** An unquoted literal `…\` (or `~…\`) becomes the literal and a quoted `\`, merged as the parser merges parts. */
function quoteTrailingBackslash(parts: Json[]): Json[] {
  const out: Record<string, Json>[] = [];
  for (const part of parts) {
    if (!isObject(part)) continue;
    const text = part.kind === "literal" ? part.value : part.kind === "tilde" ? `~${String(part.user)}` : undefined;
    if (typeof text !== "string" || !text.endsWith("\\")) {
      out.push(part);
      continue;
    }
    if (text.length > 1) out.push({ kind: "literal", value: text.slice(0, -1) });
    const last = out[out.length - 1];
    if (last?.kind === "single") last.value = `${String(last.value)}\\`;
    else out.push({ kind: "single", value: "\\" });
  }
  return out;
}

function terminateBody(heredoc: Record<string, Json>): void {
  const body = heredoc.body;
  if (!isObject(body) || !Array.isArray(body.parts)) return;
  const last: Json = body.parts[body.parts.length - 1];
  if (!isObject(last)) return;
  if (typeof last.value === "string" && last.value.endsWith("\n")) return;
  if (last.kind === "literal" || last.kind === "single") last.value = `${String(last.value)}\n`;
  else body.parts.push({ kind: "literal", value: "\n" });
}

function some(value: Json, test: (node: Record<string, Json>) => boolean): boolean {
  if (Array.isArray(value)) return value.some((item: Json) => some(item, test));
  if (!isObject(value)) return false;
  return test(value) || Object.values(value).some((field) => some(field, test));
}

function hasNewlineDelimiter(ast: Program): boolean {
  return some(ast, (node) => node.heredoc !== undefined && JSON.stringify(node.target).includes("\\n"));
}

/** An unquoted body cut short right after a backslash: printed, that backslash is doubled. */
function hasCutBodyEndingInBackslash(ast: Program): boolean {
  return some(ast, (node) => {
    const heredoc = node.heredoc;
    if (!isObject(heredoc) || !isObject(heredoc.body) || !Array.isArray(heredoc.body.parts)) return false;
    const last: Json = heredoc.body.parts[heredoc.body.parts.length - 1];
    return isObject(last) && typeof last.value === "string" && last.value.endsWith("\\");
  });
}
