// `export` and `readonly`: mark variables (optionally assigning), or list
// them with `-p` in a form the shell can read back.

import { type BuiltinContext, afterWrite, defineBuiltin, isName } from "./define.ts";
import type { ParsedArgs } from "./args.ts";
import type { Variable } from "../exec/vars.ts";
import { quoteValue } from "./quote.ts";

function declare(ctx: BuiltinContext, args: ParsedArgs, which: "export" | "readonly") {
  const vars = ctx.interp.state.vars;
  // As in dash, `-p` lists, and operands after it are ignored.
  if (args.operands.length === 0 || args.has("p")) {
    const selected = (entry: Variable | undefined) => (which === "export" ? entry?.exported : entry?.readonly) === true;
    let text = "";
    for (const name of vars.names()) {
      const entry = vars.entry(name);
      if (!selected(entry)) continue;
      text += entry?.value === undefined ? `${which} ${name}\n` : `${which} ${name}=${quoteValue(entry.value)}\n`;
    }
    return afterWrite(ctx.out(text), 0);
  }
  for (const operand of args.operands) {
    const eq = operand.indexOf("=");
    const name = eq === -1 ? operand : operand.slice(0, eq);
    const value = eq === -1 ? undefined : operand.slice(eq + 1);
    if (!isName(name)) return ctx.fatal(`${name}: bad variable name`);
    if (which === "export") vars.markExported(name, value);
    else vars.markReadonly(name, value);
  }
  return 0;
}

export const exportBuiltin = defineBuiltin({ name: "export", special: true, flags: { p: "flag" }, run: (ctx, args) => declare(ctx, args, "export") });
export const readonly = defineBuiltin({ name: "readonly", special: true, flags: { p: "flag" }, run: (ctx, args) => declare(ctx, args, "readonly") });

export const unset = defineBuiltin({
  name: "unset",
  special: true,
  flags: { f: "flag", v: "flag" },
  run(ctx, args) {
    const state = ctx.interp.state;
    for (const name of args.operands) {
      if (args.has("f")) state.functions.delete(name);
      else {
        if (!isName(name)) return ctx.fatal(`${name}: bad variable name`);
        state.vars.unset(name);
      }
    }
    return 0;
  },
});
