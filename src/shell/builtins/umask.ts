// `umask`: the mask is process-wide, so it goes through the embedding's host.

import { afterWrite, defineBuiltin } from "./define.ts";

const WHO_BITS: Readonly<Record<string, number>> = { u: 0o700, g: 0o070, o: 0o007 };
const PERM_BITS: Readonly<Record<string, number>> = { r: 0o444, w: 0o222, x: 0o111 };

function symbolic(mask: number): string {
  const perms = (shift: number) => {
    const allowed = ~mask >> shift;
    return `${allowed & 4 ? "r" : ""}${allowed & 2 ? "w" : ""}${allowed & 1 ? "x" : ""}`;
  };
  return `u=${perms(6)},g=${perms(3)},o=${perms(0)}`;
}

/** Apply a symbolic mode (`u=rwx,g=rx,o=`, `g-w`, `a+r`) to a mask; undefined if malformed. */
function applySymbolic(mask: number, mode: string): number | undefined {
  let allowed = ~mask & 0o777;
  for (const clause of mode.split(",")) {
    const m = /^([ugoa]*)([=+-])([rwx]*)$/.exec(clause);
    if (m === null) return undefined;
    const who = (m[1] === "" || m[1] === undefined ? "a" : m[1]).split("").reduce((bits, w) => bits | (w === "a" ? 0o777 : (WHO_BITS[w] ?? 0)), 0);
    const perms = (m[3] ?? "").split("").reduce((bits, p) => bits | (PERM_BITS[p] ?? 0), 0) & who;
    if (m[2] === "=") allowed = (allowed & ~who) | perms;
    else if (m[2] === "+") allowed |= perms;
    else allowed &= ~perms;
  }
  return ~allowed & 0o777;
}

export const umask = defineBuiltin({
  name: "umask",
  flags: { S: "flag" },
  run(ctx, args) {
    const host = ctx.interp.session.host;
    const operand = args.operands[0];
    if (operand === undefined) {
      const mask = host.getUmask();
      return afterWrite(ctx.out(args.has("S") ? `${symbolic(mask)}\n` : `${mask.toString(8).padStart(4, "0")}\n`), 0);
    }
    const mask = /^[0-7]+$/.test(operand) ? parseInt(operand, 8) : /^\d+$/.test(operand) ? undefined : applySymbolic(host.getUmask(), operand);
    if (mask === undefined) return ctx.fail(`Illegal mode: ${operand}`, 2);
    ctx.interp.state.umaskBeforeChange ??= host.getUmask();
    host.setUmask(mask);
    return 0;
  },
});
