// The builtin registry: the one list of builtins. Built once at load time
// (no per-shell work); a duplicate name is a programming error.

import type { Builtin } from "./define.ts";
import { alias, unalias } from "./alias.ts";
import { cd, pwd } from "./cd.ts";
import { command, exec, type } from "./command.ts";
import { echo } from "./echo.ts";
import { bg, fg } from "./fg-bg.ts";
import { dot, evalBuiltin, source } from "./eval.ts";
import { exportBuiltin, readonly, unset } from "./export.ts";
import { breakBuiltin, continueBuiltin, exit, returnBuiltin } from "./flow.ts";
import { getopts } from "./getopts.ts";
import { jobsBuiltin, kill, wait } from "./jobs.ts";
import { local } from "./local.ts";
import { printf } from "./printf.ts";
import { read } from "./read.ts";
import { set, shift } from "./set.ts";
import { hash, times } from "./system.ts";
import { ulimit } from "./ulimit.ts";
import { bracket, test } from "./test.ts";
import { trap } from "./trap.ts";
import { colon, falseBuiltin, trueBuiltin } from "./trivial.ts";
import { umask } from "./umask.ts";

export function registry(list: readonly Builtin[]): ReadonlyMap<string, Builtin> {
  const map = new Map<string, Builtin>();
  for (const builtin of list) {
    if (map.has(builtin.name)) throw new Error(`duplicate builtin: ${builtin.name}`);
    map.set(builtin.name, builtin);
  }
  return map;
}

export const builtins: ReadonlyMap<string, Builtin> = registry([
  colon, trueBuiltin, falseBuiltin,
  // dash's other name for `cd` (its messages say `chdir`).
  cd, { ...cd, name: "chdir" }, pwd, echo, printf, read,
  exportBuiltin, readonly, unset, local,
  exit, returnBuiltin, breakBuiltin, continueBuiltin,
  set, shift, evalBuiltin, dot, source, exec,
  test, bracket,
  umask, trap, wait, jobsBuiltin, kill, fg, bg,
  command, type, getopts, alias, unalias, hash, times, ulimit,
]);
