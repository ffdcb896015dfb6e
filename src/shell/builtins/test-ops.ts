// The operators of `test`/`[` and `[[ ]]`: file tests, string and integer
// comparisons. File tests go through the shell's cwd.

import * as fs from "node:fs";
import { isatty } from "node:tty";
import type { Interp } from "../exec/executor.ts";
import { isSystemError } from "../exec/errno.ts";
import { fsPath } from "../bytes.ts";
import { pathForBuiltin } from "../exec/fd-paths.ts";

/** A malformed test expression or a non-integer operand (status 2). */
export class TestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TestError";
  }
}

export const UNARY_OPERATORS = new Set(["-b", "-c", "-d", "-e", "-f", "-g", "-h", "-k", "-L", "-n", "-p", "-r", "-s", "-S", "-t", "-u", "-w", "-x", "-z", "-O", "-G", "-N", "-a", "-o"]);
export const BINARY_OPERATORS = new Set(["=", "==", "!=", "<", ">", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "-nt", "-ot", "-ef"]);

/** The path to look at for `file`: /dev/fd/N and the like name the session's fds (fd-paths.ts). */
function lookedAt(interp: Interp, file: string): string | "closed" {
  return pathForBuiltin((fd) => interp.fd(fd), interp.resolvePath(file));
}

function stat(interp: Interp, file: string, follow = true): fs.Stats | undefined {
  if (file === "") return undefined;
  const path = lookedAt(interp, file);
  if (path === "closed") return undefined;
  try {
    const resolved = fsPath(path);
    return follow ? fs.statSync(resolved) : fs.lstatSync(resolved);
  } catch (error) {
    if (isSystemError(error)) return undefined;
    throw error;
  }
}

function canAccess(interp: Interp, file: string, mode: number): boolean {
  if (file === "") return false;
  const path = lookedAt(interp, file);
  if (path === "closed") return false;
  try {
    fs.accessSync(fsPath(path), mode);
    return true;
  } catch (error) {
    if (isSystemError(error)) return false;
    throw error;
  }
}

const INTEGER = /^[+-]?\d+$/;
const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

/** A short run of decimal digits (the common operand), checked without a regex. */
function isShortDecimal(text: string): boolean {
  const n = text.length;
  if (n === 0 || n > 15) return false;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

export function parseInteger(text: string): number | bigint {
  if (isShortDecimal(text)) return Number(text);
  let digits = text;
  if (!INTEGER.test(digits)) {
    digits = text.trim();
    if (!INTEGER.test(digits)) throw new TestError(`Illegal number: ${text}`);
  }
  // Doubles are exact below 2^53; longer numbers compare as BigInt.
  if (digits.length < 16) return Number(digits);
  const value = BigInt(digits);
  // dash reads an intmax_t: a number past 64 bits is not one.
  if (value > INT64_MAX || value < INT64_MIN) throw new TestError(`Illegal number: ${text}`);
  return value;
}

export function unaryTest(op: string, operand: string, interp: Interp): boolean {
  switch (op) {
    case "-n":
      return operand !== "";
    case "-z":
      return operand === "";
    case "-e":
    case "-a":
      return stat(interp, operand) !== undefined;
    case "-f":
      return stat(interp, operand)?.isFile() === true;
    case "-d":
      return stat(interp, operand)?.isDirectory() === true;
    case "-b":
      return stat(interp, operand)?.isBlockDevice() === true;
    case "-c":
      return stat(interp, operand)?.isCharacterDevice() === true;
    case "-p":
      return stat(interp, operand)?.isFIFO() === true;
    case "-S":
      return stat(interp, operand)?.isSocket() === true;
    case "-h":
    case "-L":
      return stat(interp, operand, false)?.isSymbolicLink() === true;
    case "-s":
      return (stat(interp, operand)?.size ?? 0) > 0;
    case "-g":
      return ((stat(interp, operand)?.mode ?? 0) & 0o2000) !== 0;
    case "-u":
      return ((stat(interp, operand)?.mode ?? 0) & 0o4000) !== 0;
    case "-k":
      return ((stat(interp, operand)?.mode ?? 0) & 0o1000) !== 0;
    case "-r":
      return canAccess(interp, operand, fs.constants.R_OK);
    case "-w":
      return canAccess(interp, operand, fs.constants.W_OK);
    case "-x":
      return canAccess(interp, operand, fs.constants.X_OK);
    case "-O":
      return stat(interp, operand)?.uid === process.getuid?.();
    case "-G":
      return stat(interp, operand)?.gid === process.getgid?.();
    case "-N": {
      const s = stat(interp, operand);
      return s !== undefined && s.mtimeMs > s.atimeMs;
    }
    case "-t": {
      // The fd is a number as for -eq (`test -t x` is an illegal number, status 2).
      const fd = Number(parseInteger(operand));
      const target = fd >= 0 && fd <= 0x7fffffff ? interp.fd(fd) : undefined;
      return target?.kind === "os" && isTerminal(target.fd);
    }
    default:
      throw new TestError(`${op}: unary operator expected`);
  }
}

function isTerminal(fd: number): boolean {
  try {
    return fs.fstatSync(fd).isCharacterDevice() && isatty(fd);
  } catch (error) {
    if (isSystemError(error)) return false;
    throw error;
  }
}

/** -1, 0 or 1 (mixed number/bigint comparisons are exact with `<` and `>`). */
function compareIntegers(left: string, right: string): number {
  const a = parseInteger(left);
  const b = parseInteger(right);
  return a < b ? -1 : a > b ? 1 : 0;
}

export function binaryTest(op: string, left: string, right: string, interp: Interp): boolean {
  switch (op) {
    case "=":
    case "==":
      return left === right;
    case "!=":
      return left !== right;
    case "<":
      return left < right;
    case ">":
      return left > right;
    case "-eq":
      return compareIntegers(left, right) === 0;
    case "-ne":
      return compareIntegers(left, right) !== 0;
    case "-lt":
      return compareIntegers(left, right) < 0;
    case "-le":
      return compareIntegers(left, right) <= 0;
    case "-gt":
      return compareIntegers(left, right) > 0;
    case "-ge":
      return compareIntegers(left, right) >= 0;
    case "-nt": {
      const a = stat(interp, left);
      const b = stat(interp, right);
      return a !== undefined && b !== undefined && a.mtimeMs > b.mtimeMs;
    }
    case "-ot": {
      const a = stat(interp, left);
      const b = stat(interp, right);
      return a !== undefined && b !== undefined && a.mtimeMs < b.mtimeMs;
    }
    case "-ef": {
      const a = stat(interp, left);
      const b = stat(interp, right);
      return a !== undefined && b !== undefined && a.dev === b.dev && a.ino === b.ino;
    }
    default:
      throw new TestError(`${op}: binary operator expected`);
  }
}
