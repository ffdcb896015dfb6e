// dash's `commandname`: what the shell's own messages name after the line
// number. While `eval` runs text they name "eval", while `.` runs a file
// they name the file (`sh: 2: ./lib: x: not found`); a builtin names itself
// instead (runBuiltin clears the name while it runs), and a signal's trap
// names the eval or `.` it interrupted, even from inside `kill`.
//
// Imports sibling executor modules.

import type { Interp } from "./executor.ts";
import { type Status, withCleanup } from "./maybe.ts";

/** Run `body` with the messages naming `name` (none: undefined), then put back the name before. */
export function withCommandName(interp: Interp, name: string | undefined, body: () => Status): Status {
  const saved = interp.commandName;
  interp.commandName = name;
  return withCleanup(body, () => {
    interp.commandName = saved;
  });
}

/** Run the text of an `eval` or `.` (`name`: "eval" or the file as dash shows it). */
export function withSourceName(interp: Interp, name: string, body: () => Status): Status {
  const saved = interp.sourceName;
  interp.sourceName = name;
  return withCleanup(
    () => withCommandName(interp, name, body),
    () => {
      interp.sourceName = saved;
    },
  );
}
