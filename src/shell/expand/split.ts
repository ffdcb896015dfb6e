// Field splitting (XCU 2.6.5). Expansion produces a list of pieces, each
// remembering whether it was quoted and whether it came from an unquoted
// expansion (only those are split); `null` is a hard field break (between the
// words of `"$@"`). Splitting turns them into fields that also carry a pattern
// form (quoted characters backslash-escaped) for pathname expansion.
//
// In bytes mode (text-mode.ts) an IFS that is not ASCII separates on each of
// its bytes, as bash does under LC_ALL=C. Imports only `pattern.ts` and text-mode.ts.

import { byteView, fromByteView, isAscii, type TextMode } from "../text-mode.ts";
import { hasGlobChars, quotePattern } from "./pattern.ts";

export interface Piece {
  readonly text: string;
  /** Quoted text: never split, never a pattern. */
  readonly quoted: boolean;
  /** The unquoted result of an expansion: subject to field splitting. */
  readonly split: boolean;
}

export type Pieces = (Piece | null)[];

export interface Field {
  /** The field's text after quote removal. */
  readonly value: string;
  /** The field as a pattern (quoted characters escaped), when it has unquoted glob characters. */
  readonly pattern: string | undefined;
}

const DEFAULT_IFS = " \t\n";

function isIfsWhitespace(ch: string): boolean {
  return ch === " " || ch === "\t" || ch === "\n";
}

class FieldBuilder {
  readonly fields: Field[] = [];
  private value = "";
  private pattern = "";
  /** Unquoted text had `*`, `?` or `[`: the whole pattern is checked at the end. */
  private mayHaveMagic = false;
  private started = false;

  add(text: string, quoted: boolean): void {
    this.started = true;
    this.value += text;
    if (quoted) this.pattern += quotePattern(text);
    else {
      this.pattern += text;
      // Checked on the whole field at the end, not per piece: in `a[\\]` the bracket
      // closes in a later piece than it opens.
      if (!this.mayHaveMagic && containsAny(text, "*?[")) this.mayHaveMagic = true;
    }
  }

  get isStarted(): boolean {
    return this.started;
  }

  /** End the current field (only if something started it, unless `force`). */
  finish(force = false): void {
    if (!this.started && !force) return;
    const isPattern = this.mayHaveMagic && hasGlobChars(this.pattern);
    this.fields.push({ value: this.value, pattern: isPattern ? this.pattern : undefined });
    this.value = "";
    this.pattern = "";
    this.mayHaveMagic = false;
    this.started = false;
  }
}

function containsAny(text: string, chars: string): boolean {
  for (let i = 0; i < chars.length; i++) if (text.indexOf(chars[i] ?? "") !== -1) return true;
  return false;
}

/**
 * Split pieces into fields. `ifs` undefined means IFS is unset (default
 * whitespace); "" means no splitting at all.
 */
export function splitFields(pieces: Pieces, ifs: string | undefined, mode: TextMode = "chars"): Field[] {
  // An ASCII IFS splits the same way on characters and on bytes (no UTF-8 sequence holds an ASCII byte).
  if (mode === "bytes" && ifs !== undefined && !isAscii(ifs)) {
    const viewed = pieces.map((piece) => (piece === null ? null : { ...piece, text: byteView(piece.text) }));
    return splitUnits(viewed, byteView(ifs)).map((field) => ({ value: fromByteView(field.value), pattern: field.pattern === undefined ? undefined : fromByteView(field.pattern) }));
  }
  return splitUnits(pieces, ifs);
}

function splitUnits(pieces: Pieces, ifs: string | undefined): Field[] {
  const separators = ifs ?? DEFAULT_IFS;
  const builder = new FieldBuilder();
  // True right after a field was ended by IFS whitespace, so that a following
  // non-whitespace separator belongs to the same delimiter.
  let afterWhitespace = false;
  for (const piece of pieces) {
    if (piece === null) {
      builder.finish();
      afterWhitespace = false;
      continue;
    }
    if (!piece.split || separators === "") {
      // An empty unquoted expansion contributes nothing; `""` does start a field.
      if (piece.text !== "" || piece.quoted) {
        builder.add(piece.text, piece.quoted);
        afterWhitespace = false;
      }
      continue;
    }
    if (!containsAny(piece.text, separators)) {
      if (piece.text !== "") {
        builder.add(piece.text, false);
        afterWhitespace = false;
      }
      continue;
    }
    let run = "";
    for (const ch of piece.text) {
      if (separators.indexOf(ch) === -1) {
        run += ch;
        afterWhitespace = false;
        continue;
      }
      if (run !== "") {
        builder.add(run, false);
        run = "";
      }
      if (isIfsWhitespace(ch)) {
        if (builder.isStarted) {
          builder.finish();
          afterWhitespace = true;
        }
      } else if (builder.isStarted) {
        builder.finish();
        afterWhitespace = false;
      } else if (afterWhitespace) {
        afterWhitespace = false;
      } else {
        builder.finish(true);
      }
    }
    if (run !== "") builder.add(run, false);
  }
  builder.finish();
  return builder.fields;
}

/**
 * Join pieces without splitting (assignments, here-documents, `case` words);
 * the fields of `$@` are joined by `separator`, the first character of IFS, as in dash.
 */
export function joinPieces(pieces: Pieces, separator: string): string {
  let out = "";
  for (const piece of pieces) out += piece === null ? separator : piece.text;
  return out;
}

/** Join pieces as a pattern: quoted text is escaped, unquoted text keeps its magic. */
export function joinPiecesAsPattern(pieces: Pieces, separator: string): string {
  let out = "";
  for (const piece of pieces) out += piece === null ? quotePattern(separator) : piece.quoted ? quotePattern(piece.text) : piece.text;
  return out;
}
