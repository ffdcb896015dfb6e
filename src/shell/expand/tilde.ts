// Tilde expansion (XCU 2.6.1): `~` is $HOME, `~user` that user's home
// directory; an unknown user leaves the text as written.
//
// Imports only `env.ts`.

import type { ExpandEnv } from "./env.ts";

export function expandTilde(user: string, env: ExpandEnv): string {
  if (user === "") return env.get("HOME") ?? env.home("") ?? "~";
  return env.home(user) ?? `~${user}`;
}
