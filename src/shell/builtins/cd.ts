// `cd` and `pwd`. The shell's cwd is its own (never process.chdir): externals
// get it when they start (exec/child-start.ts), and relative paths are
// resolved against it.

import * as fs from "node:fs";
import type { Interp } from "../exec/executor.ts";
import { afterWrite, defineBuiltin } from "./define.ts";
import type { ParsedArgs } from "./args.ts";
import { isSystemError } from "../exec/errno.ts";
import { decodeBytes, fsPath } from "../bytes.ts";

/** The physical path, bytes kept (a directory name that is not UTF-8 stays exact). */
function realPath(dir: string): string {
  return decodeBytes(fs.realpathSync(fsPath(dir), { encoding: "buffer" }));
}

/** The cwd without symlinks; the logical one if it cannot be resolved (removed since). */
function physicalCwd(cwd: string): string {
  try {
    return realPath(cwd);
  } catch (error) {
    if (isSystemError(error)) return cwd;
    throw error;
  }
}

function isDirectory(file: string): boolean {
  try {
    return fs.statSync(fsPath(file)).isDirectory();
  } catch (error) {
    if (isSystemError(error)) return false;
    throw error;
  }
}

/**
 * The logical path after `cd dir` from `cwd` (dash's updatepwd): `.` and `..`
 * resolved textually, repeated slashes folded, except that exactly two
 * leading slashes are kept (POSIX leaves `//` implementation-defined, and
 * dash prints `//` after `cd //`), and `..` never climbs above them.
 */
export function logicalPath(cwd: string, dir: string): string {
  let prefix: string;
  let rest: string;
  if (dir.startsWith("/")) {
    const isDoubleSlash = dir[1] === "/" && dir[2] !== "/";
    prefix = isDoubleSlash ? "//" : "/";
    rest = dir;
  } else {
    prefix = cwd.startsWith("//") && cwd[2] !== "/" ? "//" : "/";
    rest = `${cwd}/${dir}`;
  }
  const parts: string[] = [];
  for (const part of rest.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return prefix + parts.join("/");
}

/**
 * Candidates for a relative operand: each CDPATH entry, then the cwd (XCU cd,
 * step 5). With -P they are relative to the physical cwd, as dash's chdir
 * makes them (`cd -P ..` from a symlink goes to its target's parent).
 */
function candidates(interp: Interp, target: string, physical: boolean): { dir: string; fromCdpath: boolean }[] {
  const cwd = physical ? physicalCwd(interp.state.cwd) : interp.state.cwd;
  // With -P the path goes to the kernel as written: `l/..` needs an `l` there, whatever `..` follows.
  const resolve = (dir: string): string => (!physical ? logicalPath(cwd, dir) : dir.startsWith("/") ? dir : `${cwd}/${dir}`);
  if (target.startsWith("/")) return [{ dir: resolve(target), fromCdpath: false }];
  const list: { dir: string; fromCdpath: boolean }[] = [];
  const cdpath = interp.get("CDPATH");
  if (cdpath !== undefined && cdpath !== "" && !/^\.\.?(\/|$)/.test(target)) {
    for (const entry of cdpath.split(":")) {
      if (entry === "") continue;
      list.push({ dir: resolve(`${entry}/${target}`), fromCdpath: true });
    }
  }
  list.push({ dir: resolve(target), fromCdpath: false });
  return list;
}

/** dash's cd and pwd take -L and -P in turn: the last one given wins (`cd -PL l` is logical). */
function isPhysical(args: ParsedArgs): boolean {
  let physical = false;
  for (const { letter } of args.order) physical = letter === "P";
  return physical;
}

export const cd = defineBuiltin({
  name: "cd",
  flags: { L: "flag", P: "flag" },
  run(ctx, args) {
    const interp = ctx.interp;
    let target = args.operands[0];
    let print = false;
    if (target === undefined) {
      // dash: without HOME (or with it empty) `cd` stays where it is.
      target = interp.get("HOME") ?? "";
      if (target === "") target = ".";
    } else if (target === "-") {
      target = interp.get("OLDPWD") ?? interp.state.cwd;
      print = true;
    }
    const physical = isPhysical(args);
    for (const candidate of candidates(interp, target, physical)) {
      if (!isDirectory(candidate.dir)) continue;
      let dir = candidate.dir;
      if (physical) dir = realPath(dir);
      const old = interp.state.cwd;
      interp.state.cwd = dir;
      interp.session.heldDirectories.hold(dir);
      // As dash: OLDPWD is the shell's own idea of the old directory (not $PWD), and both are exported.
      interp.state.vars.markExported("OLDPWD", old);
      interp.state.vars.markExported("PWD", dir);
      return print || candidate.fromCdpath ? afterWrite(ctx.out(`${dir}\n`), 0) : 0;
    }
    return ctx.fail(`can't cd to ${target}`, 2);
  },
});

export const pwd = defineBuiltin({
  name: "pwd",
  flags: { L: "flag", P: "flag" },
  run(ctx, args) {
    const cwd = ctx.interp.state.cwd;
    return afterWrite(ctx.out(`${isPhysical(args) ? realPath(cwd) : cwd}\n`), 0);
  },
});
