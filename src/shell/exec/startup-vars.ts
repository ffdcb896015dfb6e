// The variables sh sets itself when it starts (not when a checkpoint is
// resumed: that brings all of them back as they were), as dash does.
//
// Imports vars.ts, paths.ts and the byte helpers.

import * as fs from "node:fs";
import { fsPath } from "../bytes.ts";
import { isSystemError } from "./errno.ts";
import { DEFAULT_PATH } from "./paths.ts";
import type { Variables } from "./vars.ts";

/**
 * Set IFS, PS1, PS2, PS4, OPTIND, PATH and PWD where the environment did not; returns
 * the shell's logical cwd. A $PWD from the environment that names the same
 * directory as `cwd` (through symlinks, `.` or `..`) is kept as the logical
 * cwd, as dash's getpwd keeps it; otherwise PWD is `cwd`. PWD is always
 * exported; PATH, when the shell supplies it, is not.
 */
export function setStartupVariables(vars: Variables, cwd: string): string {
  // The variables dash sets itself, and no others: no RANDOM, SECONDS, SHLVL or BASH_* (LINENO is computed, see Interp.get).
  if (vars.get("IFS") === undefined) vars.set("IFS", " \t\n");
  // dash's prompts, which `set` lists even in a script: `# ` for root, as dash chooses.
  if (vars.get("PS1") === undefined) vars.set("PS1", process.geteuid?.() === 0 ? "# " : "$ ");
  if (vars.get("PS2") === undefined) vars.set("PS2", "> ");
  if (vars.get("PS4") === undefined) vars.set("PS4", "+ ");
  if (vars.get("PATH") === undefined) vars.set("PATH", DEFAULT_PATH);
  vars.set("OPTIND", "1");
  const fromEnvironment = vars.get("PWD");
  const logical = fromEnvironment !== undefined && isSameDirectory(fromEnvironment, cwd) ? fromEnvironment : cwd;
  if (fromEnvironment !== logical || vars.entry("PWD")?.exported !== true) vars.markExported("PWD", logical);
  return logical;
}

function isSameDirectory(candidate: string, cwd: string): boolean {
  if (candidate === cwd) return true;
  if (!candidate.startsWith("/")) return false;
  try {
    const a = fs.statSync(fsPath(candidate));
    const b = fs.statSync(fsPath(cwd));
    return a.isDirectory() && a.dev === b.dev && a.ino === b.ino;
  } catch (error) {
    if (isSystemError(error)) return false;
    throw error;
  }
}
