// The order of the environment external commands get, as dash builds it
// (var.c's listvars): bucket by bucket of its 39-bucket variable table, each
// bucket in its chain's order. dash's own variables (varinit) are put at
// the head of their buckets at start-up, each before the one listed before
// it, and never leave; every other name joins the end of its bucket when it
// is made. So `export b=1 a=2 c=3; env` lists c, a, b under dash and here.
//
// Imports only the hash of builtins/dash-hash.ts.

import { dashBucket } from "../builtins/dash-hash.ts";

const VARTAB_SIZE = 39;

/** Debian dash 0.5.12's varinit, in its order (no LINENO, ATTY, TERM or HISTSIZE in that build). */
const VARINIT: ReadonlyMap<string, number> = new Map(["IFS", "MAIL", "MAILPATH", "PATH", "PS1", "PS2", "PS4", "OPTIND"].map((name, index) => [name, index]));

/** Place in a bucket: dash's variables first (the later one first), then the rest as they came (0: the sort is stable). */
function chainRank(name: string): number {
  const index = VARINIT.get(name);
  return index === undefined ? 0 : -1 - index;
}

/** Each name's bucket, hashed once: the same names come back in every environment built. */
const buckets = new Map<string, number>();
const BUCKETS_KEPT = 4096;

function bucketOf(name: string): number {
  let bucket = buckets.get(name);
  if (bucket === undefined) {
    if (buckets.size >= BUCKETS_KEPT) buckets.clear();
    bucket = dashBucket(name, VARTAB_SIZE);
    buckets.set(name, bucket);
  }
  return bucket;
}

/** `env` with its names in dash's order; `env`'s own order is the order the names were made. */
export function inDashOrder(env: Readonly<Record<string, string>>): Record<string, string> {
  const keyed = Object.keys(env).map((name) => ({ name, bucket: bucketOf(name), rank: chainRank(name) }));
  keyed.sort((a, b) => a.bucket - b.bucket || a.rank - b.rank);
  const ordered: Record<string, string> = {};
  for (const { name } of keyed) ordered[name] = env[name] as string;
  return ordered;
}
