// common/ffi.ts: the runtime's own FFI functions (Bun.FFI) when they have
// the expected shape, else the bun:ffi module; symbol types by name.

import { expect, test } from "bun:test";
import { dlopen, ffiSource, ptr, readI32, usableFfi } from "../../src/common/ffi.ts";

test("under this Bun the runtime's own functions are used (a Bun without them would cost rushd -c ~0.5 ms)", () => {
  expect(ffiSource()).toBe("runtime");
});

test("a candidate without dlopen, ptr or read.i32 is not used", () => {
  expect(usableFfi(undefined)).toBeUndefined();
  expect(usableFfi({ dlopen() {}, ptr() {} })).toBeUndefined();
  expect(usableFfi({ dlopen() {}, ptr() {}, read: {} })).toBeUndefined();
  const complete = { dlopen() {}, ptr() {}, read: { i32() {} } };
  expect(usableFfi(complete) as unknown).toBe(complete);
});

test("libc functions by type name: arguments, pointers, i64 results and memory reads", () => {
  const library = dlopen("libc.so.6", {
    getpid: { args: [], returns: "i32" },
    strlen: { args: ["ptr"], returns: "u64" },
  });
  const { symbols } = library;
  try {
    expect(symbols.getpid()).toBe(process.pid);
    const text = new TextEncoder().encode("rushd\0");
    expect(Number(symbols.strlen(ptr(text)))).toBe(5);
    expect(Number(symbols.strlen(ptr(text, 2)))).toBe(3);
    const word = new Int32Array([-7, 42]);
    expect(readI32(ptr(word), 4)).toBe(42);
  } finally {
    library.close();
  }
});
