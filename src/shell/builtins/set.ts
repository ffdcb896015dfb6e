// `set`: options (`-e`, `+x`, `-o pipefail`), positional parameters, or the
// list of variables; and `shift`.

import { afterWrite, defineBuiltin, parseCount } from "./define.ts";
import { type FlagSpec, parseArgs } from "./args.ts";
import { getOption, OPTION_LETTERS, optionForLetter, setOption } from "../exec/state.ts";
import { quoteValue } from "./quote.ts";

const SET_FLAGS: FlagSpec = Object.fromEntries([
  ...[...OPTION_LETTERS.values()].filter((letter) => letter !== "").map((letter) => [letter, "flag" as const]),
  ["o", "value" as const],
]);

export const set = defineBuiltin({
  name: "set",
  special: true,
  flags: null,
  run(ctx, { operands }) {
    const state = ctx.interp.state;
    if (operands.length === 0) {
      let text = "";
      for (const name of state.vars.names()) {
        const value = state.vars.get(name);
        if (value !== undefined) text += `${name}=${quoteValue(value)}\n`;
      }
      return afterWrite(ctx.out(text), 0);
    }
    if (operands.length === 1 && (operands[0] === "-o" || operands[0] === "+o")) {
      let text = operands[0] === "-o" ? "Current option settings\n" : "";
      for (const name of OPTION_LETTERS.keys()) {
        const on = getOption(state.options, name);
        text += operands[0] === "-o" ? `${name.padEnd(16)}${on ? "on" : "off"}\n` : `set ${on ? "-" : "+"}o ${name}\n`;
      }
      return afterWrite(ctx.out(text), 0);
    }
    if (operands[0] === "-") {
      // Obsolete `set -`: turns off -x and -v; what follows are the positional parameters.
      state.options.xtrace = false;
      state.options.verbose = false;
      if (operands.length > 1) state.setPositional(operands.slice(1));
      return 0;
    }
    const args = parseArgs(operands, SET_FLAGS, true);
    for (const { sign, letter, value } of args.order) {
      const name = letter === "o" ? (value ?? "") : optionForLetter(letter);
      if (name === undefined || !setOption(state.options, name, sign === "-")) return ctx.fatal(`Illegal option ${sign}o ${name ?? letter}`);
    }
    if (args.operands.length > 0 || args.sawEndMarker) state.setPositional(args.operands.slice());
    return 0;
  },
});

export const shift = defineBuiltin({
  name: "shift",
  special: true,
  flags: null,
  run(ctx, { operands }) {
    const n = operands[0] === undefined ? 1 : parseCount(operands[0]);
    const state = ctx.interp.state;
    if (n === undefined || n < 0) return ctx.fatal(`Illegal number: ${operands[0] ?? ""}`);
    if (n > state.positional.length) return ctx.fatal("can't shift that many");
    state.setPositional(state.positional.slice(n));
    return 0;
  },
});
