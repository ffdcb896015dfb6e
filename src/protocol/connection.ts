// A framed, message-level view of one stream socket, used by every peer.
// Reads: bytes → frames → validated messages, delivered in order.
// Writes: one frame per message; if the kernel buffer is full the rest is
// queued and `whenDrained()` lets producers wait (backpressure).

import { decodeMessage, encodeMessage, encodeOutputFrameHead } from "./codec.ts";
import { ProtocolError } from "./errors.ts";
import { FrameReader } from "./frame.ts";
import { message, type Message, type MessageType } from "./messages.ts";
import { concatBytes } from "../common/concat-bytes.ts";
import { markStage } from "../common/stage-clock.ts";

/** Batched frames are written once they add up to this much. */
const BATCH_LIMIT_BYTES = 64 * 1024;

/**
 * Output chunks from this size on leave at once, in one write with their
 * frame's head, copied into a buffer the connection keeps (warm in cache,
 * never allocated again) instead of encoded into a new frame and copied
 * again into the batch: those two copies into fresh memory were most of a
 * worker's time while a command wrote at pipe speed. One write per frame
 * also lets the reader find whole frames in what it reads.
 */
const OUTPUT_WRITE_BYTES = 16 * 1024;
/** Largest chunk copied into the kept buffer; a larger one goes as two writes (head, then the chunk itself). */
const OUTPUT_BUFFER_BYTES = 256 * 1024;

/** Where the kept buffer holds a chunk's data (a head is at most 31 bytes, and goes before it). */
const OUTPUT_DATA_OFFSET = 64;

/** Payloads up to this size are compared with recent ones before being decoded (see recall()). */
const RECALL_PAYLOAD_BYTES = 512;
/** How many recent small payloads (with their messages) a connection remembers. */
const RECALL_ENTRIES = 4;

/**
 * What a Connection needs of a socket. Bun's sockets have exactly this shape;
 * the library wraps node:net sockets in it (client/transport/node-socket.ts)
 * so that it runs under plain Node.js too.
 */
export interface ByteSocket {
  /** Write what the kernel takes now; returns how many bytes that was. The rest waits for handleDrain(). */
  write(bytes: Uint8Array): number;
  /** Close after the bytes written so far. */
  end(): void;
  pause(): void;
  resume(): void;
}

export interface ConnectionHandlers {
  onMessage(id: number, msg: Message): void;
  /** A protocol violation by the peer: an Error has been sent and the connection is closing. */
  onProtocolError?(error: ProtocolError): void;
  onClose(): void;
  /** The peer half-closed after whole frames; default: close our side too. */
  onPeerEnd?(): void;
}

export interface ConnectionLimits {
  /** Largest frame accepted from the peer (default MAX_FRAME_BYTES). */
  readonly maxFrameBytes?: number;
}

export class Connection {
  private readonly reader: FrameReader;
  private readonly pending: Uint8Array[] = [];
  private drainWaiters: (() => void)[] = [];
  private closed = false;
  private batch: Uint8Array[] = [];
  private batchBytes = 0;
  private batchTimer: ReturnType<typeof setImmediate> | undefined;
  /** Where sendOutput joins a frame's head and its data for one write (grown on first use). */
  private outputBuffer = new Uint8Array(0);
  /** Recent small payloads and what they decoded to, newest first (recall()). */
  private readonly recent: { readonly payload: Uint8Array; readonly msg: Message }[] = [];

