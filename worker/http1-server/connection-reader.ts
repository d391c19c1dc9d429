/**
 * The buffered read side of one connection. One socket read is in flight at most, and every
 * caller asking for more bytes while it is shares it: the request-head parser, the body reader
 * and the disconnect watcher all read through here, so bytes of a pipelined request that arrive
 * while a handler runs are kept, not lost.
 *
 * @module
 */

/** What the reader needs of a socket (a `Deno.Conn`, or a fake in tests). */
export interface ByteSource {
  read(into: Uint8Array): Promise<number | null>;
}

const INITIAL_BUFFER_BYTES = 16 * 1024;
/** Size of a direct body read (see `next`). */
const DIRECT_READ_BYTES = 64 * 1024;
/** Below this much free tail room the buffer is compacted before a read. */
const MIN_READ_ROOM = 4 * 1024;

/** A growable buffer filled from a {@linkcode ByteSource}. */
export class ConnectionReader {
  /** Bytes `[start, end)` are received and not yet consumed. */
  buffer: Uint8Array;
  start = 0;
  end = 0;
  /** The peer closed its side, or the socket failed (then `error` says how). */
  eof = false;
  /** The read failure, if the stream ended by one rather than by the peer's FIN. */
  error: unknown = undefined;
  readonly #source: ByteSource;
  readonly #maxBytes: number;
  #pending: Promise<boolean> | null = null;

  /**
   * @param source the socket
   * @param maxBytes the buffer never grows past this (the largest head the limits allow)
   *
   * @example
   * ```ts
   * const reader = new ConnectionReader({ read: () => Promise.resolve(null) }, 64 * 1024);
   * await reader.fill(); // false: end of stream
   * ```
   */
  constructor(source: ByteSource, maxBytes: number) {
    this.#source = source;
    this.#maxBytes = Math.max(maxBytes, INITIAL_BUFFER_BYTES);
    this.buffer = new Uint8Array(INITIAL_BUFFER_BYTES);
  }

  /** Bytes received and not consumed. */
  get buffered(): number {
    return this.end - this.start;
  }

  /** Whether a socket read is in flight. */
  get reading(): boolean {
    return this.#pending !== null;
  }

  /** The unconsumed bytes (a view: valid until the next `fill`). */
  view(): Uint8Array {
    return this.buffer.subarray(this.start, this.end);
  }

  /** Marks `count` bytes consumed. */
  consume(count: number): void {
    this.start += count;
  }

  /** A copy of up to `max` unconsumed bytes, consumed. */
  take(max: number): Uint8Array {
    const count = Math.min(max, this.end - this.start);
    const bytes = this.buffer.slice(this.start, this.start + count);
    this.start += count;
    return bytes;
  }

  /**
   * Reads more bytes into the buffer: true when some arrived, false at end of stream (FIN or a
   * socket error; it never rejects). Joins the read already in flight, if any.
   */
  fill(): Promise<boolean> {
    if (this.#pending) return this.#pending;
    if (this.eof) return Promise.resolve(false);
    this.#makeRoom();
    const room = this.buffer.subarray(this.end);
    // Callers check their limits before asking for more, so a full buffer is a bug here.
    if (room.length === 0) throw new RangeError("HTTP/1.1 connection buffer is full");
    this.#pending = this.#source.read(room).then(
      (count) => {
        this.#pending = null;
        if (count === null) {
          this.eof = true;
          return false;
        }
        this.end += count;
        return true;
      },
      (error: unknown) => {
        this.#pending = null;
        this.eof = true;
        this.error = error;
        return false;
      },
    );
    return this.#pending;
  }

  /**
   * The next bytes of the stream, at most `max`: buffered ones (copied) if any, else one socket
   * read straight into a fresh buffer (no copy: large bodies pass through in 64 KiB pieces).
   * Null at end of stream.
   */
  async next(max: number): Promise<Uint8Array | null> {
    if (this.end > this.start) return this.take(max);
    if (this.#pending) {
      await this.#pending;
      return this.end > this.start ? this.take(max) : null;
    }
    if (this.eof) return null;
    const chunk = new Uint8Array(Math.min(max, DIRECT_READ_BYTES));
    const read = this.#source.read(chunk);
    // Anyone calling `fill` meanwhile waits for this read, then reads on.
    this.#pending = read.then(() => true, () => true);
    try {
      const count = await read;
      if (count === null) {
        this.eof = true;
        return null;
      }
      return chunk.subarray(0, count);
    } catch (error) {
      this.eof = true;
      this.error = error;
      return null;
    } finally {
      this.#pending = null;
    }
  }

  /** Compacts or grows the buffer; only ever called with no read in flight. */
  #makeRoom(): void {
    if (this.start === this.end) {
      this.start = 0;
      this.end = 0;
      return;
    }
    if (this.buffer.length - this.end >= MIN_READ_ROOM) return;
    if (this.start > 0) {
      this.buffer.copyWithin(0, this.start, this.end);
      this.end -= this.start;
      this.start = 0;
    }
    if (this.buffer.length - this.end < MIN_READ_ROOM && this.buffer.length < this.#maxBytes) {
      const grown = new Uint8Array(Math.min(this.buffer.length * 2, this.#maxBytes));
      grown.set(this.buffer.subarray(0, this.end));
      this.buffer = grown;
    }
  }
}
