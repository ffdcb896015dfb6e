// `fg` and `bg`, as dash has them in a shell without job control (a script):
// the job named is looked up the way dash's getjob does, and then refused,
// since no job of a non-interactive shell is in its own process group.
// Both always fail, with status 2.

import type { Job } from "../exec/jobs.ts";
import type { Status } from "../exec/maybe.ts";
import { type BuiltinContext, defineBuiltin } from "./define.ts";

/** dash's getjob: the job, or the message for a spec that names none. */
function lookupJob(ctx: BuiltinContext, spec: string | undefined): Job | string {
  // Most recent first: dash's list of current jobs.
  const recent = ctx.interp.state.jobs.all().sort((a, b) => b.id - a.id);
  if (spec === undefined || spec === "%" || spec === "%%" || spec === "%+") return recent[0] ?? "No current job";
  if (spec === "%-") return recent[1] ?? "No previous job";
  // Without job control dash keeps no command text, so `%name` and `%?text` find nothing.
  const job = /^%\d+$/.test(spec) ? ctx.interp.state.jobs.byId(Number(spec.slice(1))) : undefined;
  return job ?? `No such job: ${spec}`;
}

function refuse(ctx: BuiltinContext, operands: readonly string[]): Status {
  const spec = operands[0];
  const found = lookupJob(ctx, spec);
  // dash prints the missing name of `fg` alone as C's "(null)".
  return ctx.fail(typeof found === "string" ? found : `job ${spec ?? "(null)"} not created under job control`, 2);
}

export const fg = defineBuiltin({ name: "fg", flags: {}, run: (ctx, { operands }) => refuse(ctx, operands) });
export const bg = defineBuiltin({ name: "bg", flags: {}, run: (ctx, { operands }) => refuse(ctx, operands) });
