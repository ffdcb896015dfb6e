// Parsed scripts by their text, shared by the sessions of one embedding (a
// worker parses the same `true` or `make test` for session after session).
//
// Only what parsing alone decides is kept: a script of at most one complete
// command line, parsed while no alias was defined. Aliases are expanded at
// parse time (XCU 2.3.1), so with one defined the same text can parse
// otherwise; and a later line of a longer script is parsed after the earlier
// ones ran, which may have defined one. A script that failed to parse is not
// kept (its error is reported anew). The executor never mutates the AST, so
// one tree serves every session.
//
// Imports only AST types.

import type { List } from "../ast.ts";

/** Entries kept, least recently used dropped first. */
const MAX_ENTRIES = 256;
/** Longer scripts are not kept (they would pin large trees). */
const MAX_SOURCE_CHARS = 4096;

export class ParseCache {
  /** Source text → its one command line (null: only blanks and comments). Map order is recency. */
  private readonly entries = new Map<string, List | null>();

  /** The parse of `source`, or undefined when it is not kept. */
  get(source: string): List | null | undefined {
    const list = this.entries.get(source);
    if (list === undefined) return undefined;
    // Most recently used last.
    this.entries.delete(source);
    this.entries.set(source, list);
    return list;
  }

  /** A recording of a parse of `source` about to start with no alias defined; undefined when it would not be kept. */
  record(source: string): ParseRecording | undefined {
    return source.length <= MAX_SOURCE_CHARS ? new ParseRecording(this, source) : undefined;
  }

  /** Called by ParseRecording once a script parsed whole into at most one line. */
  keep(source: string, list: List | null): void {
    this.entries.delete(source);
    this.entries.set(source, list);
    if (this.entries.size > MAX_ENTRIES) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}

/** Watches one parse, line by line, and keeps it if it ends after at most one line without a syntax error. */
export class ParseRecording {
  private first: List | null = null;
  private lines = 0;

  constructor(private readonly cache: ParseCache, private readonly source: string) {}

  /** The parser returned this line. */
  add(list: List): void {
    if (this.lines++ === 0) this.first = list;
  }

  /** The parser reached the end of the input. */
  finish(): void {
    if (this.lines <= 1) this.cache.keep(this.source, this.first);
  }
}
