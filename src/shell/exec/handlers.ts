// The outside effects of the executor, injected (as mvdan/sh's
// ExecHandler/OpenHandler): starting external commands, opening files for
// redirections, listing directories for globs. The defaults use Bun.spawn and
// fs; tests replace them to fake programs and files.
//
// Imports sibling executor modules.

import * as fs from "node:fs";
import type { Interp } from "./executor.ts";
import type { Status } from "./maybe.ts";
import { runExternal } from "./spawn.ts";
import { isSystemError } from "./errno.ts";

/** Flags of an `open` for a redirection, as `fs.openSync` takes them. */
export type OpenFlags = "r" | "w" | "a" | number;

export interface Handlers {
  /**
   * Run an external command: `argv[0]` is the name as typed. Resolve it, run it
   * with the shell's fds (`shell.state.fds`) and cwd, and yield its status as sh
   * reports it (127 not found, 126 not executable, 128+N killed).
   */
  exec(argv: readonly string[], env: Readonly<Record<string, string>>, shell: Interp, pathValue: string | undefined): Status;
  /** Open a file for a redirection (an absolute path); returns an OS fd the shell will close. Throws fs errors. */
  open(path: string, flags: OpenFlags, mode: number): number;
  /** Entries of a directory (absolute path) for pathname expansion, or null if it cannot be read. */
  readDir(path: string): readonly string[] | null;
}

export const defaultHandlers: Handlers = {
  exec: runExternal,
  open: (path, flags, mode) => fs.openSync(path, flags, mode),
  readDir(path) {
    try {
      return fs.readdirSync(path);
    } catch (error) {
      if (isSystemError(error)) return null;
      throw error;
    }
  },
};
