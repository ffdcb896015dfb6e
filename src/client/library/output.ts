// A run's collected output: every byte, or with maxOutputBytes the first N
// of each stream (the rest is dropped as it arrives, so memory stays
// bounded whatever the command prints).

import { concatBytes } from "../../common/concat-bytes.ts";

export class OutputCollector {
  private readonly chunks: Uint8Array[] = [];
  private kept = 0;
  /** Bytes were dropped past the limit. */
  truncated = false;

  constructor(private readonly limit: number = Number.POSITIVE_INFINITY) {}

  /** Returns false when this chunk crossed the limit (the caller may stop the command). */
  add(data: Uint8Array): boolean {
    const room = this.limit - this.kept;
    if (data.length <= room) {
      this.chunks.push(data);
      this.kept += data.length;
      return true;
    }
    if (room > 0) {
      this.chunks.push(data.subarray(0, room));
      this.kept += room;
    }
    this.truncated = true;
    return false;
  }

  bytes(): Uint8Array {
    return concatBytes(this.chunks);
  }
}

const decoder = new TextDecoder();

export function decodeOutput(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}
