// What `command` changes about running a builtin, beyond not looking for
// functions: dash runs it as a regular builtin (evalcommand with spclbltin
// 0), so it gets a frame of its own for `local` (local-frame.ts) and a fatal
// error inside it (`command eval 'echo ${x?}'`, `command . ./broken`) ends
// only the command, with its status, not the shell.
//
// Imports sibling executor modules only.

import { ErrorFlow } from "./control-flow.ts";
import type { Interp } from "./executor.ts";
import { recover, type Status } from "./maybe.ts";
import { withLocalFrame } from "./local-frame.ts";

export function runViaCommand(interp: Interp, run: () => Status): Status {
  // The frame ends after the error is stopped: a bad name it holds is still fatal, as in dash.
  return withLocalFrame(interp, () =>
    recover(run, (error) => {
      if (error instanceof ErrorFlow) return error.status;
      throw error;
    }),
  );
}
