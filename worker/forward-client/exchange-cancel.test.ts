import assert from "node:assert/strict";
import {
  acceptExchangeCancel,
  EXCHANGE_CANCEL,
  ExchangeCancel,
  takesExchangeCancel,
} from "./exchange-cancel.ts";
import { createPooledClient } from "./pooled-client.ts";
import { denoDialer } from "./deno-dialer.ts";

Deno.test("ExchangeCancel: cancelled once, each listener told once, removed listeners not at all", () => {
  const cancel = new ExchangeCancel();
  const heard: string[] = [];
  const first = () => heard.push(`first ${String(cancel.reason)}`);
  const removed = () => heard.push("removed");
  cancel.addEventListener("abort", first);
  cancel.addEventListener("abort", removed);
  cancel.removeEventListener("abort", removed);
  cancel.cancel("gone");
  cancel.cancel("again");
  assert.equal(cancel.aborted, true);
  assert.equal(cancel.reason, "gone");
  assert.deepEqual(heard, ["first gone"]);
});

Deno.test("ExchangeCancel: the pooled client's fetch takes one, a wrapped or plain fetch does not", () => {
  const client = createPooledClient({ dial: denoDialer({}) });
  try {
    assert.equal(takesExchangeCancel(client.fetch), true);
    assert.equal(takesExchangeCancel((input: string) => client.fetch(input)), false);
    assert.equal(takesExchangeCancel(fetch), false);
    assert.equal(takesExchangeCancel(acceptExchangeCancel(() => {})), true);
  } finally {
    client.close();
  }
});

Deno.test("ExchangeCancel: cancelling stops a pooled exchange the provider never answers, with the reason", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const accepted: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const conn of listener) accepted.push(conn); // reads nothing, answers nothing
  })();
  const client = createPooledClient({ dial: denoDialer({}) });
  try {
    const cancel = new ExchangeCancel();
    const reason = new DOMException("The consumer went away", "AbortError");
    const pending = client.fetch(`http://127.0.0.1:${listener.addr.port}/x`, {
      [EXCHANGE_CANCEL]: cancel,
    } as RequestInit);
    // Bounded wait for the connection, then cancel.
    for (let i = 0; i < 200 && accepted.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    cancel.cancel(reason);
    await assert.rejects(pending, (error) => error === reason);
  } finally {
    client.close();
    listener.close();
    await accepting.catch(() => {});
    for (const conn of accepted) conn.close();
  }
});
