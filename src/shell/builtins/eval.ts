// `eval` and `.`/`source`: run text in the current shell.

import * as fs from "node:fs";
import { ReturnFlow } from "../exec/control-flow.ts";
import { recover, withCleanup } from "../exec/maybe.ts";
import { withSourceName } from "../exec/message-name.ts";
import { defineBuiltin } from "./define.ts";
import { errnoCode, isSystemError } from "../exec/errno.ts";
import { pathForBuiltin } from "../exec/fd-paths.ts";
import { describeOpenError, openErrorText } from "../exec/redirect.ts";
import { decodeShellText, fsPath } from "../bytes.ts";
import { resolvePath } from "../exec/paths.ts";

export const evalBuiltin = defineBuiltin({
  name: "eval",
  special: true,
  flags: null,
  run(ctx, { operands }) {
    if (operands.length === 0) return 0;
    return withSourceName(ctx.interp, "eval", () => ctx.interp.runSource(operands.join(" ")));
  },
});

/**
 * The first regular file named `name` in a PATH entry (an empty entry is the
 * cwd), as dash's find_dot_file; `shown` is the path as dash builds it
 * (`dir/name`, or `name` for the empty entry), which its messages name.
 */
function findScript(pathValue: string, cwd: string, name: string): { readonly file: string; readonly shown: string } | undefined {
  for (const dir of pathValue.split(":")) {
    const file = resolvePath(cwd, dir === "" ? "." : dir, name);
    try {
      if (fs.statSync(fsPath(file)).isFile()) return { file, shown: dir === "" ? name : `${dir}/${name}` };
    } catch (error) {
      if (!isSystemError(error)) throw error;
    }
  }
  return undefined;
}

/** The script's text: a directory reads as empty, as read(2) on it gives dash nothing. */
function readScript(file: string): string {
  try {
    // Bytes that are not UTF-8 (a latin-1 literal) reach the output unchanged (bytes.ts).
    return decodeShellText(fs.readFileSync(fsPath(file)));
  } catch (error) {
    if (errnoCode(error) === "EISDIR") return "";
    throw error;
  }
}

/**
 * dash's `.`: without a file it does nothing; a name without a slash is looked for in
 * PATH only (not found there is fatal). bash's `source` (an extension, dash
 * has none) also tries the cwd, and wants a file name.
 */
function defineDot(name: string) {
  const isSource = name === "source";
  return defineBuiltin({
    name,
    special: !isSource,
    flags: {},
    run(ctx, { operands }) {
      const interp = ctx.interp;
      const [script, ...args] = operands;
      if (script === undefined) return isSource ? ctx.fatal("filename argument required") : 0;
      let file = resolvePath(interp.state.cwd, script);
      let shown = script;
      if (!script.includes("/")) {
        const found = findScript(interp.get("PATH") ?? "", interp.state.cwd, script);
        if (found !== undefined) ({ file, shown } = found);
        else if (!isSource) return ctx.fatal(`${script}: not found`);
      }
      // `. /dev/stdin` reads the session's stdin, not this process's (fd-paths.ts).
      const path = pathForBuiltin((fd) => interp.fd(fd), file);
      if (path === "closed") return ctx.fatal(`cannot open ${script}: ${openErrorText("ENOENT", false)}`);
      let source: string;
      try {
        source = readScript(path);
      } catch (error) {
        if (isSystemError(error)) return ctx.fatal(`cannot open ${script}: ${describeOpenError(error, false)}`);
        throw error;
      }
      const state = interp.state;
      const savedPositional = state.positional;
      // bash's `source` passes its arguments; dash's `.` ignores them.
      const setsArgs = isSource && args.length > 0;
      if (setsArgs) state.positional = args;
      // dash runs the file as a new command loop: `set -e` applies in it even when the `.`
      // is a condition (`if . ./lib` ends the shell at a failing command in lib).
      const savedSuppressed = state.errexitSuppressed;
      if (!isSource) state.errexitSuppressed = 0;
      state.functionDepth++;
      return withCleanup(
        () =>
          recover(
            // dash's messages name the file while it runs: `sh: 2: ./lib: x: not found`.
            () => withSourceName(interp, shown, () => interp.runSource(source, true)),
            (error) => {
              if (error instanceof ReturnFlow) return error.status;
              throw error;
            },
          ),
        () => {
          state.functionDepth--;
          state.errexitSuppressed = savedSuppressed;
          if (setsArgs) state.positional = savedPositional;
        },
      );
    },
  });
}

export const dot = defineDot(".");
export const source = defineDot("source");
