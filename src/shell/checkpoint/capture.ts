// Taking a checkpoint of the main shell's state (format.ts says what goes in).
//
// Imports the shell state, the printer and the checkpoint format.

import type { FdTable } from "../exec/fds.ts";
import type { ResourceLimit } from "../exec/limits.ts";
import { getOption, OPTION_LETTERS, type ShellState } from "../exec/state.ts";
import { printFunction } from "../printer/index.ts";
import { CHECKPOINT_VERSION, type CheckpointVariable, type NotCarried, type ShellCheckpoint } from "./format.ts";

/** Variables the shell keeps per session, which a resumed session must not take over. */
const PER_SESSION_VARIABLES: ReadonlySet<string> = new Set(["PPID"]);

/** What the session started with, to tell what `exec` and `ulimit` changed since. */
export interface SessionBaseline {
  readonly fds: FdTable;
  readonly limits: ReadonlyMap<string, ResourceLimit> | undefined;
}

export function captureCheckpoint(state: ShellState, umask: number, baseline: SessionBaseline): ShellCheckpoint {
  const variables: CheckpointVariable[] = [];
  for (const name of state.vars.names()) {
    const entry = state.vars.entry(name);
    if (entry === undefined || PER_SESSION_VARIABLES.has(name)) continue;
    const { value, exported, readonly } = entry;
    variables.push(value === undefined ? { name, exported, readonly } : { name, value, exported, readonly });
  }
  return {
    version: CHECKPOINT_VERSION,
    cwd: state.cwd,
    umask,
    lastStatus: state.lastStatus,
    positional: state.positional.slice(),
    variables,
    functions: [...state.functions].map(([name, body]) => ({ name, source: printFunction(name, body) })),
    aliases: [...state.aliases].map(([name, value]) => ({ name, value })),
    options: [...OPTION_LETTERS.keys()].filter((name) => getOption(state.options, name)),
    notCarried: notCarried(state, baseline),
  };
}

function notCarried(state: ShellState, baseline: SessionBaseline): NotCarried[] {
  const lost: NotCarried[] = [];
  if (state.traps.size > 0) lost.push("traps");
  if (hasFdChanges(state.fds, baseline.fds)) lost.push("fds");
  if (state.jobs.all().length > 0 || state.lastBackgroundPid !== undefined) lost.push("jobs");
  // `ulimit` replaces the map; the session's own is never changed in place.
  if (state.limits !== baseline.limits) lost.push("limits");
  // Letters left in a grouped `-abc`: OPTIND alone cannot say where getopts is.
  if (state.getopts.offset >= 0) lost.push("getopts");
  return lost;
}

/** An fd opened, closed or pointed elsewhere by `exec` (redirections of one command are undone after it). */
function hasFdChanges(fds: FdTable, initial: FdTable): boolean {
  if (fds.size !== initial.size) return true;
  for (const [fd, target] of fds) if (initial.get(fd) !== target) return true;
  return false;
}
