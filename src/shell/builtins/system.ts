// `hash` and `times`: views of the command cache and of process resources.
// (`ulimit` has its own file.)

import { findCommand, trackedCommands } from "../exec/command-path.ts";
import { dashListingOrder } from "./dash-hash.ts";
import { isBashOnlyName } from "./bash-only-names.ts";
import { afterWrite, defineBuiltin } from "./define.ts";
import { builtins } from "./index.ts";

export const hash = defineBuiltin({
  name: "hash",
  flags: { r: "flag" },
  run(ctx, args) {
    const session = ctx.interp.session;
    const tracked = trackedCommands(ctx.interp);
    if (args.has("r")) {
      session.commandPaths.clear();
      tracked.clear();
      return 0;
    }
    if (args.operands.length === 0) {
      let text = "";
      // In dash's order: its command table has 31 buckets (CMDTABLESIZE), the hash masked to 15 bits.
      for (const name of dashListingOrder(tracked.keys(), 31, 0x7fff)) text += `${tracked.get(name) ?? ""}\n`;
      return afterWrite(ctx.out(text), 0);
    }
    let status = 0;
    for (const name of args.operands) {
      // As in dash, a builtin or function is found too (and not listed).
      if (!isBashOnlyName(name) && (builtins.has(name) || ctx.interp.state.functions.has(name))) continue;
      // dash looks nothing up for a name with a slash; a PATH search that met only files it
      // may not run (or directories: `hash ''`, `hash ..`) says so, as for a command.
      if (name.includes("/")) continue;
      const found = findCommand(ctx.interp, name);
      if ("error" in found) {
        ctx.fail(`${name}: ${found.error}`, 1);
        status = 1;
      }
    }
    return status;
  },
});

/** dash's `%dm%fs`: minutes, then seconds with six decimals. */
function minutesSeconds(micros: number): string {
  const seconds = micros / 1e6;
  return `${Math.floor(seconds / 60)}m${(seconds % 60).toFixed(6)}s`;
}

// dash's `times` reads no arguments at all (`times -x` prints the times).
export const times = defineBuiltin({
  name: "times",
  special: true,
  flags: null,
  run(ctx) {
    const usage = process.cpuUsage();
    return afterWrite(ctx.out(`${minutesSeconds(usage.user)} ${minutesSeconds(usage.system)}\n0m0.000000s 0m0.000000s\n`), 0);
  },
});
