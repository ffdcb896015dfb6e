// Job specifications (`%1`, `%%`, `%+`, `%-`, `%name`, `%?text`) resolved
// as dash's getjob resolves them, with its messages. Without job control
// (always, here: no terminal) dash records no command text for a job, so
// `%name` and `%?text` name no job.
//
// Imports the job table.

import type { Job, JobTable } from "../exec/jobs.ts";

export type JobLookup = { readonly job: Job } | { readonly error: string };

/** The jobs from the current one (the most recent) back, as dash's list of current jobs runs. */
export function jobsByRecency(table: JobTable): Job[] {
  return table.all().sort((a, b) => b.order - a.order);
}

/** `spec` starts with `%`. */
export function resolveJobSpec(table: JobTable, spec: string): JobLookup {
  const rest = spec.slice(1);
  const recent = jobsByRecency(table);
  if (rest === "" || rest === "%" || rest === "+") {
    const current = recent[0];
    return current === undefined ? { error: "No current job" } : { job: current };
  }
  if (rest === "-") {
    const previous = recent[1];
    return previous === undefined ? { error: "No previous job" } : { job: previous };
  }
  if (/^[0-9]+$/.test(rest)) {
    const job = table.byId(Number(rest));
    if (job !== undefined) return { job };
  }
  return { error: `No such job: ${spec}` };
}
