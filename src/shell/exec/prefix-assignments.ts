// The assignments in front of a command name (`A=1 B=$A cmd`), made as dash
// makes them (evalcommand): after the command's redirections are in place,
// one at a time, each visible to the expansion of the next. A special
// builtin keeps them (`exec cmd` also exports them to cmd); any other
// command gets them exported for the time it runs, then they are undone.
//
// Imports sibling executor modules.

import type { Assign } from "../ast.ts";
import type { Interp } from "./executor.ts";
import { ExpansionError } from "../expand/index.ts";
import { ErrorFlow } from "./control-flow.ts";
import { type Maybe, recover, type Status, then, withCleanup } from "./maybe.ts";
import { AssignmentError, type Variable } from "./vars.ts";

export type Assignment = readonly [name: string, value: string];

/** "keep": a special builtin's; "keep-exported": `exec` with a command; "temporary": any other command's. */
export type AssignmentScope = "keep" | "keep-exported" | "temporary";

/** Expansion and assignment errors end a non-interactive (sub)shell (XCU 2.8.1), as in dash. */
export function fatalExpansionError(interp: Interp, error: unknown): never {
  if (error instanceof ExpansionError || error instanceof AssignmentError) {
    interp.report(error.message);
    throw new ErrorFlow(2);
  }
  throw error;
}

/** Make `assigns`, run `body` with the values made (for `set -x`), and undo temporary ones after it. */
export function withPrefixAssignments(interp: Interp, assigns: readonly Assign[], scope: AssignmentScope, body: (made: readonly Assignment[]) => Status): Status {
  if (assigns.length === 0) return body([]);
  const vars = interp.state.vars;
  const made: Assignment[] = [];
  const saved: [string, Variable | undefined][] = [];
  const assign = (assignment: Assign, value: string): void => {
    const name = assignment.name;
    const full = assignment.append ? (interp.get(name) ?? "") + value : value;
    if (scope === "temporary") {
      saved.push([name, vars.entry(name)]);
      vars.set(name, full, true);
    } else if (scope === "keep-exported") vars.markExported(name, full);
    else interp.setVar(name, full);
    made.push([name, full]);
  };
  const makeFrom = (index: number): Maybe<void> => {
    for (let i = index; i < assigns.length; i++) {
      const assignment = assigns[i] as Assign;
      const value = interp.expandText(assignment.value);
      if (value instanceof Promise) {
        return value.then((v) => {
          assign(assignment, v);
          return makeFrom(i + 1);
        });
      }
      assign(assignment, value);
    }
  };
  // An error is reported here, inside the command's redirections, as dash does (`2>/dev/null` hides it).
  const run = (): Status => then(recover(() => makeFrom(0), (error) => fatalExpansionError(interp, error)), () => body(made));
  if (scope !== "temporary") return run();
  return withCleanup(run, () => {
    for (const [name, entry] of saved.reverse()) vars.restore(name, entry);
  });
}
