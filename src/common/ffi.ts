// bun:ffi's dlopen, ptr and read, for the modules the client path loads.
// Importing the `bun:ffi` module compiles its JavaScript wrapper, ~0.25 ms
// of every cold `rushd -c` (measured: a compiled program that opens two
// libc functions through `bun:ffi` starts 0.26 ms later than one that uses
// the functions it wraps, which the runtime also exposes as `Bun.FFI`).
// Those are taken when they are there and work; otherwise the module.
// Symbol types are given by name ("i32", "ptr"), which both accept, never
// by FFIType's numbers. (src/shell and the worker, which start once, import
// `bun:ffi` as usual.)

import type { Library, Pointer, Symbols } from "bun:ffi";

interface Ffi {
  dlopen<const T extends Symbols>(path: string, symbols: T): Library<T>;
  ptr(view: NodeJS.TypedArray | ArrayBufferLike | DataView, byteOffset?: number): Pointer;
  readonly read: { i32(pointer: Pointer | number | bigint, byteOffset?: number): number };
}

/** `candidate` if it has the shape this module needs (the runtime's own FFI functions), else undefined. */
export function usableFfi(candidate: unknown): Ffi | undefined {
  const ffi = candidate as Partial<Ffi> | undefined;
  if (typeof ffi?.dlopen !== "function" || typeof ffi.ptr !== "function" || typeof ffi.read?.i32 !== "function") return undefined;
  return ffi as Ffi;
}

function runtimeFfi(): Ffi | undefined {
  return usableFfi((globalThis as { Bun?: { FFI?: unknown } }).Bun?.FFI);
}

function moduleFfi(): Ffi {
  return require("bun:ffi") as Ffi;
}

let chosen: Ffi | undefined;

function ffi(): Ffi {
  chosen ??= runtimeFfi() ?? moduleFfi();
  return chosen;
}

/** dlopen; if the runtime's own refuses the definitions, the module's (which then says why, if it refuses too). */
export function dlopen<const T extends Symbols>(path: string, symbols: T): Library<T> {
  try {
    return ffi().dlopen(path, symbols);
  } catch (error) {
    if (chosen === moduleFfi()) throw error;
    chosen = moduleFfi();
    return chosen.dlopen(path, symbols);
  }
}

export function ptr(view: NodeJS.TypedArray | ArrayBufferLike | DataView, byteOffset?: number): Pointer {
  return ffi().ptr(view, byteOffset);
}

/** An i32 at `pointer` + `byteOffset`. */
export function readI32(pointer: Pointer | number | bigint, byteOffset = 0): number {
  return ffi().read.i32(pointer, byteOffset);
}

/** Which implementation is in use (tests: a runtime update that drops `Bun.FFI` shows as a failure, not a silent slowdown). */
export function ffiSource(): "runtime" | "module" {
  return ffi() === runtimeFfi() ? "runtime" : "module";
}
