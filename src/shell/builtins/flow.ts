// `exit`, `return`, `break`, `continue`: throw the typed control flow the
// executor catches at the right level.

import { BreakFlow, ContinueFlow, ExitFlow, ReturnFlow } from "../exec/control-flow.ts";
import { type BuiltinContext, defineBuiltin, parseCount } from "./define.ts";

/**
 * The operand of `exit`/`return`: `$?` by default; `exit` keeps the low 8 bits, `return` the number (as dash).
 * `fallback` is the default status: `$?`, except that `exit` in a trap action uses `$?` from before the trap.
 */
function statusOperand(ctx: BuiltinContext, operand: string | undefined, mask = 255, fallback = ctx.interp.state.lastStatus): number | undefined {
  if (operand === undefined) return fallback;
  const n = parseCount(operand);
  return n === undefined || n < 0 ? undefined : n & mask;
}

export const exit = defineBuiltin({
  name: "exit",
  special: true,
  flags: null,
  run(ctx, { operands }) {
    const state = ctx.interp.state;
    const status = statusOperand(ctx, operands[0], 255, state.statusBeforeTrap ?? state.lastStatus);
    if (status === undefined) return ctx.fatal(`Illegal number: ${operands[0] ?? ""}`);
    throw new ExitFlow(status);
  },
});

export const returnBuiltin = defineBuiltin({
  name: "return",
  special: true,
  flags: null,
  run(ctx, { operands }) {
    const status = statusOperand(ctx, operands[0], 0x7fffffff);
    if (status === undefined) return ctx.fatal(`Illegal number: ${operands[0] ?? ""}`);
    throw new ReturnFlow(status);
  },
});

function loopLevels(operand: string | undefined): number | undefined {
  if (operand === undefined) return 1;
  const n = parseCount(operand);
  return n === undefined || n < 1 ? undefined : n;
}

/** `break N` / `continue N`: leave or restart the Nth enclosing loop (outside a loop: nothing, like dash). */
function defineLoopControl(name: string, Flow: typeof BreakFlow | typeof ContinueFlow) {
  return defineBuiltin({
    name,
    special: true,
    flags: null,
    run(ctx, { operands }) {
      const levels = loopLevels(operands[0]);
      if (levels === undefined) return ctx.fatal(`Illegal number: ${operands[0] ?? ""}`);
      const depth = ctx.interp.state.loopDepth;
      if (depth === 0) return 0;
      throw new Flow(Math.min(levels, depth));
    },
  });
}

export const breakBuiltin = defineLoopControl("break", BreakFlow);
export const continueBuiltin = defineLoopControl("continue", ContinueFlow);
