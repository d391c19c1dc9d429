/**
 * Noticing a client that goes away while the app works on its request. Once the request is
 * read, the connection keeps one read pending: end of stream means the client left (abort the
 * request); bytes mean a pipelined request, kept in the buffer for the next head. The pending
 * read's callback holds only this small object, and `stop()` drops the request it would abort,
 * so a connection idling between requests keeps nothing of the last one alive.
 *
 * @module
 */
import type { ConnectionReader } from "./connection-reader.ts";

/** Pipelined bytes read ahead before the watch stops reading (TCP then pushes back). */
const WATCH_AHEAD_BYTES = 16 * 1024;

/** Watches one connection for the client's departure during one exchange. */
export class DisconnectWatch {
  readonly #reader: ConnectionReader;
  #onGone: (() => void) | undefined;
  readonly #settled = (more: boolean): void => {
    if (more) this.start();
    else this.#fire();
  };

  /**
   * @param reader the connection's reader
   * @param onGone called at most once, if the stream ends before `stop()`
   *
   * @example
   * ```ts
   * import { ConnectionReader } from "./connection-reader.ts";
   * const reader = new ConnectionReader({ read: () => Promise.resolve(null) }, 65536);
   * let gone = false;
   * new DisconnectWatch(reader, () => (gone = true)).start();
   * await reader.fill();
   * gone; // true
   * ```
   */
  constructor(reader: ConnectionReader, onGone: () => void) {
    this.#reader = reader;
    this.#onGone = onGone;
  }

  /** Starts watching (again); a no-op once stopped or fired. */
  start(): void {
    if (this.#onGone === undefined) return;
    if (this.#reader.eof) return this.#fire();
    if (this.#reader.buffered >= WATCH_AHEAD_BYTES) return;
    this.#reader.fill().then(this.#settled);
  }

  /** Stops watching: the exchange is over. */
  stop(): void {
    this.#onGone = undefined;
  }

  #fire(): void {
    const onGone = this.#onGone;
    this.#onGone = undefined;
    onGone?.();
  }
}
