/**
 * The write side of one connection: writes in order (a `100 Continue` and a response head can
 * be asked for at the same time), whole (a socket write may take part of the bytes), each under
 * the write deadline.
 *
 * @module
 */

/** What the writer needs of a socket. */
export interface ByteSink {
  write(bytes: Uint8Array): Promise<number>;
}

/** Serialised, complete writes to one socket. */
export class SocketWriter {
  /** The first write failure; every later write rejects with it. */
  failure: unknown = undefined;
  readonly #sink: ByteSink;
  readonly #waiting: (active: boolean) => void;
  #queue: Promise<void> = Promise.resolve();
  #writing = 0;

  /**
   * @param sink the socket
   * @param waiting arms (true) and disarms (false) the write deadline around each write
   *
   * @example
   * ```ts
   * const written: Uint8Array[] = [];
   * const writer = new SocketWriter({
   *   write(bytes) {
   *     written.push(bytes.slice());
   *     return Promise.resolve(bytes.length);
   *   },
   * }, () => {});
   * await writer.write(new TextEncoder().encode("HTTP/1.1 100 Continue\r\n\r\n"));
   * ```
   */
  constructor(sink: ByteSink, waiting: (active: boolean) => void) {
    this.#sink = sink;
    this.#waiting = waiting;
  }

  /** Writes all of `bytes` after every earlier write. */
  write(bytes: Uint8Array): Promise<void> {
    // The common case, nothing in flight, skips the queue's promise chain.
    const write = this.#writing === 0
      ? this.#writeAll(bytes)
      : this.#queue.then(() => this.#writeAll(bytes));
    this.#writing++;
    this.#queue = write.then(this.#done, this.#done);
    return write;
  }

  readonly #done = (): void => {
    this.#writing--;
  };

  async #writeAll(bytes: Uint8Array): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    this.#waiting(true);
    try {
      let offset = 0;
      while (offset < bytes.length) offset += await this.#sink.write(bytes.subarray(offset));
    } catch (error) {
      this.failure = error;
      throw error;
    } finally {
      this.#waiting(false);
    }
  }
}
