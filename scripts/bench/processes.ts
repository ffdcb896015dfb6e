// The non-rushd contenders: a program spawning a shell per command, and an
// "already running shell" (a coprocess fed commands with a sentinel).
// Imports nothing from rushd.

import type { Subprocess } from "bun";

export interface CommandOutput {
  readonly status: number;
  readonly stdout: string;
}

/** Spawn, read all of stdout, await the exit: what a program does per `sh -c`. */
export async function spawnAndRead(argv: readonly string[], env?: Record<string, string | undefined>): Promise<CommandOutput> {
  const child = Bun.spawn([...argv], { stdin: "ignore", stdout: "pipe", stderr: "inherit", env });
  const [stdout, status] = await Promise.all([new Response(child.stdout).text(), child.exited]);
  return { status, stdout };
}

/** Spawn with stdout and stderr each a pipe, read both to the end, await the exit: the least a runner that returns a command's two streams apart does. */
export async function spawnAndReadBoth(argv: readonly string[]): Promise<CommandOutput> {
  const child = Bun.spawn([...argv], { stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  const [stdout, , status] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { status, stdout };
}

/** Fails loudly when a contender's answer is wrong: a broken run must never be timed as a fast one. */
export function expectOutput(what: string, got: CommandOutput, want: CommandOutput): void {
  if (got.status !== want.status || got.stdout !== want.stdout) {
    throw new Error(`${what}: expected status ${want.status} and stdout ${JSON.stringify(want.stdout)}, got status ${got.status} and stdout ${JSON.stringify(got.stdout.slice(0, 200))}`);
  }
}

const SENTINEL = "__END__";
const SENTINEL_LINE = /(?:^|\n)__END__(\d+)\n/;

/**
 * A shell kept running with its stdin and stdout on pipes. Each command is
 * written as `cmd; echo __END__$?` and its output read up to the sentinel.
 */
export class SentinelShell {
  private buffer = "";
  private readonly decoder = new TextDecoder();
  private readonly chunks: AsyncIterator<Uint8Array>;

  private constructor(readonly name: string, private readonly child: Subprocess<"pipe", "pipe", "inherit">) {
    this.chunks = child.stdout[Symbol.asyncIterator]();
  }

  static start(argv: readonly string[]): SentinelShell {
    const child = Bun.spawn([...argv], { stdin: "pipe", stdout: "pipe", stderr: "inherit" });
    return new SentinelShell(argv.join(" "), child);
  }

  get pid(): number {
    return this.child.pid;
  }

  async run(command: string): Promise<CommandOutput> {
    this.child.stdin.write(`${command}; echo ${SENTINEL}$?\n`);
    await this.child.stdin.flush();
    for (;;) {
      const match = SENTINEL_LINE.exec(this.buffer);
      if (match !== null) {
        const end = match.index + (match[0].startsWith("\n") ? 1 : 0);
        const stdout = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(match.index + match[0].length);
        return { status: Number(match[1]), stdout };
      }
      const next = await this.chunks.next();
      if (next.done === true) throw new Error(`the ${this.name} coprocess closed its stdout`);
      this.buffer += this.decoder.decode(next.value, { stream: true });
    }
  }

  /** End its input, and kill it if it does not exit promptly. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    await this.child.stdin.end();
    const exited = await Promise.race([this.child.exited.then(() => true), Bun.sleep(2000).then(() => false)]);
    if (!exited) {
      this.child.kill("SIGKILL");
      await this.child.exited;
    }
  }
}
