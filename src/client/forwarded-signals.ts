// The signals `rushd -c` passes on to its session: a Ctrl-C in the caller's
// terminal reaches the client (it is in the foreground process group), not
// the worker's processes, and a caller that signals the shell it started
// (`kill -USR1 $!`) signals the client; so the client sends them over as a
// Signal (common/shell-signals.ts lists them).

import { isIgnored } from "./caller-attributes.ts";
import { SHELL_SIGNALS } from "../common/shell-signals.ts";

/**
 * Call `send` for each forwarded signal this process receives, until the
 * returned function is called. One the caller left ignored stays so: a
 * handler would replace SIG_IGN before the worker reads the caller's
 * ignored set from /proc (and it would never arrive to be forwarded anyway).
 */
export function forwardSignals(send: (signal: string) => void): () => void {
  const handlers = SHELL_SIGNALS.filter(([, number]) => !isIgnored(number)).map(([signal]) => [signal, () => send(signal)] as const);
  for (const [signal, handler] of handlers) process.on(signal, handler);
  return () => {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  };
}
