// Everything the benchmark starts is registered here and stopped at the end,
// on error, and on Ctrl-C: no daemon, worker or coprocess is left behind.

export class Cleanup {
  private readonly tasks: { readonly what: string; readonly run: () => Promise<void> }[] = [];

  /** Register a stop action; the returned function runs it now (once) and unregisters it. */
  add(what: string, run: () => Promise<void>): () => Promise<void> {
    const task = { what, run };
    this.tasks.push(task);
    return async () => {
      const at = this.tasks.indexOf(task);
      if (at < 0) return;
      this.tasks.splice(at, 1);
      await task.run();
    };
  }

  /** Run every action, last registered first; returns the failures (each is also reported by the caller). */
  async runAll(): Promise<string[]> {
    const problems: string[] = [];
    while (this.tasks.length > 0) {
      const task = this.tasks.pop();
      if (task === undefined) break;
      try {
        await task.run();
      } catch (error) {
        if (!(error instanceof Error)) throw error;
        problems.push(`${task.what}: ${error.message}`);
      }
    }
    return problems;
  }
}
