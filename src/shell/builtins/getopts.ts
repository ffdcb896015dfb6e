// `getopts optstring name [arg…]`: one option per call. The place (next word,
// offset in a grouped `-abc`) is the shell state's, as in dash: OPTIND is set
// from it and, when a script assigns OPTIND, resets it (OPTIND=1 starts over).
// Follows dash's getopts step by step, down to OPTIND advancing at the first
// letter of a group and OPTARG keeping its value at the end.

import type { Interp } from "../exec/executor.ts";
import { then } from "../exec/maybe.ts";
import type { GetoptsPlace } from "../exec/state.ts";
import { afterWrite, defineBuiltin, isName } from "./define.ts";

/** What one step found: the letter for `name`, what becomes of OPTARG, where the next step starts. */
interface Step {
  readonly letter: string;
  /** A value to set, `null` to unset, undefined to leave as it is (at the end). */
  readonly optarg: string | null | undefined;
  /** The message dash writes (bare, without the `sh: N:` prefix of other errors), unless silent. */
  readonly message?: string;
  /** Index in the arguments of the next word. */
  readonly next: number;
  /** Offset of the next letter in the word before `next`; -1 when that word is done. */
  readonly offset: number;
  /** No more options (status 1). */
  readonly done: boolean;
}

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
    if (place.optind < 1 || place.optind > args.length + 1) {
      place.optind = 1;
      place.offset = -1;
    }
    const step = scan(optstring, args, place);
    // Left at -1 if setting a variable fails below, so that the next call starts over, as in dash.
    place.optind = -1;
    if (step.optarg === null) state.vars.unset("OPTARG");
    else if (step.optarg !== undefined) interp.setVar("OPTARG", step.optarg);
    const optind = step.next + 1;
    interp.setVar("OPTIND", String(optind));
    state.getoptsWrote = state.vars.entry("OPTIND");
    const written = step.message === undefined ? undefined : ctx.err(`${step.message}\n`);
    if (!isName(name)) return then(written, () => ctx.fail(`${name}: bad variable name`, 2));
    interp.setVar(name, step.letter);
    place.offset = step.offset;
    place.optind = optind;
    return afterWrite(written, step.done ? 1 : 0);
  },
});

/** One step of dash's getopts from `place` over `args`. */
function scan(optstring: string, args: readonly string[], place: GetoptsPlace): Step {
  const silent = optstring.startsWith(":");
  let next = place.optind - 1;
  const previous = place.optind > 1 ? args[next - 1] : undefined;
  let word = previous !== undefined && place.offset >= 0 && place.offset < previous.length ? previous : undefined;
  let at = place.offset;
  if (word === undefined) {
    const candidate = args[next];
    if (candidate === undefined || !candidate.startsWith("-") || candidate === "-" || candidate === "--") {
      return { letter: "?", optarg: undefined, next: candidate === "--" ? next + 1 : next, offset: -1, done: true };
    }
    next++;
    word = candidate;
    at = 1;
  }
  const letter = word.charAt(at++);
  // At the end of a word the offset is -1 as well: the same next step, and a checkpoint sees no group in progress.
  const offset = at < word.length ? at : -1;
  const spec = findOption(optstring, letter);
  if (spec === undefined) {
    if (silent) return { letter: "?", optarg: letter, next, offset, done: false };
    return { letter: "?", optarg: null, message: `Illegal option -${letter}`, next, offset, done: false };
  }
  if (!spec.takesArgument) return { letter, optarg: "", next, offset, done: false };
  if (at < word.length) return { letter, optarg: word.slice(at), next, offset: -1, done: false };
  const value = args[next];
  if (value !== undefined) return { letter, optarg: value, next: next + 1, offset: -1, done: false };
  if (silent) return { letter: ":", optarg: letter, next, offset: -1, done: false };
  return { letter: "?", optarg: null, message: `No arg for -${letter} option`, next, offset: -1, done: false };
}

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
