// The IoWaits of an Interp: its session's signals, its cancellation, and
// whether a pending signal ends it (traps.ts). One per Interp, made on first use.
//
// Imports sibling executor modules.

import type { Interp } from "./executor.ts";
import type { IoWaits } from "./io-waits.ts";
import { fatalPendingSignal } from "./traps.ts";

const made = new WeakMap<Interp, IoWaits>();

export function interpWaits(interp: Interp): IoWaits {
  const known = made.get(interp);
  if (known !== undefined) return known;
  const waits: IoWaits = {
    nextSignal: () => interp.session.nextSignal(),
    isCancelled: () => interp.cancel.cancelled,
    fatalSignal: () => fatalPendingSignal(interp),
  };
  made.set(interp, waits);
  return waits;
}
