// Shell variables: value, export and read-only flags, and the environment
// handed to external commands.
//
// The initial environment is not copied: it stays the read-only base, and
// every change goes to an overlay (`null` marks a deleted variable). Making a
// shell costs nothing per environment variable. Entries are
// immutable records, so a subshell's copy is one shallow copy of the overlay.
// The environment is built once, in dash's order, and again only after an
// exported variable changes.
//
// Imports nothing from the executor.

import { LOCALE_VARIABLES, type TextMode, textModeOf } from "../text-mode.ts";
import { inDashOrder } from "./env-order.ts";

export interface Variable {
  /** Undefined for a variable that is declared (`export x`, `local x`) but unset. */
  readonly value: string | undefined;
  readonly exported: boolean;
  readonly readonly: boolean;
}

/** An assignment the shell refuses: an error of the command that made it (fatal where dash's is). */
export class AssignmentError extends Error {
  constructor(readonly variable: string, message: string) {
    super(message);
    this.name = "AssignmentError";
  }
}

export class ReadonlyError extends AssignmentError {
  constructor(variable: string) {
    super(variable, `${variable}: is read only`);
    this.name = "ReadonlyError";
  }
}

const INT_MAX = 2 ** 31 - 1;

/**
 * dash checks a value given to OPTIND (its getoptsreset, with number():
 * strtoimax, so blanks may lead and follow and a sign may lead): it must be a decimal number
 * from 0 to INT_MAX, so `OPTIND=-1`, `OPTIND=abc` and `unset OPTIND` are errors.
 */
function checkValue(name: string, value: string | undefined): void {
  if (name !== "OPTIND") return;
  const text = value ?? "";
  if (!/^[ \t\n\v\f\r]*[+-]?[0-9]+[ \t\n\v\f\r]*$/.test(text) || Number(text) < 0 || Number(text) > INT_MAX) {
    throw new AssignmentError(name, `Illegal number: ${text}`);
  }
}

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * The environment last built on each base environment, with the overlay
 * it was built with (its key). A worker gives every session of a caller the
 * same base object (worker/caller-environment.ts, packed-env.ts) and each
 * session starts with the same few changes (PWD…), so the first external
 * command of a session would rebuild and re-sort the same environment
 * (~40 µs of a `/bin/true` round trip, measured): it is taken from here.
 */
const builtEnvironments = new WeakMap<object, { readonly key: string; readonly env: Readonly<Record<string, string>> }>();

export class Variables {
  /** The environment for externals; null when it must be rebuilt. */
  private environmentCache: Readonly<Record<string, string>> | null;
  /** Characters or bytes (text-mode.ts); undefined when LC_ALL, LC_CTYPE or LANG changed since. */
  private textModeCache: TextMode | undefined;

  private constructor(
    private readonly base: Readonly<Record<string, string>>,
    private readonly overlay: Map<string, Variable | null>,
    environment: Readonly<Record<string, string>> | null,
  ) {
    this.environmentCache = environment;
  }

  /** The initial variables: everything in the environment, exported. */
  static fromEnvironment(env: Readonly<Record<string, string>>): Variables {
    // No environment yet: the first external gets it in dash's order (env-order.ts), built once.
    return new Variables(env, new Map(), null);
  }

  clone(): Variables {
    const copy = new Variables(this.base, new Map(this.overlay), this.environmentCache);
    copy.textModeCache = this.textModeCache;
    return copy;
  }

  /** What the shell's string operations count, as the locale variables say now. */
  textMode(): TextMode {
    this.textModeCache ??= textModeOf((name) => this.get(name));
    return this.textModeCache;
  }

  get(name: string): string | undefined {
    const changed = this.overlay.get(name);
    if (changed !== undefined) return changed === null ? undefined : changed.value;
    return hasOwn.call(this.base, name) ? this.base[name] : undefined;
  }

  entry(name: string): Variable | undefined {
    const changed = this.overlay.get(name);
    if (changed !== undefined) return changed ?? undefined;
    if (!hasOwn.call(this.base, name)) return undefined;
    return { value: this.base[name], exported: true, readonly: false };
  }

  private put(name: string, entry: Variable | undefined, touchesEnvironment: boolean): void {
    this.overlay.set(name, entry ?? null);
    if (touchesEnvironment) this.environmentCache = null;
    if (LOCALE_VARIABLES.includes(name)) this.textModeCache = undefined;
  }

  /** Put back a saved entry (or remove the variable), bypassing read-only: for `local` and prefix assignments. */
  restore(name: string, saved: Variable | undefined): void {
    const current = this.entry(name);
    this.put(name, saved, current?.exported === true || saved?.exported === true);
  }

  set(name: string, value: string, exportIt = false): void {
    const current = this.entry(name);
    if (current?.readonly === true) throw new ReadonlyError(name);
    checkValue(name, value);
    const exported = exportIt || current?.exported === true;
    this.put(name, { value, exported, readonly: false }, exported);
  }

  unset(name: string): void {
    const current = this.entry(name);
    if (current === undefined) return;
    if (current.readonly) throw new ReadonlyError(name);
    checkValue(name, undefined);
    this.put(name, undefined, current.exported);
  }

  /** Mark exported (and optionally assign). */
  markExported(name: string, value?: string): void {
    const current = this.entry(name);
    if (current?.readonly === true && value !== undefined) throw new ReadonlyError(name);
    if (value !== undefined) checkValue(name, value);
    this.put(name, { value: value ?? current?.value, exported: true, readonly: current?.readonly ?? false }, true);
  }

  /** Mark read-only (and optionally assign first). */
  markReadonly(name: string, value?: string): void {
    const current = this.entry(name);
    if (current?.readonly === true && value !== undefined) throw new ReadonlyError(name);
    if (value !== undefined) checkValue(name, value);
    this.put(name, { value: value ?? current?.value, exported: current?.exported ?? false, readonly: true }, current?.exported === true);
  }

  names(): string[] {
    const names = new Set(Object.keys(this.base));
    for (const [name, entry] of this.overlay) {
      if (entry === null) names.delete(name);
      else names.add(name);
    }
    return [...names].sort();
  }

  /** The environment of external commands: every exported variable that has a value. */
  environment(): Readonly<Record<string, string>> {
    if (this.environmentCache !== null) return this.environmentCache;
    const key = this.overlayKey();
    const built = builtEnvironments.get(this.base);
    if (built !== undefined && built.key === key) {
      this.environmentCache = built.env;
      return built.env;
    }
    const env: Record<string, string> = {};
    for (const name in this.base) {
      const value = this.base[name];
      if (value !== undefined && !this.overlay.has(name)) env[name] = value;
    }
    for (const [name, entry] of this.overlay) if (entry !== null && entry.exported && entry.value !== undefined) env[name] = entry.value;
    const ordered = inDashOrder(env);
    this.environmentCache = ordered;
    builtEnvironments.set(this.base, { key, env: ordered });
    return ordered;
  }

  /** What of the overlay the environment depends on, in the overlay's order (which the environment's order follows). */
  private overlayKey(): string {
    let key = "";
    for (const [name, entry] of this.overlay) {
      // Lengths first: no name or value can make two overlays read alike.
      if (entry !== null && entry.exported && entry.value !== undefined) key += `+${name.length}:${name}${entry.value.length}:${entry.value}`;
      else if (hasOwn.call(this.base, name)) key += `-${name.length}:${name}`;
    }
    return key;
  }
}
