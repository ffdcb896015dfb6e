// Pipelines (XCU 2.9.2). Every stage of a multi-command pipeline runs in its
// own in-process subshell, all at once. Two adjacent external commands are
// joined by a kernel pipe (bytes never pass through JS); any other pair by an
// in-memory channel with backpressure, which externals read or fill through
// their own pumped pipe.
//
// Imports expansion, the builtin registry and sibling executor modules.

import type { Command, Pipeline, Word } from "../ast.ts";
import { builtins } from "../builtins/index.ts";
import { staticText } from "../expand/index.ts";
import type { Interp } from "./executor.ts";
import { Channel, closeOsFd, type FdTarget } from "./fds.ts";
import { type Status, then } from "./maybe.ts";
import { osPipe } from "./libc.ts";
import { SystemCallError } from "./errno.ts";
import { ErrorFlow } from "./control-flow.ts";
import { findCommand } from "./command-path.ts";

type Link = { readonly kind: "os"; readonly read: number; readonly write: number } | { readonly kind: "channel"; readonly channel: Channel };

/** Will this stage (almost certainly) run an external command? Decided before expansion, from its literal name. */
function isExternalStage(interp: Interp, command: Command): boolean {
  if (command.kind !== "simple") return false;
  const first = command.words[0];
  if (first === undefined) return false;
  const name = staticText(first);
  return name !== undefined && !builtins.has(name) && !interp.state.functions.has(name) && !interp.state.aliases.has(name);
}

// A kernel pipe is read or written in-process too (`$(read y)` in an external stage's words) while
// the stage at its other end may still be waiting in this event loop (`x=$(…) cmd | …`): like a FIFO
// (isFifo), it is read and written on the thread pool when it would block, never with the loop stopped.
function readEnd(link: Link): FdTarget {
  return link.kind === "os" ? { kind: "os", fd: link.read, isFifo: true } : { kind: "source", source: link.channel.reader };
}

function writeEnd(link: Link): FdTarget {
  return link.kind === "os" ? { kind: "os", fd: link.write, isFifo: true } : { kind: "sink", sink: link.channel.writer };
}

/** The links between stages. Throws `SystemCallError` when a kernel pipe cannot be had (EMFILE), with none left open. */
function makeLinks(external: readonly boolean[]): Link[] {
  const links: Link[] = [];
  try {
    for (let i = 0; i + 1 < external.length; i++) {
      links.push(external[i] === true && external[i + 1] === true ? { kind: "os", ...osPipe() } : { kind: "channel", channel: new Channel() });
    }
  } catch (error) {
    for (const link of links) {
      if (link.kind === "os") {
        closeOsFd(link.read);
        closeOsFd(link.write);
      }
    }
    throw error;
  }
  return links;
}

export function runPipeline(interp: Interp, pipeline: Pipeline): Status {
  const commands = pipeline.commands;
  const only = commands[0];
  if (commands.length === 1 && only !== undefined) {
    if (!pipeline.negated) return interp.runCommand(only);
    return then(interp.runSuppressed(() => interp.runCommand(only)), (status) => (status === 0 ? 1 : 0));
  }
  return runStages(interp, pipeline);
}

async function runStages(interp: Interp, pipeline: Pipeline): Promise<number> {
  // dash makes one job for the whole pipeline (jobs.ts: a fork frees a waited job).
  interp.state.jobs.forked();
  const commands = pipeline.commands;
  const external = commands.map((command) => isExternalStage(interp, command));
  // dash looks each stage's command up in the shell itself just before it forks that stage (its
  // prehash): they become tracked commands of this shell (`ls | wc; type ls`), and a stage sees
  // those of the stages before it only (`hash | wc -l` lists no wc).
  const prehash = (command: Command, i: number): void => {
    const name = external[i] === true && command.kind === "simple" ? staticText(command.words[0] as Word) : undefined;
    if (name !== undefined && /^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) findCommand(interp, name);
  };
  let links: Link[];
  try {
    links = makeLinks(external);
  } catch (error) {
    if (!(error instanceof SystemCallError)) throw error;
    // As dash: the (sub)shell that could not make the pipe ends (a job, a subshell, or the script).
    interp.currentLine = pipeline.start.line;
    await interp.report("Pipe call failed");
    throw new ErrorFlow(2);
  }
  const stages = commands.map((command, i) => {
    prehash(command, i);
    const child = interp.subshell();
    const input = links[i - 1];
    const output = links[i];
    if (input !== undefined) child.state.fds.set(0, readEnd(input));
    if (output !== undefined) child.state.fds.set(1, writeEnd(output));
    let result: Status;
    try {
      result = child.runAsSubshell(() => child.runCommand(command));
    } catch (error) {
      result = Promise.reject(error);
    }
    return Promise.resolve(result).finally(() => {
      if (output !== undefined) {
        if (output.kind === "os") closeOsFd(output.write);
        else output.channel.closeWriter();
      }
      if (input !== undefined) {
        if (input.kind === "os") closeOsFd(input.read);
        else input.channel.closeReader();
      }
    });
  });
  const statuses = await Promise.all(stages);
  let status = statuses[statuses.length - 1] ?? 0;
  if (interp.state.options.pipefail) status = statuses.findLast((s) => s !== 0) ?? 0;
  return pipeline.negated ? (status === 0 ? 1 : 0) : status;
}