  constructor(
    private readonly socket: ByteSocket,
    private readonly accepts: ReadonlySet<MessageType>,
    private readonly handlers: ConnectionHandlers,
    limits: ConnectionLimits = {},
  ) {
    this.reader = new FrameReader(limits.maxFrameBytes);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** True while written bytes wait for the kernel: producers should await whenDrained(). */
  get isBackedUp(): boolean {
    return this.pending.length > 0;
  }

  /** Send now, together with any batched frames before it (one write: the peer wakes once). */
  send(id: number, msg: Message): void {
    if (this.closed) return;
    this.batch.push(encodeMessage(id, msg));
    this.flushBatch();
  }

  /** Several messages in one write. */
  sendAll(id: number, messages: readonly Message[]): void {
    if (this.closed) return;
    for (const msg of messages) this.batch.push(encodeMessage(id, msg));
    this.flushBatch();
  }

  /**
   * Send soon: frames queue until the next send(), until the event loop has
   * run what is ready now (setImmediate), or until BATCH_LIMIT_BYTES. A
   * command's output and its result then usually leave in one write.
   */
  sendBatched(id: number, msg: Message): void {
    if (this.closed) return;
    const frame = encodeMessage(id, msg);
    this.batch.push(frame);
    this.batchBytes += frame.length;
    if (this.batchBytes >= BATCH_LIMIT_BYTES) return this.flushBatch();
    this.batchTimer ??= setImmediate(() => this.flushBatch());
  }

  /**
   * A Stdout or Stderr message: batched like sendBatched, or, from
   * OUTPUT_WRITE_BYTES on, written at once after what is batched.
   */
  sendOutput(id: number, type: "Stdout" | "Stderr", data: Uint8Array): void {
    if (data.length < OUTPUT_WRITE_BYTES) return this.sendBatched(id, message(type, { data }));
    if (this.closed) return;
    this.flushBatch();
    const head = encodeOutputFrameHead(id, type, data.length);
    if (data.length > OUTPUT_BUFFER_BYTES) {
      // The chunk itself is written: the sink may keep it (OutputSink), so it does not change.
      this.write(head);
      this.write(data);
      return;
    }
    // The data at the same offset modulo 64 as in its own buffer, its head just before it: glibc's
    // memmove (rep movsb) on AMD CPUs ran ~15 times slower between buffers not so aligned to each other.
    if (this.outputBuffer.length === 0) this.outputBuffer = new Uint8Array(new ArrayBuffer(OUTPUT_DATA_OFFSET + 64 + OUTPUT_BUFFER_BYTES));
    const dataAt = OUTPUT_DATA_OFFSET + (data.byteOffset % 64);
    const start = dataAt - head.length;
    this.outputBuffer.set(head, start);
    this.outputBuffer.set(data, dataAt);
    this.write(this.outputBuffer.subarray(start, dataAt + data.length), true);
  }

  private flushBatch(): void {
    if (this.batchTimer !== undefined) clearImmediate(this.batchTimer);
    this.batchTimer = undefined;
    const frames = this.batch;
    if (frames.length === 0) return;
    this.batch = [];
    this.batchBytes = 0;
    const bytes = concatBytes(frames);
    markStage("encoded");
    this.write(bytes);
  }

  whenDrained(): Promise<void> {
    if (this.pending.length === 0 || this.closed) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /** Send an Error to the peer and close. */
  fail(error: ProtocolError, id = 0): void {
    this.send(id, message("Error", { code: error.code, message: error.message }));
    this.handlers.onProtocolError?.(error);
    this.end();
  }

  /**
   * Turn a new connection away (over a limit, or not leased): one Error frame,
   * then close. Not a protocol error of the peer, so nothing is logged per
   * refusal (a flood would fill the log). Bun's end() releases the fd at once,
   * even when the peer never reads, so refused connections cost no fds.
   */
  refuse(error: ProtocolError): void {
    this.send(0, message("Error", { code: error.code, message: error.message }));
    this.end();
  }

  /** Close without sending anything more (shedding an idle connection, a timeout already reported). */
  terminate(): void {
    if (this.closed) return;
    this.socket.end();
  }

  /** Stop reading from the peer until resumeReading() (the consumer of our data is slow). */
  pauseReading(): void {
    this.socket.pause();
  }

  resumeReading(): void {
    this.socket.resume();
  }

  /** Close after the queued bytes are written. */
  end(): void {
    if (this.closed) return;
    this.flushBatch();
    if (this.pending.length > 0) {
      void this.whenDrained().then(() => this.socket.end());
    } else {
      this.socket.end();
    }
  }

  // --- called from the socket's event handlers ---

  handleData(chunk: Uint8Array): void {
    markStage("chunk");
    if (this.closed) return;
    let frames;
    try {
      frames = this.reader.push(chunk);
    } catch (error) {
      if (error instanceof ProtocolError) return this.fail(error);
      throw error;
    }
    for (const frame of frames) {
      if (this.closed) return;
      let msg = this.recall(frame.payload);
      if (msg === undefined) {
        try {
          msg = decodeMessage(frame.payload, this.accepts);
        } catch (error) {
          if (error instanceof ProtocolError) return this.fail(error, frame.id);
          throw error;
        }
        this.remember(frame.payload, msg);
      }
      // The first message of the chunk: what follows may be handled before the next one is decoded.
      if (frame === frames[0]) markStage("decoded");
      this.handlers.onMessage(frame.id, msg);
    }
  }

  /**
   * The message of a recent payload with exactly these bytes. A client that
   * runs the same script with the same set-up sends the same SessionInit and
   * Execute every time, and a worker answers `true` with the same result:
   * comparing ~100 bytes costs less than decoding and validating them again.
   * Handlers never modify a message, so one object can be handed out twice;
   * messages carrying bytes (output, input) are not remembered, because
   * their bytes go on to code that may (a library caller's onStdout).
   */
  private recall(payload: Uint8Array): Message | undefined {
    if (payload.length > RECALL_PAYLOAD_BYTES) return undefined;
    for (const entry of this.recent) {
      if (sameBytes(entry.payload, payload)) return entry.msg;
    }
    return undefined;
  }

  private remember(payload: Uint8Array, msg: Message): void {
    if (payload.length > RECALL_PAYLOAD_BYTES || msg.type === "Stdout" || msg.type === "Stderr" || msg.type === "Stdin") return;
    if (this.recent.length >= RECALL_ENTRIES) this.recent.pop();
    // A copy (new Uint8Array copies from any typed array; a Buffer's slice would be a view):
    // the payload may be a view into the whole chunk it came in, which may be large.
    this.recent.unshift({ payload: new Uint8Array(payload), msg });
  }

  handleDrain(): void {
    while (this.pending.length > 0) {
      const head = this.pending[0];
      if (head === undefined) break;
      const written = this.socket.write(head);
      if (written < head.length) {
        this.pending[0] = head.subarray(Math.max(written, 0));
        return;
      }
      this.pending.shift();
    }
    this.releaseDrainWaiters();
  }

  /** The peer finished sending (half-close). A partial frame left over is a truncated message. */
  handlePeerEnd(): void {
    if (this.closed) return;
    if (this.reader.pendingBytes > 0) {
      this.fail(new ProtocolError("TRUNCATED", `the connection ended inside a frame (${this.reader.pendingBytes} bytes of it arrived)`));
    } else {
      this.handlers.onPeerEnd ? this.handlers.onPeerEnd() : this.end();
    }
  }

  handleClose(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.batchTimer !== undefined) clearImmediate(this.batchTimer);
    this.batch = [];
    this.pending.length = 0;
    this.releaseDrainWaiters();
    this.handlers.onClose();
  }

  /** `isReused`: the bytes are of a buffer the next call writes again, so what must wait is copied out. */
  private write(bytes: Uint8Array, isReused = false): void {
    const written = this.pending.length > 0 ? 0 : Math.max(this.socket.write(bytes), 0);
    if (written < bytes.length) this.pending.push(isReused ? bytes.slice(written) : bytes.subarray(written));
  }

  private releaseDrainWaiters(): void {
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
