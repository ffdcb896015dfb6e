// Finding an external command: PATH lookup as execvp does it, with a
// per-session cache of the hits.
//
// Imports sibling executor modules.

import * as fs from "node:fs";
import { fsPath } from "../bytes.ts";
import { errnoCode } from "./errno.ts";
import type { Interp } from "./executor.ts";
import { describeErrno } from "./libc.ts";
import { joinPath } from "./paths.ts";

/** A command found: the file to run, and its name as dash writes it (`command -v`, `type`, `hash`): the PATH entry as written joined to the name. */
export interface FoundCommand {
  readonly path: string;
  readonly written: string;
}

/** Why a lookup failed, as dash says it: "not found", "Permission denied", or the text of another errno (ELOOP, ENAMETOOLONG, …). */
export type CommandLookup = FoundCommand | { readonly error: string; readonly status: number };

/**
 * What stat(2) and access(2) say of `file` as a command: "missing" for
 * ENOENT and ENOTDIR (a PATH search goes on quietly), "no-permission" for a
 * file that cannot run (or a directory), and any other errno's code (ELOOP:
 * dash's find_command keeps it, and reports the last one if nothing is found).
 */
export function isExecutableFile(file: string): "yes" | "no-permission" | "missing" | { readonly errno: string } {
  let stat: fs.Stats | undefined;
  try {
    // Most PATH entries lack the name: an error object per miss cost ~6 µs each, most of a lookup.
    stat = fs.statSync(fsPath(file), { throwIfNoEntry: false });
  } catch (error) {
    const code = errnoCode(error);
    if (code === undefined) throw error;
    return code === "ENOENT" || code === "ENOTDIR" ? "missing" : { errno: code };
  }
  if (stat === undefined) return "missing";
  if (stat.isDirectory()) return "no-permission";
  try {
    fs.accessSync(fsPath(file), fs.constants.X_OK);
    return "yes";
  } catch (error) {
    if (errnoCode(error) === undefined) throw error;
    return "no-permission";
  }
}

/** dash's message for a lookup that ended with `errno` (ENOENT: nothing was there). */
function lookupError(errno: string): string {
  if (errno === "ENOENT") return "not found";
  if (errno === "EACCES") return "Permission denied";
  return describeErrno(errno);
}

/** Resolve a command name to a file, as execvp does, with a per-session cache of PATH hits. */
export function findCommand(interp: Interp, name: string, pathValue: string | undefined = interp.get("PATH")): CommandLookup {
  if (name.includes("/")) {
    const file = interp.resolvePath(name);
    const kind = isExecutableFile(file);
    if (kind === "yes") return { path: file, written: name };
    if (kind === "no-permission") return { error: "Permission denied", status: 126 };
    return { error: lookupError(kind === "missing" ? "ENOENT" : kind.errno), status: 127 };
  }
  // Like dash, an unset PATH searches nowhere.
  if (pathValue === undefined) return { error: "not found", status: 127 };
  const session = interp.session;
  if (session.pathCacheKey !== pathValue) {
    session.commandPaths.clear();
    session.pathCacheKey = pathValue;
  }
  const cached = session.commandPaths.get(name);
  if (cached !== undefined) return track(interp, name, cached, pathValue);
  // dash's find_command: the last failure that was not ENOENT or ENOTDIR is the one reported.
  let failure = "ENOENT";
  for (const dir of pathValue.split(":")) {
    const file = interp.resolvePath(joinPath(dir === "" ? "." : dir, name));
    const kind = isExecutableFile(file);
    if (kind === "yes") {
      // dash's padvance: the entry as written, a `/`, the name (`./t`, `sub//s`; an empty entry, the name alone).
      const found: FoundCommand = { path: file, written: dir === "" ? name : `${dir}/${name}` };
      // Relative PATH entries depend on the cwd: never cache them.
      if (dir.startsWith("/")) session.commandPaths.set(name, found);
      return track(interp, name, found, pathValue);
    }
    if (kind === "no-permission") failure = "EACCES";
    else if (kind !== "missing") failure = kind.errno;
  }
  // As in dash, a search that finds only non-executable files (or
  // directories, as `""` does) says "Permission denied" but gives 127: the
  // command was not found. A name with a slash, or `exec`, gives 126.
  return { error: lookupError(failure), status: 127 };
}

/** Note a find in the shell's own PATH (not `command -p`'s or a prefix assignment's) in its table of tracked commands. */
function track(interp: Interp, name: string, found: FoundCommand, pathValue: string): FoundCommand {
  if (pathValue === interp.get("PATH")) trackedCommands(interp).set(name, found.written);
  return found;
}

/** The shell's tracked commands (name → name as written), emptied when PATH has changed since they were found (dash's changepath). */
export function trackedCommands(interp: Interp): Map<string, string> {
  const state = interp.state;
  const path = interp.get("PATH");
  if (state.trackedPath !== path) {
    state.tracked.clear();
    state.trackedPath = path;
  }
  return state.tracked;
}
