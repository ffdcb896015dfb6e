// Reading a checkpoint that came from outside (JSON, another process): every
// field is checked before anything of it is used, and a malformed one is a
// CheckpointError naming the field, never a failure deep inside the shell.
// Unknown fields are errors too: a misspelt one would otherwise drop state
// silently.
//
// Imports the parser (function sources must parse), the option names and the
// checkpoint format.

import type { Command } from "../ast.ts";
import { ShellSyntaxError } from "../errors.ts";
import { OPTION_LETTERS } from "../exec/state.ts";
import { parse } from "../parser/index.ts";
import {
  CHECKPOINT_VERSION, type CheckpointAlias, CheckpointError, type CheckpointFunction, type CheckpointVariable,
  NOT_CARRIED, type NotCarried, type ShellCheckpoint,
} from "./format.ts";

/** A checkpoint read and checked, with the parsed bodies of its functions. */
export interface ValidCheckpoint {
  readonly checkpoint: ShellCheckpoint;
  readonly functionBodies: ReadonlyMap<string, Command>;
}

const TOP_FIELDS = ["version", "cwd", "umask", "lastStatus", "positional", "variables", "functions", "aliases", "options", "notCarried"];

/** Check a checkpoint read from outside; throws CheckpointError. The result is a copy made of the checked fields. */
export function parseCheckpoint(value: unknown): ShellCheckpoint {
  return validateCheckpoint(value).checkpoint;
}

export function validateCheckpoint(value: unknown): ValidCheckpoint {
  const top = record(value, undefined, TOP_FIELDS);
  const version = top.version;
  if (version !== CHECKPOINT_VERSION) {
    throw new CheckpointError("version", `unsupported version ${describe(version)} (this shell reads version ${CHECKPOINT_VERSION})`);
  }
  const cwd = string(top.cwd, "cwd");
  if (!cwd.startsWith("/")) throw new CheckpointError("cwd", `not an absolute path: ${JSON.stringify(cwd)}`);
  const functionBodies = new Map<string, Command>();
  const functions = list(top.functions, "functions", (item, field) => {
    const fn = readFunction(item, field);
    if (functionBodies.has(fn.name)) throw new CheckpointError(`${field}.name`, `function ${JSON.stringify(fn.name)} is defined twice`);
    functionBodies.set(fn.name, fn.body);
    return { name: fn.name, source: fn.source };
  });
  const checkpoint: ShellCheckpoint = {
    version: CHECKPOINT_VERSION,
    cwd,
    umask: integer(top.umask, "umask", 0, 0o777),
    lastStatus: integer(top.lastStatus, "lastStatus", 0, 255),
    positional: list(top.positional, "positional", string),
    variables: unique(list(top.variables, "variables", readVariable), "variables", "variable"),
    functions,
    aliases: unique(list(top.aliases, "aliases", readAlias), "aliases", "alias"),
    options: list(top.options, "options", (item, field) => {
      const name = string(item, field);
      if (!OPTION_LETTERS.has(name)) throw new CheckpointError(field, `unknown option ${JSON.stringify(name)}`);
      return name;
    }),
    notCarried: list(top.notCarried, "notCarried", (item, field) => {
      const name = string(item, field);
      if (!isNotCarried(name)) throw new CheckpointError(field, `unknown state ${JSON.stringify(name)} (one of ${NOT_CARRIED.join(", ")})`);
      return name;
    }),
  };
  return { checkpoint, functionBodies };
}

function readVariable(value: unknown, field: string): CheckpointVariable {
  const item = record(value, field, ["name", "value", "exported", "readonly"]);
  const name = envName(item.name, `${field}.name`);
  const exported = boolean(item.exported, `${field}.exported`);
  const readonly = boolean(item.readonly, `${field}.readonly`);
  if (item.value === undefined) return { name, exported, readonly };
  return { name, value: string(item.value, `${field}.value`), exported, readonly };
}

function readAlias(value: unknown, field: string): CheckpointAlias {
  const item = record(value, field, ["name", "value"]);
  return { name: envName(item.name, `${field}.name`), value: string(item.value, `${field}.value`) };
}

/** The source must parse, without aliases (a body has them expanded already), to one definition of `name`. */
function readFunction(value: unknown, field: string): CheckpointFunction & { readonly body: Command } {
  const item = record(value, field, ["name", "source"]);
  const name = string(item.name, `${field}.name`);
  if (name === "") throw new CheckpointError(`${field}.name`, "empty");
  const source = string(item.source, `${field}.source`);
  let items;
  try {
    items = parse(source).body.items;
  } catch (error) {
    if (!(error instanceof ShellSyntaxError)) throw error;
    throw new CheckpointError(`${field}.source`, `does not parse: ${error.message}`, { cause: error });
  }
  const only = items[0];
  if (items.length !== 1 || only === undefined || only.background || only.command.kind !== "funcdef" || only.command.name !== name) {
    throw new CheckpointError(`${field}.source`, `is not one definition of the function ${JSON.stringify(name)}`);
  }
  return { name, source, body: only.command.body };
}

// ---------------------------------------------------------------- field readers

function describe(value: unknown): string {
  if (value === undefined) return "missing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  return JSON.stringify(value) ?? typeof value;
}

function fail(field: string | undefined, expected: string, value: unknown): never {
  throw new CheckpointError(field, `expected ${expected}, got ${describe(value)}`);
}

/** A plain object with only the `allowed` fields. */
function record(value: unknown, field: string | undefined, allowed: readonly string[]): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return fail(field, "an object", value);
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return fail(field, "a plain object", value);
  const fields: Record<string, unknown> = Object.fromEntries(Object.entries(value));
  for (const key of Object.keys(fields)) {
    if (!allowed.includes(key)) throw new CheckpointError(field === undefined ? key : `${field}.${key}`, "unknown field");
  }
  return fields;
}

function string(value: unknown, field: string): string {
  return typeof value === "string" ? value : fail(field, "a string", value);
}

function boolean(value: unknown, field: string): boolean {
  return typeof value === "boolean" ? value : fail(field, "a boolean", value);
}

function integer(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    return fail(field, `an integer from ${min} to ${max}`, value);
  }
  return value;
}

function list<T>(value: unknown, field: string, item: (value: unknown, field: string) => T): T[] {
  if (!Array.isArray(value)) return fail(field, "an array", value);
  const items: unknown[] = value;
  return items.map((each, index) => item(each, `${field}[${index}]`));
}

/** A name as the environment allows one: not empty, no `=` (and no NUL, which no C string holds). */
function envName(value: unknown, field: string): string {
  const name = string(value, field);
  if (name === "" || name.includes("=") || name.includes("\0")) throw new CheckpointError(field, `not a valid name: ${JSON.stringify(name)}`);
  return name;
}

function unique<T extends { readonly name: string }>(items: T[], field: string, what: string): T[] {
  const seen = new Set<string>();
  items.forEach((item, index) => {
    if (seen.has(item.name)) throw new CheckpointError(`${field}[${index}].name`, `${what} ${JSON.stringify(item.name)} appears twice`);
    seen.add(item.name);
  });
  return items;
}

function isNotCarried(name: string): name is NotCarried {
  return NOT_CARRIED.some((known) => known === name);
}
