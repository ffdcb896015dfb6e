// `echo` as dash has it: `-n` only, and backslash escapes always interpreted
// (`\c` stops all output).

import { afterWrite, defineBuiltin } from "./define.ts";
import { decodeEscapes } from "./escapes.ts";

export const echo = defineBuiltin({
  name: "echo",
  flags: null,
  run(ctx, { operands }) {
    let args = operands;
    let newline = true;
    if (args[0] === "-n") {
      newline = false;
      args = args.slice(1);
    }
    const { text, stop } = decodeEscapes(args.join(" "), "echo");
    return afterWrite(ctx.out(stop || !newline ? text : `${text}\n`), 0);
  },
});
