// The one polling helper, for the few waits that have no event to await
// (another process's socket coming up). It fails loudly on timeout.

export class WaitTimeoutError extends Error {
  override readonly name = "WaitTimeoutError";
}

export async function until(
  condition: () => Promise<boolean> | boolean,
  { timeoutMs, what, firstDelayMs = 2, maxDelayMs = 100 }: { timeoutMs: number; what: string; firstDelayMs?: number; maxDelayMs?: number },
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let delayMs = firstDelayMs;
  while (!(await condition())) {
    if (Date.now() >= deadline) throw new WaitTimeoutError(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, delayMs)); // not Bun.sleep: the library runs under Node.js too
    delayMs = Math.min(delayMs * 2, maxDelayMs);
  }
}
