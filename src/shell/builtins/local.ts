// `local name[=value]…`: the variable is restored when the function returns.
// As in dash, a new local keeps the outer value until assigned, `local -`
// saves the shell's options to put back on return, and `local` takes no
// other option: `-n` or `--` is a bad variable name, an error that ends the
// shell (as dash's does), unless run through `command`. Through `command`
// the frame is the command's own (local-frame.ts), so nothing outlasts it.

import { copyOptions } from "../exec/state.ts";
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
      if (operand === "-") {
        frame.options ??= copyOptions(state.options);
        continue;
      }
      const eq = operand.indexOf("=");
      const name = eq === -1 ? operand : operand.slice(0, eq);
      if (!isName(name)) {
        // dash makes `1x=2` without a check and fails only when the frame ends (local-frame.ts).
        if (eq !== -1) {
          frame.badNames.push(name);
          continue;
        }
        return ctx.fatal(`${name}: bad variable name`);
      }
      if (!frame.vars.has(name)) frame.vars.set(name, state.vars.entry(name));
      if (eq !== -1) ctx.interp.setVar(name, operand.slice(eq + 1));
    }
    return 0;
  },
});
