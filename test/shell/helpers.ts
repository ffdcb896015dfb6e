// Running scripts through `Shell` with capture sinks, for the shell tests.

import { Shell } from "../../src/shell/index.ts";
import type { InputSource, OutputSink, ParseCache, ShellHost, ShellOptions } from "../../src/shell/index.ts";

export class CaptureSink implements OutputSink {
  private readonly chunks: Uint8Array[] = [];
  private readonly waiters: { text: string; resolve: () => void }[] = [];
  write(chunk: Uint8Array): void {
    this.chunks.push(chunk.slice());
    const text = this.text();
    for (const waiter of this.waiters.splice(0)) {
      if (text.includes(waiter.text)) waiter.resolve();
      else this.waiters.push(waiter);
    }
  }
  /** Resolves once the output contains `text` (an event to await instead of polling). */
  waitFor(text: string): Promise<void> {
    if (this.text().includes(text)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ text, resolve }));
  }
  text(): string {
    return new TextDecoder().decode(Buffer.concat(this.chunks));
  }
  /** The exact bytes (a non-UTF-8 byte stays itself, where text() makes it U+FFFD). */
  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

/** An InputSource over fixed bytes that records how much was asked for each read. */
export class FixedSource implements InputSource {
  private offset = 0;
  readonly requests: number[] = [];
  private readonly data: Uint8Array;
  constructor(text: string) {
    this.data = new TextEncoder().encode(text);
  }
  async read(maxBytes: number): Promise<Uint8Array | null> {
    this.requests.push(maxBytes);
    if (this.offset >= this.data.length) return null;
    const chunk = this.data.slice(this.offset, this.offset + maxBytes);
    this.offset += chunk.length;
    return chunk;
  }
}

export function fakeHost(): ShellHost & { mask: number } {
  return {
    mask: 0o022,
    getUmask() {
      return this.mask;
    },
    setUmask(mask: number) {
      this.mask = mask;
    },
  };
}

export interface RunResult {
  stdout: string;
  stderr: string;
  status: number;
}

export interface RunOptions {
  stdin?: string;
  cwd?: string;
  env?: Record<string, string>;
  args?: string[];
  argv0?: string;
  flags?: string[];
  /** Shared with other shells, as a worker shares one across its sessions. */
  parseCache?: ParseCache;
}

export function makeShell(options: RunOptions = {}): { shell: Shell; stdout: CaptureSink; stderr: CaptureSink; stdin: FixedSource | null } {
  const stdout = new CaptureSink();
  const stderr = new CaptureSink();
  const stdin = options.stdin === undefined ? null : new FixedSource(options.stdin);
  const shellOptions: ShellOptions = {
    argv0: options.argv0 ?? "sh",
    args: options.args ?? [],
    cwd: options.cwd ?? "/tmp",
    env: options.env ?? { PATH: "/usr/local/bin:/usr/bin:/bin", HOME: "/root" },
    stdin: stdin === null ? { kind: "null" } : { kind: "source", source: stdin },
    stdout: { kind: "sink", sink: stdout },
    stderr: { kind: "sink", sink: stderr },
    host: fakeHost(),
    flags: options.flags,
    parseCache: options.parseCache,
  };
  return { shell: new Shell(shellOptions), stdout, stderr, stdin };
}

export async function runScript(script: string, options: RunOptions = {}): Promise<RunResult> {
  const { shell, stdout, stderr } = makeShell(options);
  const status = await shell.run(script);
  await shell.dispose();
  return { stdout: stdout.text(), stderr: stderr.text(), status };
}
