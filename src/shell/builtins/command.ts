// `command`, `type` and `exec`: look a name up the way the shell would, or run
// it skipping functions, or run it and end the shell.

import { ExitFlow } from "../exec/control-flow.ts";
import type { Interp } from "../exec/executor.ts";
import { then } from "../exec/maybe.ts";
import { findCommand, trackedCommands } from "../exec/command-path.ts";
import { DEFAULT_PATH } from "../exec/paths.ts";
import { fsPath } from "../bytes.ts";
import * as fs from "node:fs";
import { afterWrite, defineBuiltin } from "./define.ts";
import { isBashOnlyName } from "./bash-only-names.ts";
import { builtins } from "./index.ts";
import { quoteValue } from "./quote.ts";


/** dash's reserved words (bash's `[[`, `]]` and `function` are not among them: bash-only-names.ts). */
const KEYWORDS = new Set(["if", "then", "else", "elif", "fi", "do", "done", "case", "esac", "while", "until", "for", "in", "{", "}", "!"]);

type Found =
  | { readonly kind: "alias"; readonly value: string }
  | { readonly kind: "keyword" | "function" | "builtin" | "special builtin" }
  | { readonly kind: "file" | "tracked"; readonly path: string }
  | { readonly kind: "missing" };

function describe(interp: Interp, name: string, pathValue = interp.get("PATH")): Found {
  const alias = interp.state.aliases.get(name);
  if (alias !== undefined) return { kind: "alias", value: alias };
  if (KEYWORDS.has(name)) return { kind: "keyword" };
  const builtin = isBashOnlyName(name) ? undefined : builtins.get(name);
  if (builtin?.special === true) return { kind: "special builtin" };
  if (interp.state.functions.has(name)) return { kind: "function" };
  if (builtin !== undefined) return { kind: "builtin" };
  // dash: a name with a slash is reported as written if anything is there, executable or not.
  if (name.includes("/")) return exists(interp.resolvePath(name)) ? { kind: "file", path: name } : { kind: "missing" };
  // Found by an earlier search in the shell's PATH: dash calls it a tracked alias.
  const earlier = pathValue === interp.get("PATH") ? trackedCommands(interp).get(name) : undefined;
  const found = findCommand(interp, name, pathValue);
  if (!("path" in found)) return { kind: "missing" };
  return earlier === found.written ? { kind: "tracked", path: found.written } : { kind: "file", path: found.written };
}

function exists(file: string): boolean {
  return fs.existsSync(fsPath(file));
}

function verbose(name: string, found: Found): string {
  switch (found.kind) {
    case "alias":
      return `${name} is an alias for ${found.value}`;
    case "keyword":
      return `${name} is a shell keyword`;
    case "function":
      return `${name} is a shell function`;
    case "builtin":
      return `${name} is a shell builtin`;
    case "special builtin":
      return `${name} is a special shell builtin`;
    case "file":
      return `${name} is ${found.path}`;
    case "tracked":
      return `${name} is a tracked alias for ${found.path}`;
    case "missing":
      return `${name}: not found`;
  }
}

export const command = defineBuiltin({
  name: "command",
  flags: { p: "flag", v: "flag", V: "flag" },
  run(ctx, args) {
    const interp = ctx.interp;
    if (args.has("v") || args.has("V")) {
      // As dash does, only the first name is looked up; the others are ignored.
      const name = args.operands[0];
      if (name === undefined) return 0;
      const found = describe(interp, name, args.has("p") ? DEFAULT_PATH : interp.get("PATH"));
      let text: string;
      if (args.has("V")) text = `${verbose(name, found)}\n`;
      else if (found.kind === "missing") text = "";
      else text = found.kind === "file" || found.kind === "tracked" ? `${found.path}\n` : found.kind === "alias" ? `alias ${name}=${quoteValue(found.value)}\n` : `${name}\n`;
      return afterWrite(ctx.out(text), found.kind === "missing" ? 127 : 0);
    }
    if (args.operands.length === 0) return 0;
    return interp.executeArgv(args.operands, true, args.has("p") ? DEFAULT_PATH : undefined);
  },
});

// dash's `type` and `exec` take no options, not even `--`: every argument is a
// name (`type -p sh` reports `-p: not found` too, `exec -a x cmd` runs `-a`).
export const type = defineBuiltin({
  name: "type",
  flags: null,
  run(ctx, { operands }) {
    let text = "";
    let status = 0;
    for (const name of operands) {
      const found = describe(ctx.interp, name);
      if (found.kind === "missing") status = 127;
      text += `${verbose(name, found)}\n`;
    }
    return afterWrite(ctx.out(text), status);
  },
});

export const exec = defineBuiltin({
  name: "exec",
  special: true,
  flags: null,
  run(ctx, { operands }) {
    // Without a command the redirections were made permanent by the executor.
    if (operands.length === 0) return 0;
    const interp = ctx.interp;
    // dash's `exec` replaces the shell with a program and nothing else: no
    // function or builtin is looked for (`exec cd /` is `exec: cd: not
    // found`). It calls execve on each PATH entry itself, so a non-executable
    // file found there gives 126, not the 127 of a command's PATH search, and
    // its messages name `exec`.
    const name = operands[0] ?? "";
    const found = findCommand(interp, name);
    if ("error" in found) {
      const status = found.error === "Permission denied" ? 126 : 127;
      ctx.fail(`${name}: ${found.error}`, status);
      throw new ExitFlow(status); // the shell ends, its EXIT trap runs (as in dash)
    }
    // The shell is replaced: its EXIT trap never runs.
    interp.state.traps.delete("EXIT");
    // A script without #! it runs takes this shell's place, pid and all (script-shell.ts).
    interp.isReplaced = true;
    return then(interp.session.handlers.exec(operands, interp.state.vars.environment(), interp, interp.get("PATH")), (status) => {
      throw new ExitFlow(status);
    });
  },
});
