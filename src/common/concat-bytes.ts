// Chunks of bytes as one array. Imports nothing (the library's Node build
// and the protocol use it).

/** One array holding `chunks` in order: the chunk itself when there is one, a copy otherwise. */
export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const out = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
