// Signals sent to the worker's own pid. A session's `$$` is this pid, so a
// command that signals its shell the way scripts do (`sh -c "kill -USR1
// $$"`, `/bin/kill $$`, a watchdog's `kill $$`) signals this process, and
// the default action of most signals would end it: the session was lost and
// `rushd -c` reported 255. Under dash the shell gets the signal: its trap
// runs, or it dies of it. So each is taken here and given to the session's
// shell, as the Signal message gives one (a trap runs, or the shell ends by
// it and `rushd -c` dies of it too). With no command running, there is no
// shell for it and it is dropped. The daemon stops workers with SIGKILL or
// by IPC, never with these.
//
// SIGSTOP and SIGKILL cannot be caught; the stop signals (TSTP, TTIN, TTOU)
// stop nothing in a session (the shell is not a process of its own), and
// are left at their defaults.

import { SHELL_SIGNALS } from "../common/shell-signals.ts";

/** Give each routed signal to `deliver` for the life of the process. */
export function routeStraySignals(deliver: (signal: string) => void): void {
  for (const [signal] of SHELL_SIGNALS) process.on(signal, () => deliver(signal));
}
