// `alias` and `unalias`. Aliases are expanded by the parser, which asks the
// shell for them line by line.

import { afterWrite, defineBuiltin } from "./define.ts";
import { quoteValue } from "./quote.ts";
import { dashListingOrder } from "./dash-hash.ts";

/** dash's alias table has 39 buckets (ATABSIZE). */
const ALIAS_BUCKETS = 39;

/** Names in the order dash lists them: bucket by bucket, each bucket in definition order. */
function listingOrder(aliases: ReadonlyMap<string, string>): string[] {
  // Map order is definition order (redefining keeps the place, as in dash's chains).
  return dashListingOrder(aliases.keys(), ALIAS_BUCKETS);
}

/** dash prints this one bare, without the `sh: 1:` of its other messages. */
function notFound(builtin: string, name: string): string {
  return `${builtin}: ${name} not found\n`;
}

// dash's `alias` takes no options: `-p` and `--` are names to look up.
export const alias = defineBuiltin({
  name: "alias",
  flags: null,
  run(ctx, { operands }) {
    const aliases = ctx.interp.state.aliases;
    if (operands.length === 0) {
      let text = "";
      for (const name of listingOrder(aliases)) text += `${name}=${quoteValue(aliases.get(name) ?? "")}\n`;
      return afterWrite(ctx.out(text), 0);
    }
    let text = "";
    let status = 0;
    for (const operand of operands) {
      const eq = operand.indexOf("=");
      if (eq > 0) aliases.set(operand.slice(0, eq), operand.slice(eq + 1));
      else {
        const value = aliases.get(operand);
        if (value === undefined) {
          void ctx.err(notFound("alias", operand));
          status = 1;
        } else text += `${operand}=${quoteValue(value)}\n`;
      }
    }
    return afterWrite(ctx.out(text), status);
  },
});

export const unalias = defineBuiltin({
  name: "unalias",
  flags: { a: "flag" },
  run(ctx, args) {
    const aliases = ctx.interp.state.aliases;
    if (args.has("a")) {
      aliases.clear();
      return 0;
    }
    let status = 0;
    for (const name of args.operands) {
      if (!aliases.delete(name)) {
        void ctx.err(notFound("unalias", name));
        status = 1;
      }
    }
    return status;
  },
});
