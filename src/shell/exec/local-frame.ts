// The frames `local` records into: one per function call, and, as dash's
// pushlocalvars does, one around a regular builtin run through `command`.
// dash gives `command` no special builtins, so `command local x=1` makes x
// local to that one command: it is put back as soon as the command ends.
//
// Imports sibling executor modules only.

import { DeferredErrorFlow } from "./control-flow.ts";
import type { Interp } from "./executor.ts";
import { type Status, withCleanup } from "./maybe.ts";
import { type LocalFrame, restoreOptions } from "./state.ts";
import type { Variable } from "./vars.ts";

export function pushLocalFrame(interp: Interp): LocalFrame {
  const frame: LocalFrame = { vars: new Map<string, Variable | undefined>(), options: undefined, badNames: [] };
  interp.state.localFrames.push(frame);
  return frame;
}

/**
 * Put back what the frame saved. dash's `local 1x=2` makes a variable of
 * that name without a check; unsetting it again on the way out is where
 * dash fails, with an error that ends the shell (after the call's
 * redirections are undone: DeferredErrorFlow).
 */
export function popLocalFrame(interp: Interp, frame: LocalFrame): void {
  const state = interp.state;
  const index = state.localFrames.lastIndexOf(frame);
  if (index !== -1) state.localFrames.splice(index, 1);
  for (const [name, entry] of frame.vars) state.vars.restore(name, entry);
  if (frame.options !== undefined) restoreOptions(state.options, frame.options);
  const bad = frame.badNames[0];
  // Reported by the command that called the function, once its redirections are undone.
  if (bad !== undefined) throw new DeferredErrorFlow(`${bad}: bad variable name`);
}

/** Run `body` with a frame of its own for `local` (dash's vlocal for a regular builtin). */
export function withLocalFrame(interp: Interp, body: () => Status): Status {
  const frame = pushLocalFrame(interp);
  return withCleanup(body, () => popLocalFrame(interp, frame));
}
