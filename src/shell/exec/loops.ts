// Loops: `while`/`until` and `for` (XCU 2.9.4). Synchronous while their
// commands are builtins, so a loop of builtins costs no promise per
// iteration; an iteration that has to wait finishes asynchronously and the
// loop goes back to the synchronous path. `break N` / `continue N` arrive as
// flows thrown from the body (builtins/flow.ts).
//
// Imports sibling executor modules.

import type { For, Loop } from "../ast.ts";
import { BreakFlow, ContinueFlow } from "./control-flow.ts";
import type { Interp } from "./executor.ts";
import { type Status, then, withCleanup } from "./maybe.ts";

/** What a loop does with a `break`/`continue` thrown from its body. */
function loopControl(error: unknown): "break" | "continue" {
  if (error instanceof BreakFlow) {
    if (error.levels > 1) throw new BreakFlow(error.levels - 1);
    return "break";
  }
  if (error instanceof ContinueFlow) {
    if (error.levels > 1) throw new ContinueFlow(error.levels - 1);
    return "continue";
  }
  throw error;
}

function enterLoop(interp: Interp, run: () => Status): Status {
  interp.state.loopDepth++;
  return withCleanup(run, () => {
    interp.state.loopDepth--;
  });
}

export function runLoop(interp: Interp, command: Loop): Status {
  return enterLoop(interp, () => loopSync(interp, command));
}

function loopSync(interp: Interp, command: Loop, initial = 0): Status {
  let status = initial;
  for (;;) {
    const tick = interp.checkpoint();
    if (tick instanceof Promise) return loopAsync(interp, command, status, "tick", tick.then(() => 0));
    let condition: Status;
    try {
      condition = interp.runSuppressed(() => interp.runList(command.condition));
    } catch (error) {
      if (loopControl(error) === "break") return status;
      continue;
    }
    if (condition instanceof Promise) return loopAsync(interp, command, status, "condition", condition);
    if ((condition === 0) === command.until) return status;
    let body: Status;
    try {
      body = interp.runList(command.body);
    } catch (error) {
      // The body's status is then that of `break`/`continue`, 0 (dash's evalloop).
      if (loopControl(error) === "break") return 0;
      status = 0;
      continue;
    }
    if (body instanceof Promise) return loopAsync(interp, command, status, "body", body);
    status = body;
  }
}

/** Finish the iteration whose `phase` had to wait, then go back to the synchronous loop. */
async function loopAsync(interp: Interp, command: Loop, status: number, phase: "tick" | "condition" | "body", pending: Promise<number>): Promise<number> {
  let condition = 0;
  try {
    if (phase === "condition") condition = await pending;
    else if (phase === "tick") {
      await pending;
      condition = await interp.runSuppressed(() => interp.runList(command.condition));
    }
  } catch (error) {
    // `break`/`continue` in the condition leave the status as it was.
    if (loopControl(error) === "break") return status;
    return loopSync(interp, command, status);
  }
  try {
    if (phase !== "body" && (condition === 0) === command.until) return status;
    status = await (phase === "body" ? pending : interp.runList(command.body));
  } catch (error) {
    if (loopControl(error) === "break") return 0;
    status = 0;
  }
  return loopSync(interp, command, status);
}

export function runFor(interp: Interp, command: For): Status {
  interp.currentLine = command.start.line; // dash: errors in the word list name the `for` line
  const words = command.items;
  const items = words === undefined ? interp.state.positional.slice() : interp.expandOrExit(() => interp.expandWords(words));
  return then(items, (values) => enterLoop(interp, () => forFrom(interp, command, values, 0, 0)));
}

function forFrom(interp: Interp, command: For, values: readonly string[], index: number, status: number): Status {
  for (let i = index; i < values.length; i++) {
    const value = values[i] ?? "";
    let result: Status;
    try {
      const tick = interp.checkpoint();
      if (tick instanceof Promise) return tick.then(() => forFrom(interp, command, values, i, status));
      interp.setVarChecked(command.name, value);
      result = interp.runList(command.body);
    } catch (error) {
      if (loopControl(error) === "break") return 0; // the status of `break`, as in loopSync
      status = 0;
      continue;
    }
    if (result instanceof Promise) {
      return result.then(
        (s) => forFrom(interp, command, values, i + 1, s),
        (error: unknown) => (loopControl(error) === "break" ? 0 : forFrom(interp, command, values, i + 1, 0)),
      );
    }
    status = result;
  }
  return status;
}
