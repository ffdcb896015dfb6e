// Where the first line of some bytes ends: what `read` may take of input
// that is already here (an in-memory pipe, the library's read-ahead stdin, a
// pipe's bytes looked at with tee(2)) without taking anything past its line.
// Shared by the shell and the worker's stdin (worker/remote-io.ts).
//
// Imports nothing.

/** The index just past the first `delimiter` among the first `length` bytes of `bytes`, or `length` if none is there. */
export function lineEnd(bytes: Uint8Array, delimiter: number, length = bytes.length): number {
  const at = bytes.indexOf(delimiter);
  return at >= 0 && at < length ? at + 1 : length;
}

/** `bytes` cut after their first line: the line (all of them if they hold no delimiter) and what follows, if anything. */
export function splitFirstLine(bytes: Uint8Array, delimiter: number): { readonly line: Uint8Array; readonly rest: Uint8Array | undefined } {
  const end = lineEnd(bytes, delimiter);
  return end === bytes.length ? { line: bytes, rest: undefined } : { line: bytes.subarray(0, end), rest: bytes.subarray(end) };
}
