// The shell's public API, for the CLI and the worker.

export { Shell } from "./shell.ts";
export { defaultHandlers, type Handlers, type OpenFlags } from "./exec/handlers.ts";
export { parse, Parser } from "./parser/index.ts";
export { ParseCache } from "./parser/parse-cache.ts";
export { ShellSyntaxError } from "./errors.ts";
export {
  CHECKPOINT_VERSION, type CheckpointAlias, CheckpointError, type CheckpointFunction, type CheckpointVariable, type NotCarried,
  type ShellCheckpoint,
} from "./checkpoint/format.ts";
export { parseCheckpoint } from "./checkpoint/validate.ts";
export { splitFirstLine } from "./line-end.ts";
export type * from "./io.ts";
