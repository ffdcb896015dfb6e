// `hash`, `times` and `ulimit`: views of the command cache and of process
// resources. Limits are process-wide, so `ulimit` only reports them.

import * as fs from "node:fs";
import { findCommand } from "../exec/spawn.ts";
import { afterWrite, defineBuiltin } from "./define.ts";

export const hash = defineBuiltin({
  name: "hash",
  flags: { r: "flag" },
  run(ctx, args) {
    const session = ctx.interp.session;
    if (args.has("r")) {
      session.commandPaths.clear();
      return 0;
    }
    if (args.operands.length === 0) {
      let text = "";
      for (const file of session.commandPaths.values()) text += `${file}\n`;
      return afterWrite(ctx.out(text), 0);
    }
    let status = 0;
    for (const name of args.operands) {
      if ("error" in findCommand(ctx.interp, name)) {
        ctx.fail(`${name}: not found`, 1);
        status = 1;
      }
    }
    return status;
  },
});

function minutesSeconds(micros: number): string {
  const seconds = micros / 1e6;
  return `${Math.floor(seconds / 60)}m${(seconds % 60).toFixed(3)}s`;
}

export const times = defineBuiltin({
  name: "times",
  special: true,
  flags: {},
  run(ctx) {
    const usage = process.cpuUsage();
    return afterWrite(ctx.out(`${minutesSeconds(usage.user)} ${minutesSeconds(usage.system)}\n0m0.000s 0m0.000s\n`), 0);
  },
});

const LIMITS: Readonly<Record<string, { readonly label: string; readonly proc: string; readonly scale: number }>> = {
  c: { label: "core file size (blocks)", proc: "Max core file size", scale: 512 },
  d: { label: "data seg size (kb)", proc: "Max data size", scale: 1024 },
  f: { label: "file size (blocks)", proc: "Max file size", scale: 512 },
  n: { label: "open files", proc: "Max open files", scale: 1 },
  s: { label: "stack size (kb)", proc: "Max stack size", scale: 1024 },
  t: { label: "cpu time (seconds)", proc: "Max cpu time", scale: 1 },
  u: { label: "max user processes", proc: "Max processes", scale: 1 },
  v: { label: "virtual memory (kb)", proc: "Max address space", scale: 1024 },
};

function readLimit(proc: string, hard: boolean, scale: number): string {
  const limits = fs.readFileSync("/proc/self/limits", "utf8");
  const line = limits.split("\n").find((l) => l.startsWith(proc));
  const fields = line?.slice(26).trim().split(/\s+/) ?? [];
  const value = fields[hard ? 1 : 0] ?? "unlimited";
  return value === "unlimited" ? value : String(Math.floor(Number(value) / scale));
}

export const ulimit = defineBuiltin({
  name: "ulimit",
  flags: { H: "flag", S: "flag", a: "flag", c: "flag", d: "flag", f: "flag", n: "flag", s: "flag", t: "flag", u: "flag", v: "flag" },
  run(ctx, args) {
    const hard = args.has("H");
    if (args.has("a")) {
      let text = "";
      for (const [letter, limit] of Object.entries(LIMITS)) text += `-${letter}: ${limit.label.padEnd(26)}${readLimit(limit.proc, hard, limit.scale)}\n`;
      return afterWrite(ctx.out(text), 0);
    }
    const letter = Object.keys(LIMITS).find((l) => args.has(l)) ?? "f";
    const limit = LIMITS[letter];
    if (limit === undefined) return 2;
    if (args.operands.length > 0) return ctx.fail("setting limits is not supported (they are process-wide)", 1);
    return afterWrite(ctx.out(`${readLimit(limit.proc, hard, limit.scale)}\n`), 0);
  },
});
