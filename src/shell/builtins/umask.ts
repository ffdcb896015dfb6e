// `umask`: the mask is process-wide, so it goes through the embedding's host.
// As in dash, operands after the first are ignored (`umask 022 044` sets
// 022, status 0) and `-S` with an operand only sets the mask.

import { afterWrite, defineBuiltin } from "./define.ts";
import { parseMode, symbolicMask } from "./umask-mode.ts";

export const umask = defineBuiltin({
  name: "umask",
  flags: { S: "flag" },
  run(ctx, args) {
    const host = ctx.interp.session.host;
    const operand = args.operands[0];
    if (operand === undefined) {
      const mask = host.getUmask();
      return afterWrite(ctx.out(args.has("S") ? `${symbolicMask(mask)}\n` : `${mask.toString(8).padStart(4, "0")}\n`), 0);
    }
    const parsed = parseMode(operand, host.getUmask());
    if ("error" in parsed) return ctx.fail(`${parsed.error === "number" ? "Illegal number" : "Illegal mode"}: ${operand}`, 2);
    ctx.interp.state.umaskBeforeChange ??= host.getUmask();
    host.setUmask(parsed.mask);
    return 0;
  },
});
