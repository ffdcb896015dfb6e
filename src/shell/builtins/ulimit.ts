// `ulimit` as dash has it: its options, units and messages. The limits are
// the session's own (exec/limits.ts): setting one changes what `ulimit`
// reports and what external commands start with, never this process.

import { formatLimit, isAbove, ownLimits, RESOURCES, type ResourceLimit, type Rlim } from "../exec/limits.ts";
import type { FlagSpec } from "./args.ts";
import { afterWrite, defineBuiltin } from "./define.ts";

const FLAGS: FlagSpec = Object.fromEntries(["H", "S", "a", ...RESOURCES.map((r) => r.letter)].map((letter) => [letter, "flag" as const]));

type Which = "soft" | "hard" | "both";

export const ulimit = defineBuiltin({
  name: "ulimit",
  flags: FLAGS,
  run(ctx, args) {
    const state = ctx.interp.state;
    // The last -H/-S and the last resource letter win, as with dash's nextopt loop.
    let which: Which = "both";
    let isAll = false;
    let letter = "f";
    for (const flag of args.order) {
      if (flag.letter === "H") which = "hard";
      else if (flag.letter === "S") which = "soft";
      else if (flag.letter === "a") isAll = true;
      else letter = flag.letter;
    }
    const resource = RESOURCES.find((r) => r.letter === letter);
    if (resource === undefined) return ctx.fail(`Illegal option -${letter}`, 2);
    const operand = args.operands[0];
    let value: Rlim | undefined;
    if (operand !== undefined) {
      if (isAll || args.operands.length > 1) return ctx.fail("too many arguments", 2);
      if (operand === "unlimited") value = "unlimited";
      else if (/^\d*$/.test(operand)) value = BigInt(operand === "" ? "0" : operand) * resource.factor;
      else return ctx.fail("bad number", 2);
    }
    const inherited = ownLimits();
    const limitOf = (l: string): ResourceLimit => state.limits?.get(l) ?? inherited.get(l) ?? { soft: "unlimited", hard: "unlimited" };
    // dash prints the soft limit unless -H alone was given.
    const shown = (limit: ResourceLimit): Rlim => (which === "hard" ? limit.hard : limit.soft);
    if (isAll) {
      let text = "";
      for (const each of RESOURCES) text += `${each.name.padEnd(20)} ${formatLimit(shown(limitOf(each.letter)), each)}\n`;
      return afterWrite(ctx.out(text), 0);
    }
    const current = limitOf(letter);
    if (value === undefined) return afterWrite(ctx.out(`${formatLimit(shown(current), resource)}\n`), 0);
    const next: ResourceLimit = { soft: which === "hard" ? current.soft : value, hard: which === "soft" ? current.hard : value };
    // setrlimit's checks, in the kernel's order: soft above hard, then raising hard unprivileged.
    if (isAbove(next.soft, next.hard)) return ctx.fail("error setting limit (Invalid argument)", 2);
    if (isAbove(next.hard, current.hard) && process.getuid?.() !== 0) return ctx.fail("error setting limit (Operation not permitted)", 2);
    state.limits = new Map(state.limits ?? []).set(letter, next);
    return 0;
  },
});
