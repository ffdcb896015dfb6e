// `eval` and `.`/`source`: run text in the current shell.

import * as fs from "node:fs";
import { ReturnFlow } from "../exec/control-flow.ts";
import { recover, withCleanup } from "../exec/maybe.ts";
import { defineBuiltin } from "./define.ts";
import { errnoCode, isSystemError } from "../exec/errno.ts";
import { decodeShellText, fsPath } from "../bytes.ts";
import { resolvePath } from "../exec/paths.ts";

export const evalBuiltin = defineBuiltin({
  name: "eval",
  special: true,
  flags: null,
  run(ctx, { operands }) {
    if (operands.length === 0) return 0;
    return ctx.interp.runSource(operands.join(" "));
  },
});

/** dash's find_dot_file: a name without a slash is looked for in PATH only (an unset PATH is the cwd), as a regular file. */
function findScript(pathValue: string, cwd: string, name: string): string | undefined {
  if (name.includes("/")) return resolvePath(cwd, name);
  for (const dir of pathValue.split(":")) {
    const file = resolvePath(cwd, dir === "" ? "." : dir, name);
    try {
      if (fs.statSync(fsPath(file)).isFile()) return file;
    } catch (error) {
      if (!isSystemError(error)) throw error;
    }
  }
  return undefined;
}

/** The script's text; a directory reads as nothing (dash's read fails with EISDIR, which is the end of input). */
function readScript(file: string): string {
  try {
    // Bytes that are not UTF-8 (a latin-1 literal) reach the output unchanged (bytes.ts).
    return decodeShellText(fs.readFileSync(fsPath(file)));
  } catch (error) {
    if (errnoCode(error) === "EISDIR") return "";
    throw error;
  }
}

function defineDot(name: string) {
  return defineBuiltin({
    name,
    special: name === ".",
    flags: {},
    run(ctx, { operands }) {
      const interp = ctx.interp;
      const [script, ...args] = operands;
      if (script === undefined) return ctx.fatal("filename argument required");
      const found = findScript(interp.get("PATH") ?? "", interp.state.cwd, script);
      // bash's `source` falls back to the cwd; dash's `.` does not.
      if (found === undefined && name === ".") return ctx.fatal(`${script}: not found`);
      const file = found ?? resolvePath(interp.state.cwd, script);
      let source: string;
      try {
        source = readScript(file);
      } catch (error) {
        if (!isSystemError(error)) throw error;
        return ctx.fatal(`cannot open ${script}: ${errnoCode(error) === "EACCES" ? "Permission denied" : "No such file"}`);
      }
      const state = interp.state;
      const savedPositional = state.positional;
      // bash's `source` passes its arguments; dash's `.` ignores them.
      const setsArgs = name === "source" && args.length > 0;
      if (setsArgs) state.positional = args;
      state.functionDepth++;
      return withCleanup(
        () =>
          recover(
            () => interp.runSource(source, true),
            (error) => {
              if (error instanceof ReturnFlow) return error.status;
              throw error;
            },
          ),
        () => {
          state.functionDepth--;
          if (setsArgs) state.positional = savedPositional;
        },
      );
    },
  });
}

export const dot = defineDot(".");
export const source = defineDot("source");
