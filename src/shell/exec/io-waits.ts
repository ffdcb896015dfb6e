// Waiting on an fd that another process fills or drains (a `rushd -c`
// caller's pipe, socket or terminal) without stopping the shell: poll(2) in
// short slices with a turn of the event loop between them, so a worker keeps
// answering its daemon (which kills a worker silent for 20 s) and sees the
// Signal messages its client forwards (Ctrl-C), and in-process work of the
// session gets its turns. A signal ends the wait as it interrupts dash's
// system call: `read` gives up; a write goes on unless the signal ends the
// shell.
//
// Imports nothing of the shell but types.

/** What an fd wait needs of the shell it waits for (exec/interp-waits.ts makes one for an Interp). */
export interface IoWaits {
  /** Session.nextSignal: resolves when a signal is delivered to the shell. */
  nextSignal(): { readonly arrived: Promise<void>; cancel(): void };
  /** The run is being ended (Shell.dispose, a cancelled job). */
  isCancelled(): boolean;
  /** The flow that ends the shell (to throw), if a pending signal ends it by default (traps.ts fatalPendingSignal). */
  fatalSignal(): object | undefined;
}

/** The longest a wait blocks the event loop before it gives it a turn: how late a signal's message can be seen. */
export const WAIT_SLICE_MS = 10;

/** What a wait does when a signal comes: give up (resolve false), go on waiting, or fail (reject with `fail`). */
export type OnSignal = () => "give up" | "go on" | { readonly fail: object };

/**
 * Resolves true once `isReady(sliceMs)` (a poll that waits at most that
 * long) says so; false when the run ends or `onSignal` gives up. Without
 * `waits` (a message of the shell's own), only the slices.
 */
export function waitInSlices(isReady: (timeoutMs: number) => boolean, waits: IoWaits | undefined, onSignal: OnSignal): Promise<boolean> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let signal: { readonly arrived: Promise<void>; cancel(): void } | undefined;
    const settle = (outcome: boolean | { readonly fail: unknown }): void => {
      if (settled) return;
      settled = true;
      signal?.cancel();
      if (typeof outcome === "boolean") resolve(outcome);
      else reject(outcome.fail);
    };
    const listen = (): void => {
      if (waits === undefined) return;
      const next = waits.nextSignal();
      signal = next;
      void next.arrived.then(() => {
        if (settled) return;
        const decision = onSignal();
        if (decision === "go on") listen();
        else settle(decision === "give up" ? false : decision);
      });
    };
    listen();
    const check = (): void => {
      if (settled) return;
      if (waits?.isCancelled() === true) return settle(false);
      try {
        if (isReady(WAIT_SLICE_MS)) return settle(true);
      } catch (error) {
        return settle({ fail: error });
      }
      setImmediate(check);
    };
    setImmediate(check);
  });
}
