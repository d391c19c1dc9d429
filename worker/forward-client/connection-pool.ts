/**
 * Kept-alive provider connections, per origin: after an exchange whose framing was beyond doubt a
 * connection waits here (most recently used first, so the warm ones are reused and the cold ones
 * time out), up to `maxIdlePerOrigin`; past that it is closed. While it waits, its one pending
 * read watches it: the provider closing it, or sending bytes nobody asked for (an unsolicited
 * second response), takes it out and closes it, so a request is rarely written to a dead socket.
 * Idle connections older than `idleTimeoutMs` are closed by one sweep on the shared deadline
 * scheduler, pending only while some connection is idle: releasing a connection schedules
 * nothing of its own (issue 15: no timer per request).
 *
 * @module
 */
import type { DeadlineScheduler } from "../gateway/deadline-scheduler.ts";
import { UpstreamConnection, type UpstreamSocket } from "./upstream-connection.ts";

/** Where a connection goes. */
export interface UpstreamOrigin {
  /** `http://host:port` or `https://host:port`: the pool key. */
  readonly key: string;
  readonly tls: boolean;
  /** Host name or IP address (an IPv6 address without brackets). */
  readonly hostname: string;
  readonly port: number;
}

/** Opens a socket to an origin (TCP, or TLS with the configured certificates). */
export type Dialer = (origin: UpstreamOrigin) => Promise<UpstreamSocket>;

/** Options of {@linkcode ConnectionPool}. */
export interface ConnectionPoolOptions {
  readonly dial: Dialer;
  /** Where idle timeouts wait. */
  readonly scheduler: DeadlineScheduler;
  /** Idle connections kept per origin (default 64). */
  readonly maxIdlePerOrigin?: number;
  /**
   * How long an idle connection is kept, in milliseconds (default 4,000: below the keep-alive
   * timeouts of common servers, Node's 5 s the shortest, so gpc-edge is the side that closes).
   * A connection is closed between this and 1.5 times this after its last exchange.
   */
  readonly idleTimeoutMs?: number;
  /** Monotonic milliseconds (default `performance.now`). */
  readonly now?: () => number;
}

/** The connections of every origin. */
export class ConnectionPool {
  readonly #idle = new Map<string, UpstreamConnection[]>();
  readonly #dial: Dialer;
  readonly #scheduler: DeadlineScheduler;
  readonly #maxIdle: number;
  readonly #idleTimeoutMs: number;
  readonly #now: () => number;
  #opened = 0;
  #closed = false;
  #cancelSweep: (() => void) | undefined;

  /**
   * @example
   * ```ts
   * import { perRequestTimers } from "../gateway/deadline-scheduler.ts";
   * const pool = new ConnectionPool({
   *   dial: () => Promise.reject(new Error("no network here")),
   *   scheduler: perRequestTimers,
   * });
   * pool.close();
   * ```
   */
  constructor(options: ConnectionPoolOptions) {
    this.#dial = options.dial;
    this.#scheduler = options.scheduler;
    this.#maxIdle = options.maxIdlePerOrigin ?? 64;
    this.#idleTimeoutMs = options.idleTimeoutMs ?? 4_000;
    this.#now = options.now ?? (() => performance.now());
  }

  /** Connections opened so far (tests: whether one was reused). */
  get opened(): number {
    return this.#opened;
  }

  /** Idle connections now, all origins. */
  get idleCount(): number {
    let count = 0;
    for (const list of this.#idle.values()) count += list.length;
    return count;
  }

  /** The most recently used idle connection to `origin`, or undefined. */
  takeIdle(origin: UpstreamOrigin): UpstreamConnection | undefined {
    const list = this.#idle.get(origin.key);
    while (list !== undefined && list.length > 0) {
      const connection = list.pop()!;
      if (connection.closed) continue;
      connection.idle = false;
      return connection;
    }
    return undefined;
  }

  /** A new connection to `origin`. */
  async open(origin: UpstreamOrigin): Promise<UpstreamConnection> {
    const socket = await this.#dial(origin);
    this.#opened++;
    return new UpstreamConnection(origin.key, socket);
  }

  /** Takes back a connection whose exchange ended cleanly, or closes it when the pool is full. */
  release(connection: UpstreamConnection): void {
    if (connection.closed) return;
    // After close(), an exchange ending closes its connection instead of pooling it again.
    if (this.#closed) {
      connection.close();
      return;
    }
    let list = this.#idle.get(connection.origin);
    if (list === undefined) this.#idle.set(connection.origin, list = []);
    if (list.length >= this.#maxIdle || connection.reader.buffered > 0) {
      connection.close();
      return;
    }
    connection.idle = true;
    connection.idleSince = this.#now();
    list.push(connection);
    this.#cancelSweep ??= this.#scheduler.schedule(this.#idleTimeoutMs / 2, this.#sweep);
    // Any bytes or the end of the stream while idle: the provider closed it or sent something
    // unasked. Either way it cannot carry the next exchange.
    connection.reader.fill().then(
      connection.onIdleRead ??= () => {
        if (connection.idle) this.#evict(connection);
      },
    );
  }

  /** Closes the connections idle for longer than the idle timeout; again later if any remain. */
  readonly #sweep = (): void => {
    this.#cancelSweep = undefined;
    const oldest = this.#now() - this.#idleTimeoutMs;
    let remaining = 0;
    for (const list of this.#idle.values()) {
      // Oldest first: the list is in release order.
      while (list.length > 0 && (list[0]!.closed || list[0]!.idleSince <= oldest)) {
        list.shift()!.close();
      }
      remaining += list.length;
    }
    if (remaining > 0) {
      this.#cancelSweep = this.#scheduler.schedule(this.#idleTimeoutMs / 2, this.#sweep);
    }
  };

  /** Closes every idle connection. */
  close(): void {
    this.#closed = true;
    this.#cancelSweep?.();
    this.#cancelSweep = undefined;
    for (const list of this.#idle.values()) {
      for (const connection of list) connection.close();
    }
    this.#idle.clear();
  }

  #evict(connection: UpstreamConnection): void {
    const list = this.#idle.get(connection.origin);
    const index = list?.indexOf(connection) ?? -1;
    if (index >= 0) list!.splice(index, 1);
    connection.close();
  }
}
