// The bucket dash's hash tables put a name in (its hashalias and cmdlookup:
// the first byte shifted left by 4 plus every byte): listings (`alias`,
// `hash`) go bucket by bucket, each bucket in the order its names came.
//
// Imports nothing.

export function dashBucket(name: string, tableSize: number, mask = 0xffffffff): number {
  const bytes = new TextEncoder().encode(name);
  let hash = ((bytes[0] ?? 0) << 4) >>> 0;
  for (const byte of bytes) hash = (hash + byte) >>> 0;
  return ((hash & mask) >>> 0) % tableSize;
}

/** Names in dash's listing order; `names` in the order they came (a stable sort keeps it within a bucket). */
export function dashListingOrder(names: Iterable<string>, tableSize: number, mask?: number): string[] {
  return [...names].sort((a, b) => dashBucket(a, tableSize, mask) - dashBucket(b, tableSize, mask));
}
