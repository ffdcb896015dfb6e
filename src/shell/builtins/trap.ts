// `trap`: set, reset, ignore or list the actions run on signals and EXIT.

import { afterWrite, defineBuiltin } from "./define.ts";
import { decodeSignal, signalName } from "../exec/signals.ts";
import { quoteValue } from "./quote.ts";

export const trap = defineBuiltin({
  name: "trap",
  special: true,
  // dash's trap has no options (bash's -l and -p are not kept).
  flags: {},
  run(ctx, args) {
    const traps = ctx.interp.state.traps;
    const operands = args.operands;
    if (operands.length === 0) {
      let text = "";
      // By signal number, EXIT (0) first, as dash lists them.
      const listed = [...traps].sort(([a], [b]) => (decodeSignal(a, 0) ?? 0) - (decodeSignal(b, 0) ?? 0));
      for (const [signal, action] of listed) text += `trap -- ${quoteValue(action)} ${signal}\n`;
      return afterWrite(ctx.out(text), 0);
    }
    // `trap N…` with a number first, or a single operand (`trap INT`), resets those signals
    // (XCU trap; dash); otherwise the first operand is the action, `-` meaning reset.
    const first = operands[0] ?? "";
    // A number that is no signal (`trap 99 INT`, 99 past the last) is an action, as dash's decode_signum finds.
    const isAllSignals = operands.length === 1 || (/^\d+$/.test(first) && decodeSignal(first, 0) !== undefined);
    const action = isAllSignals || first === "-" ? undefined : first;
    const signals = isAllSignals ? operands : operands.slice(1);
    let errors = "";
    for (const signal of signals) {
      const n = decodeSignal(signal, 0);
      if (n === undefined) {
        // dash writes this one bare, without the `sh: N:` prefix.
        errors += `trap: ${signal}: bad trap\n`;
        continue;
      }
      const name = signalName(n) ?? signal;
      if (action === undefined) traps.delete(name);
      else traps.set(name, action);
    }
    return errors === "" ? 0 : afterWrite(ctx.err(errors), 1);
  },
});
