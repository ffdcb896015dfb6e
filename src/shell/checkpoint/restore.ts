// The state a session resumes with, made from a checkpoint (checked first:
// whatever the static type says, it may have come from anywhere).
//
// Imports the shell's state types, the validator and the checkpoint format.

import type { Command } from "../ast.ts";
import { defaultOptions, type Options, setOption } from "../exec/state.ts";
import { Variables } from "../exec/vars.ts";
import type { ShellCheckpoint } from "./format.ts";
import { validateCheckpoint } from "./validate.ts";

export interface ResumedState {
  readonly cwd: string;
  readonly umask: number;
  readonly lastStatus: number;
  readonly positional: string[];
  /** Exactly the checkpoint's variables: the embedding's environment is not merged in. */
  readonly vars: Variables;
  readonly functions: Map<string, Command>;
  readonly aliases: Map<string, string>;
  readonly options: Options;
}

/** Throws CheckpointError for a malformed checkpoint. */
export function restoreCheckpoint(value: ShellCheckpoint): ResumedState {
  const { checkpoint, functionBodies } = validateCheckpoint(value);
  // Plain exported variables are the environment base (vars.ts): externals get it as it is.
  const base = Object.fromEntries(
    checkpoint.variables.flatMap((v) => (v.exported && !v.readonly && v.value !== undefined ? [[v.name, v.value]] : [])),
  );
  const vars = Variables.fromEnvironment(base);
  for (const { name, value: text, exported, readonly } of checkpoint.variables) {
    if (exported && !readonly && text !== undefined) continue;
    vars.restore(name, { value: text, exported, readonly });
  }
  const options = defaultOptions();
  for (const name of checkpoint.options) setOption(options, name, true);
  return {
    cwd: checkpoint.cwd,
    umask: checkpoint.umask,
    lastStatus: checkpoint.lastStatus,
    positional: checkpoint.positional.slice(),
    vars,
    functions: new Map(functionBodies), // in the checkpoint's order
    aliases: new Map(checkpoint.aliases.map(({ name, value: text }) => [name, text])),
    options,
  };
}
