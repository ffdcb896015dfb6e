// `local name[=value]…`: the variable is restored when the function returns.
// As in dash, a new local keeps the outer value until assigned.

import { defineBuiltin, isName } from "./define.ts";

export const local = defineBuiltin({
  name: "local",
  special: true,
  flags: null,
  run(ctx, { operands }) {
    const state = ctx.interp.state;
    const frame = state.localFrames[state.localFrames.length - 1];
    if (frame === undefined) return ctx.fatal("not in a function");
    for (const operand of operands) {
      const eq = operand.indexOf("=");
      const name = eq === -1 ? operand : operand.slice(0, eq);
      if (!isName(name)) return ctx.fail(`${name}: bad variable name`, 2);
      if (!frame.has(name)) frame.set(name, state.vars.entry(name));
      if (eq !== -1) ctx.interp.setVar(name, operand.slice(eq + 1));
    }
    return 0;
  },
});
