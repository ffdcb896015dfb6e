// Helpers for values that are usually ready now and sometimes a promise.
// The executor returns `number | Promise<number>` so builtin-only scripts run
// without a promise per command (the interpreter-loop benchmark, §7).
//
// Imports nothing.

export type Status = number | Promise<number>;
export type Maybe<T> = T | Promise<T>;

export function then<T, U>(value: Maybe<T>, next: (value: T) => Maybe<U>): Maybe<U> {
  return value instanceof Promise ? value.then(next) : next(value);
}

/** Run `body`, then `cleanup` whether it returned, threw or rejected. */
export function withCleanup<T>(body: () => Maybe<T>, cleanup: () => void): Maybe<T> {
  let result: Maybe<T>;
  try {
    result = body();
  } catch (error) {
    cleanup();
    throw error;
  }
  if (result instanceof Promise) return result.finally(cleanup);
  cleanup();
  return result;
}

/** Run `body`; on a throw or rejection, let `handle` turn the error into a value (or rethrow). */
export function recover<T>(body: () => Maybe<T>, handle: (error: unknown) => Maybe<T>): Maybe<T> {
  let result: Maybe<T>;
  try {
    result = body();
  } catch (error) {
    return handle(error);
  }
  return result instanceof Promise ? result.catch(handle) : result;
}

/** Let the event loop turn (timers, I/O, `Shell.signal`) during a long synchronous run. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
