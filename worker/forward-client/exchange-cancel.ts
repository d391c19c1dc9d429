/**
 * What stops one exchange of the pooled client, without an `AbortController` (issue 15 item 2:
 * a controller, its signal and their listeners per request were among what outlived requests).
 * The SSP forward makes one of these instead of a controller when its upstream fetch says it
 * takes one ({@linkcode takesExchangeCancel}), and cancels it when the consumer goes away, the
 * header timeout fires or the request's deadline passes. It has the part of `AbortSignal` the
 * pooled client uses (`aborted`, `reason`, `abort` listeners), so the client treats both alike.
 *
 * @module
 */

/** The `RequestInit` key under which the pooled client finds an {@linkcode ExchangeCancel}. */
export const EXCHANGE_CANCEL: unique symbol = Symbol("gpc-edge exchange cancel");

/** The part of `AbortSignal` the pooled client listens to. */
export interface AbortSource {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: "abort", listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: "abort", listener: () => void): void;
}

/** A cancellation for one exchange: cancelled once, its listeners told once. */
export class ExchangeCancel implements AbortSource {
  aborted = false;
  reason: unknown = undefined;
  // The client listens with at most two at a time (the dial wait, the exchange).
  #listeners: Array<() => void> = [];

  /**
   * Cancels the exchange with `reason` (the first call only).
   *
   * @example
   * ```ts
   * const cancel = new ExchangeCancel();
   * cancel.addEventListener("abort", () => console.log(cancel.reason));
   * cancel.cancel(new DOMException("gone", "AbortError"));
   * ```
   */
  cancel(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const listeners = this.#listeners;
    this.#listeners = [];
    for (const listener of listeners) listener();
  }

  /** Adds an `abort` listener (called once at most, as with `{ once: true }`). */
  addEventListener(_type: "abort", listener: () => void): void {
    if (!this.aborted) this.#listeners.push(listener);
  }

  /** Removes an `abort` listener. */
  removeEventListener(_type: "abort", listener: () => void): void {
    const index = this.#listeners.indexOf(listener);
    if (index >= 0) this.#listeners.splice(index, 1);
  }
}

/** Marks `fetch` as one that reads an {@linkcode ExchangeCancel} from its init. */
export function acceptExchangeCancel<F extends object>(fetch: F): F {
  return Object.assign(fetch, { [EXCHANGE_CANCEL]: true });
}

/**
 * Whether `fetch` reads an {@linkcode ExchangeCancel} (the pooled client's own, not wrapped).
 *
 * @example
 * ```ts
 * takesExchangeCancel(fetch); // false
 * ```
 */
export function takesExchangeCancel(fetch: object): boolean {
  return (fetch as { [EXCHANGE_CANCEL]?: boolean })[EXCHANGE_CANCEL] === true;
}
