// A run's stdin as the worker asks for it: at most maxBytes at a time, null
// at the end. Taken from a string, bytes, an async iterable (a Node.js
// Readable is one) or a web ReadableStream, only as fast as the command
// reads it: a stream is pulled, never drained ahead.

export type StdinInput =
  | string
  | Uint8Array
  | AsyncIterable<Uint8Array | string>
  | ReadableStream<Uint8Array>;

export type StdinReader = (maxBytes: number) => Promise<Uint8Array | null>;

const encoder = new TextEncoder();

const toBytes = (chunk: Uint8Array | string): Uint8Array => (typeof chunk === "string" ? encoder.encode(chunk) : chunk);

export function stdinReader(input: StdinInput | undefined): StdinReader {
  if (input === undefined) return async () => null;
  if (typeof input === "string" || input instanceof Uint8Array) return fromBytes(toBytes(input));
  if (isReadableStream(input)) return fromChunks(readableChunks(input));
  return fromChunks(input[Symbol.asyncIterator]());
}

function fromBytes(bytes: Uint8Array): StdinReader {
  let rest = bytes;
  return async (maxBytes) => {
    if (rest.length === 0) return null;
    const chunk = rest.subarray(0, maxBytes);
    rest = rest.subarray(chunk.length);
    return chunk;
  };
}

function fromChunks(chunks: AsyncIterator<Uint8Array | string>): StdinReader {
  let held: Uint8Array | undefined;
  let ended = false;
  return async (maxBytes) => {
    while (held === undefined || held.length === 0) {
      if (ended) return null;
      const next = await chunks.next();
      if (next.done === true) {
        ended = true;
        return null;
      }
      held = toBytes(next.value);
    }
    const chunk = held.subarray(0, maxBytes);
    held = held.subarray(chunk.length);
    return chunk;
  };
}

function isReadableStream(input: object): input is ReadableStream<Uint8Array> {
  return typeof (input as { getReader?: unknown }).getReader === "function";
}

/** Through getReader(): Node 18's ReadableStream is not reliably async-iterable. */
function readableChunks(stream: ReadableStream<Uint8Array>): AsyncIterator<Uint8Array> {
  const reader = stream.getReader();
  return {
    async next() {
      const { done, value } = await reader.read();
      if (done === true) {
        reader.releaseLock();
        return { done: true, value: undefined };
      }
      return { done: false, value };
    },
  };
}
