// `getopts optstring name [arg…]`: one option per call, state in OPTIND (and
// the position inside a group like `-abc`, kept in the shell state).

import { afterWrite, defineBuiltin } from "./define.ts";

export const getopts = defineBuiltin({
  name: "getopts",
  flags: null,
  run(ctx, { operands }) {
    const interp = ctx.interp;
    const state = interp.state;
    const [optstring, name, ...given] = operands;
    if (optstring === undefined || name === undefined) return ctx.fail("usage: getopts optstring var [arg]", 2);
    const args = given.length > 0 ? given : state.positional;
    const silent = optstring.startsWith(":");
    let optind = Number(interp.get("OPTIND") ?? "1") || 1;
    // A script that resets OPTIND starts over.
    if (String(optind) !== state.getopts.optind) state.getopts.offset = 0;
    const finish = (letter: string, status: number, message?: string) => {
      interp.setVar(name, letter);
      interp.setVar("OPTIND", String(optind));
      state.getopts.optind = String(optind);
      // dash writes these two messages bare, without the `sh: N:` prefix of other errors.
      return message === undefined || silent ? status : afterWrite(ctx.err(`${message}\n`), status);
    };
    const arg = args[optind - 1];
    if (state.getopts.offset === 0) {
      if (arg === undefined || arg === "-" || !arg.startsWith("-")) {
        state.vars.unset("OPTARG");
        return finish("?", 1);
      }
      if (arg === "--") {
        optind++;
        state.vars.unset("OPTARG");
        return finish("?", 1);
      }
      state.getopts.offset = 1;
    }
    const word = arg ?? "";
    const letter = word[state.getopts.offset] ?? "";
    state.getopts.offset++;
    const atEnd = state.getopts.offset >= word.length;
    const advance = () => {
      optind++;
      state.getopts.offset = 0;
    };
    const at = letter === ":" ? -1 : optstring.indexOf(letter);
    if (at === -1) {
      if (atEnd) advance();
      if (silent) interp.setVar("OPTARG", letter);
      else state.vars.unset("OPTARG");
      return finish("?", 0, `Illegal option -${letter}`);
    }
    if (optstring[at + 1] !== ":") {
      if (atEnd) advance();
      // dash sets OPTARG to the empty string for an option without argument (bash unsets it).
      interp.setVar("OPTARG", "");
      return finish(letter, 0);
    }
    if (!atEnd) {
      interp.setVar("OPTARG", word.slice(state.getopts.offset));
      advance();
      return finish(letter, 0);
    }
    const value = args[optind];
    advance();
    if (value === undefined) {
      if (silent) {
        interp.setVar("OPTARG", letter);
        return finish(":", 0);
      }
      state.vars.unset("OPTARG");
      return finish("?", 0, `No arg for -${letter} option`);
    }
    optind++;
    interp.setVar("OPTARG", value);
    return finish(letter, 0);
  },
});
