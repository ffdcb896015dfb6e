// Shell variables: value, export and read-only flags, and the environment
// handed to external commands (built on demand, cached until an exported
// variable changes). Entries are immutable records, so a subshell's copy is
// one shallow `Map` copy.
//
// Imports nothing from the executor.

export interface Variable {
  /** Undefined for a variable that is declared (`export x`, `local x`) but unset. */
  readonly value: string | undefined;
  readonly exported: boolean;
  readonly readonly: boolean;
}

export class ReadonlyError extends Error {
  constructor(readonly variable: string) {
    super(`${variable}: is read only`);
    this.name = "ReadonlyError";
  }
}

export class Variables {
  private environmentCache: Record<string, string> | null = null;

  private constructor(private readonly map: Map<string, Variable>) {}

  /** The initial variables: everything in the environment, exported. */
  static fromEnvironment(env: Readonly<Record<string, string>>): Variables {
    const map = new Map<string, Variable>();
    for (const name in env) {
      const value = env[name];
      if (value !== undefined) map.set(name, { value, exported: true, readonly: false });
    }
    return new Variables(map);
  }

  clone(): Variables {
    const copy = new Variables(new Map(this.map));
    copy.environmentCache = this.environmentCache;
    return copy;
  }

  get(name: string): string | undefined {
    return this.map.get(name)?.value;
  }

  entry(name: string): Variable | undefined {
    return this.map.get(name);
  }

  /** Put back a saved entry (or remove the variable), bypassing read-only: for `local` and prefix assignments. */
  restore(name: string, saved: Variable | undefined): void {
    const current = this.map.get(name);
    if (saved === undefined) this.map.delete(name);
    else this.map.set(name, saved);
    if (current?.exported === true || saved?.exported === true) this.environmentCache = null;
  }

  set(name: string, value: string, exportIt = false): void {
    const current = this.map.get(name);
    if (current === undefined) {
      this.map.set(name, { value, exported: exportIt, readonly: false });
      if (exportIt) this.environmentCache = null;
      return;
    }
    if (current.readonly) throw new ReadonlyError(name);
    const exported = current.exported || exportIt;
    this.map.set(name, { value, exported, readonly: false });
    if (exported) this.environmentCache = null;
  }

  unset(name: string): void {
    const current = this.map.get(name);
    if (current === undefined) return;
    if (current.readonly) throw new ReadonlyError(name);
    this.map.delete(name);
    if (current.exported) this.environmentCache = null;
  }

  /** Mark exported (and optionally assign). */
  markExported(name: string, value?: string): void {
    const current = this.map.get(name);
    if (current?.readonly === true && value !== undefined) throw new ReadonlyError(name);
    this.map.set(name, { value: value ?? current?.value, exported: true, readonly: current?.readonly ?? false });
    this.environmentCache = null;
  }

  /** Mark read-only (and optionally assign first). */
  markReadonly(name: string, value?: string): void {
    const current = this.map.get(name);
    if (current?.readonly === true && value !== undefined) throw new ReadonlyError(name);
    this.map.set(name, { value: value ?? current?.value, exported: current?.exported ?? false, readonly: true });
    if (current?.exported === true) this.environmentCache = null;
  }

  /** Declare without a value (`local x`): keeps nothing of an outer value. */
  declare(name: string, entry: Variable): void {
    this.map.set(name, entry);
    this.environmentCache = null;
  }

  names(): string[] {
    return [...this.map.keys()].sort();
  }

  /** The environment of external commands: every exported variable that has a value. */
  environment(): Record<string, string> {
    if (this.environmentCache !== null) return this.environmentCache;
    const env: Record<string, string> = {};
    for (const [name, variable] of this.map) if (variable.exported && variable.value !== undefined) env[name] = variable.value;
    this.environmentCache = env;
    return env;
  }
}
