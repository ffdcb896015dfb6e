// Signal names and numbers (Linux numbering, from the runtime).
//
// Imports nothing from the shell.

import { constants } from "node:os";

const SIGNALS: Readonly<Record<string, number>> = constants.signals;

/** Number of a signal given as `INT`, `SIGINT` or `2`; 0 for `EXIT`; undefined if unknown. */
export function signalNumber(name: string): number {
  return lookupSignal(name) ?? 0;
}

export function lookupSignal(name: string): number | undefined {
  if (/^\d+$/.test(name)) {
    const n = Number(name);
    return n === 0 || signalName(n) !== undefined ? n : undefined;
  }
  const upper = name.toUpperCase();
  if (upper === "EXIT") return 0;
  const full = upper.startsWith("SIG") ? upper : `SIG${upper}`;
  return SIGNALS[full];
}

/** `INT` for 2; "EXIT" for 0. */
export function signalName(n: number): string | undefined {
  if (n === 0) return "EXIT";
  for (const name in SIGNALS) if (SIGNALS[name] === n) return name.slice(3);
  return undefined;
}

export function allSignalNames(): string[] {
  return Object.keys(SIGNALS).map((name) => name.slice(3));
}
