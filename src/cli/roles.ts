// The second entry point of the executable: every role that loads the
// interpreter or the daemon. main.ts imports it only for those roles, so the
// client path (`rushd -c` through a daemon) never loads or compiles it.
// `npm run build` embeds it beside main.ts (`bun build --compile main.ts roles.ts`).

export { runWorker } from "../worker/main.ts";
export { runDaemonForeground, runControl } from "./daemon-commands.ts";
export { runInProcess } from "./in-process.ts";
