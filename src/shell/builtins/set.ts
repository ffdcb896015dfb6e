// `set`: options (`-e`, `+x`, `-o pipefail`), positional parameters, or the
// list of variables; and `shift`.

import { afterWrite, defineBuiltin, parseCount } from "./define.ts";
import { getOption, OPTION_LETTERS, optionForLetter, type Options, setOption } from "../exec/state.ts";
import { quoteValue } from "./quote.ts";
import { type Status, then } from "../exec/maybe.ts";
import { ErrorFlow } from "../exec/control-flow.ts";

/** dash's own options; rushd's extensions (pipefail, hashall) are listed only once turned on, as dash lists none. */
const DASH_OPTION_COUNT = 18;

/**
 * sh's option words are not getopt's, so `set` walks them itself, as dash
 * does: `-` ends the options (turning off -x and -v), `+` alone is an empty
 * option word, `--` ends them (clearing the parameters when nothing
 * follows), `-o` without a name lists the options.
 */
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
    let listing = "";
    // `set -oerrexit` lists the options (`-o` with nothing after it), then fails on `-r`; dash's
    // listing waits in its output buffer, so the message comes out first.
    const illegal = (message: string): Status => {
      if (listing === "") return ctx.fatal(message);
      return then(ctx.fail(message, 2), (status) =>
        then(ctx.out(listing), () => {
          if (ctx.errorsEndShell) throw new ErrorFlow(status);
          return status;
        }),
      );
    };
    let at = 0;
    while (at < operands.length) {
      const word = operands[at] as string;
      const sign = word[0];
      if (sign !== "-" && sign !== "+") break;
      at++;
      if (sign === "-" && (word === "-" || word === "--")) {
        if (word === "-") {
          state.options.xtrace = false;
          state.options.verbose = false;
        } else if (at === operands.length) state.setPositional([]);
        break;
      }
      for (const letter of word.slice(1)) {
        let name: string | undefined;
        if (letter === "o") {
          name = operands[at];
          if (name === undefined) {
            listing += optionListing(state.options, sign === "-");
            continue;
          }
          at++;
          if (!OPTION_LETTERS.has(name)) return illegal(`Illegal option -o ${name}`);
        } else {
          name = optionForLetter(letter);
          // dash names the letter with `-` whichever sign it came with.
          if (name === undefined) return illegal(`Illegal option -${letter}`);
          // dash's -V and -E exclude each other (its -o vi and -o emacs do not).
          if (sign === "-" && (letter === "V" || letter === "E")) setOption(state.options, letter === "V" ? "emacs" : "vi", false);
        }
        // No terminal to control (a session has none of its own), as dash finds without one; only
        // a shell of its own process looks (dash's setjobctl does nothing in a subshell, where
        // `set -m` just sets the flag).
        const interp = ctx.interp;
        const isOwnShell = interp.isRoot || (interp.ownsProcess && interp.process?.kind === "script");
        if (name === "monitor" && sign === "-" && isOwnShell) {
          ctx.fail("can't access tty; job control turned off", 0);
          continue;
        }
        setOption(state.options, name, sign === "-");
      }
    }
    if (at < operands.length) state.setPositional(operands.slice(at));
    return listing === "" ? 0 : afterWrite(ctx.out(listing), 0);
  },
});

/** `set -o` (a table) or `set +o` (commands that restore the settings). */
function optionListing(options: Options, table: boolean): string {
  let text = table ? "Current option settings\n" : "";
  let index = 0;
  for (const name of OPTION_LETTERS.keys()) {
    const on = getOption(options, name);
    if (index++ >= DASH_OPTION_COUNT && !on) continue;
    text += table ? `${name.padEnd(16)}${on ? "on" : "off"}\n` : `set ${on ? "-" : "+"}o ${name}\n`;
  }
  return text;
}

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
