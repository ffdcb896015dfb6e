// Running source text: parse one complete command at a time and run it
// before parsing the next (aliases defined on a line apply to the next),
// with the session's parse cache (parser/parse-cache.ts) serving scripts
// of one command line that were parsed before.
//
// Imports the parser and sibling executor modules.

import type { List } from "../ast.ts";
import { ShellSyntaxError } from "../errors.ts";
import { Parser } from "../parser/index.ts";
import type { ParseRecording } from "../parser/parse-cache.ts";
import { ErrorFlow } from "./control-flow.ts";
import type { Interp } from "./executor.ts";
import { type Status, then } from "./maybe.ts";

/**
 * `isFileInput`: the text was read from a file (a script, `.`), whose input
 * `set -v` echoes; dash does not echo strings (`-c`, `eval`, traps).
 */
export function runSource(interp: Interp, source: string, isFileInput: boolean): Status {
  const cache = interp.session.parseCache;
  // With an alias defined the text may parse otherwise than when it was kept (parse-cache.ts).
  const isCacheable = cache !== undefined && interp.state.aliases.size === 0;
  if (isCacheable) {
    const cached = cache.get(source);
    if (cached !== undefined) return interp.nested(() => (cached === null ? 0 : runParsedList(interp, cached, source, isFileInput) ?? 0));
  }
  const parser = new Parser(source, { aliases: (name) => interp.state.aliases.get(name) });
  const recording = isCacheable ? cache.record(source) : undefined;
  return interp.nested(() => runParsed(interp, parser, source, 0, isFileInput, recording));
}

function runParsed(interp: Interp, parser: Parser, source: string, status: number, isFileInput: boolean, recording: ParseRecording | undefined): Status {
  for (;;) {
    let list: List | null;
    try {
      list = parser.next();
    } catch (error) {
      if (!(error instanceof ShellSyntaxError)) throw error;
      interp.currentLine = error.reportLine;
      return then(interp.report(`Syntax error: ${error.detail}`), () => {
        throw new ErrorFlow(2);
      });
    }
    if (list === null) {
      recording?.finish();
      return status;
    }
    recording?.add(list);
    const result = runParsedList(interp, list, source, isFileInput);
    if (result === undefined) continue;
    if (result instanceof Promise) return result.then((s) => runParsed(interp, parser, source, s, isFileInput, recording));
    status = result;
  }
}

/** One complete command of the source: echoed under `set -v` (file input only); not run under `set -n` (undefined). */
function runParsedList(interp: Interp, list: List, source: string, isFileInput: boolean): Status | undefined {
  if (isFileInput && interp.state.options.verbose) interp.writeStderr(`${source.slice(list.start.offset, list.end.offset)}\n`);
  if (interp.state.options.noexec) return undefined;
  return interp.runList(list);
}
