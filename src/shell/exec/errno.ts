// Telling system-call failures (they carry an errno `code`: ENOENT, EACCES…)
// from bugs, which must propagate.
//
// Imports nothing.

/** The errno code of a failed system call, or undefined for any other error. */
export function errnoCode(error: unknown): string | undefined {
  return error instanceof Error && "code" in error && typeof error.code === "string" ? error.code : undefined;
}

/** Is this the failure of a system call (as opposed to a bug)? */
export function isSystemError(error: unknown): boolean {
  return errnoCode(error) !== undefined;
}

/** A system call made through FFI failed: `code` is its errno's name, as on Node's own errors (errnoCode sees it). */
export class SystemCallError extends Error {
  constructor(
    readonly syscall: string,
    readonly code: string,
    /** The error's text (strerror). */
    readonly description: string,
  ) {
    super(`${syscall}: ${description}`);
    this.name = "SystemCallError";
  }
}
