// `getopts optstring name [arg…]`: one option per call. The place (next word,
// offset in a grouped `-abc`) is the shell state's, as in dash: OPTIND is set
// from it and, when a script assigns OPTIND, resets it (OPTIND=1 starts over).
// Follows dash's getopts step by step, down to OPTIND advancing at the first
// letter of a group and OPTARG keeping its value at the end.

import type { Interp } from "../exec/executor.ts";
import { then } from "../exec/maybe.ts";
import { afterWrite, defineBuiltin, isName } from "./define.ts";

export const getopts = defineBuiltin({
  name: "getopts",
  flags: null,
  run(ctx, { operands }) {
    const interp = ctx.interp;
    const state = interp.state;
    const [optstring, name, ...given] = operands;
    if (optstring === undefined || name === undefined) return ctx.fail("Usage: getopts optstring var [arg...]", 2);
    syncWithOptind(interp);
    const args = given.length > 0 ? given : state.positional;
    const place = state.getopts;
    if (place.optind > args.length + 1) {
      place.optind = 1;
      place.offset = -1;
    }
    const start = place.optind;
    const offset = place.offset;
    // Left at -1 if setting a variable fails below, so that the next call starts over, as in dash.
    place.optind = -1;
    let next = start - 1; // index in args of the next word
    const previous = start > 1 ? args[next - 1] : undefined;
    let word = previous !== undefined && offset >= 0 && offset <= previous.length ? previous : undefined;
    let at = offset;
    let letter = "?";
    let done = false;
    let message: string | undefined;
    const silent = optstring.startsWith(":");
    outcome: {
      if (word === undefined || at >= word.length) {
        const candidate = args[next];
        if (candidate === undefined || !candidate.startsWith("-") || candidate === "-" || candidate === "--") {
          if (candidate === "--") next++;
          word = undefined;
          done = true;
          break outcome;
        }
        next++;
        word = candidate;
        at = 1;
      }
      letter = word.charAt(at++);
      const spec = findOption(optstring, letter);
      if (spec === undefined) {
        if (silent) interp.setVar("OPTARG", letter);
        else {
          message = `Illegal option -${letter}`;
          state.vars.unset("OPTARG");
        }
        letter = "?";
        break outcome;
      }
      if (!spec.takesArgument) {
        interp.setVar("OPTARG", "");
        break outcome;
      }
      let value: string | undefined = word.slice(at);
      if (value === "") {
        value = args[next];
        if (value === undefined) {
          if (silent) {
            interp.setVar("OPTARG", letter);
            letter = ":";
          } else {
            message = `No arg for -${letter} option`;
            state.vars.unset("OPTARG");
            letter = "?";
          }
          word = undefined;
          break outcome;
        }
        next++;
      }
      interp.setVar("OPTARG", value);
      word = undefined;
    }
    const optind = next + 1;
    interp.setVar("OPTIND", String(optind));
    state.getoptsWrote = state.vars.entry("OPTIND");
    // dash writes these two messages bare, without the `sh: N:` prefix of other errors.
    const written = message === undefined ? undefined : ctx.err(`${message}\n`);
    if (!isName(name)) return then(written, () => ctx.fail(`${name}: bad variable name`, 2));
    interp.setVar(name, letter);
    // At the end of a word, -1 as well: the same next step, and a checkpoint sees no group in progress.
    place.offset = word === undefined || at >= word.length ? -1 : at;
    place.optind = optind;
    return afterWrite(written, done ? 1 : 0);
  },
});

/** An assignment to OPTIND since getopts last set it moves the place there (dash's getoptsreset). */
function syncWithOptind(interp: Interp): void {
  const state = interp.state;
  const entry = state.vars.entry("OPTIND");
  if (entry === state.getoptsWrote) return;
  state.getoptsWrote = entry;
  const value = Number(entry?.value ?? "");
  state.getopts = { optind: Number.isInteger(value) && value > 0 ? value : 1, offset: -1 };
}

/** The letter's entry in optstring, scanned as dash does (a leading `:` is a letter too). */
function findOption(optstring: string, letter: string): { takesArgument: boolean } | undefined {
  for (let i = 0; i < optstring.length; i++) {
    const takesArgument = optstring[i + 1] === ":";
    if (optstring[i] === letter) return { takesArgument };
    if (takesArgument) i++;
  }
  return undefined;
}
