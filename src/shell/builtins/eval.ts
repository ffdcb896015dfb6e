// `eval` and `.`/`source`: run text in the current shell.

import * as fs from "node:fs";
import { ReturnFlow } from "../exec/control-flow.ts";
import { recover, withCleanup } from "../exec/maybe.ts";
import { defineBuiltin } from "./define.ts";
import { isSystemError } from "../exec/errno.ts";
import { decodeBytes, fsPath } from "../bytes.ts";
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

function defineDot(name: string) {
  return defineBuiltin({
    name,
    special: name === ".",
    flags: {},
    run(ctx, { operands }) {
      const interp = ctx.interp;
      const [script, ...args] = operands;
      if (script === undefined) return ctx.fatal("filename argument required");
      const file = findScript(interp.get("PATH") ?? "", interp.state.cwd, script) ?? resolvePath(interp.state.cwd, script);
      let source: string;
      try {
        // Bytes that are not UTF-8 (a latin-1 literal) reach the output unchanged (bytes.ts).
        source = decodeBytes(fs.readFileSync(fsPath(file)));
      } catch (error) {
        if (isSystemError(error)) return ctx.fatal(`cannot open ${script}: No such file`);
        throw error;
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
