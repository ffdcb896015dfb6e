// `trap`: set, reset, ignore or list the actions run on signals and EXIT.

import { afterWrite, defineBuiltin } from "./define.ts";
import { lookupSignal, signalName } from "../exec/signals.ts";
import { quoteValue } from "./quote.ts";

export const trap = defineBuiltin({
  name: "trap",
  special: true,
  flags: { l: "flag", p: "flag" },
  run(ctx, args) {
    const traps = ctx.interp.state.traps;
    if (args.has("l")) {
      let text = "";
      for (let n = 1; n < 65; n++) {
        const name = signalName(n);
        if (name !== undefined) text += `${n}) SIG${name}\n`;
      }
      return afterWrite(ctx.out(text), 0);
    }
    const operands = args.operands;
    if (operands.length === 0) {
      let text = "";
      // By signal number, EXIT (0) first, as dash lists them.
      const listed = [...traps].sort(([a], [b]) => (lookupSignal(a) ?? 0) - (lookupSignal(b) ?? 0));
      for (const [signal, action] of listed) text += `trap -- ${quoteValue(action)} ${signal}\n`;
      return afterWrite(ctx.out(text), 0);
    }
    // `trap N…` with a number first resets those signals (XCU trap).
    const first = operands[0] ?? "";
    const resetting = first === "-" || (/^\d+$/.test(first) && operands.length >= 1);
    const action = resetting ? undefined : first;
    const signals = first === "-" || !resetting ? operands.slice(1) : operands;
    let status = 0;
    for (const signal of signals) {
      const n = lookupSignal(signal);
      if (n === undefined) {
        ctx.fail(`${signal}: bad trap`, 1);
        status = 1;
        continue;
      }
      const name = signalName(n) ?? signal;
      if (action === undefined) traps.delete(name);
      else traps.set(name, action);
    }
    return status;
  },
});
