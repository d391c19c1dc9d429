/**
 * Write safety on the platform (R28; A5 "reuse the same X-Request-ID when re-sending"; OWASP
 * API6): a write (`safe: false` route) is claimed in the records store under its app, patient
 * and `X-Request-ID` with an atomic create-if-absent before it is forwarded, so of two identical
 * writes — a retry, a double tap, two isolates — only one ever reaches the practice:
 *
 * - first: claimed ("in flight" until the forward's deadline passes), forwarded; the practice's
 *   answer (any status below 500, its 409 DUPLICATE_REJECTED included, unchanged) is stored for
 *   {@linkcode writeResultSeconds} and answered again, byte for byte, to every retry;
 * - a retry while the first is in flight → 409 DUPLICATE_REJECTED with `Retry-After: 1` (it gets
 *   the first result once that is stored);
 * - the same `X-Request-ID` on a different write (method, path or body) → 409 DUPLICATE_REJECTED;
 * - the forward failing (a 5xx, a timeout, no connection) releases the claim: the outcome is
 *   unknown, so the retry goes to the practice again with the same `X-Request-ID`, which the
 *   practice de-duplicates itself (its own R28); so does a 429 or 408 (the practice did not
 *   take the write: the client's retry after `Retry-After` must reach it, not a stored 429).
 *
 * @module
 */
import type { Clock } from "../../app-deps.ts";
import type { RecordsStore } from "../../store/records-store.ts";
import { PlatformError } from "../platform-error.ts";
import { sha256Hex, writeKey } from "../platform-keys.ts";

/** How long a write's first answer is kept and repeated, seconds (24 h). */
export const writeResultSeconds = 24 * 60 * 60;

/** Largest answer body stored for repeating (base64 must fit the 63 KiB record value). */
const maxStoredBodyBytes = 40 * 1024;
const keptHeaders = ["Content-Type", "Location", "ETag", "Last-Modified", "Content-Language"];

type WriteRecord =
  | { readonly state: "in-flight"; readonly fingerprint: string }
  | {
    readonly state: "done";
    readonly fingerprint: string;
    readonly status: number;
    readonly headers: ReadonlyArray<readonly [string, string]>;
    /** base64, or null when too large to keep. */
    readonly body: string | null;
  };

/** What {@linkcode claimWrite} needs. */
export interface WriteDedupeDeps {
  readonly records: RecordsStore;
  readonly clock: Clock;
  /** How long a claim stays in flight before it lapses (the forward's deadline and a margin). */
  readonly inFlightMs: number;
}

/** The write being claimed. */
export interface WriteIdentity {
  readonly clientId: string;
  readonly nhsNumber: string;
  readonly requestId: string;
  readonly method: string;
  /** Path and query as received. */
  readonly target: string;
  readonly body: Uint8Array;
}

/** The outcome of a claim. */
export type WriteClaim =
  | { readonly kind: "replay"; readonly response: Response }
  | {
    readonly kind: "claimed";
    /** Stores the practice's answer (or releases on a 5xx, 429 or 408); resolves the response to send. */
    complete(response: Response): Promise<Response>;
    /** Releases the claim (the forward failed). */
    release(): Promise<void>;
  };

const duplicate = (diagnostics: string, headers?: Record<string, string>) =>
  new PlatformError("DUPLICATE_REJECTED", { diagnostics, ...(headers ? { headers } : {}) });

function replay(record: Extract<WriteRecord, { state: "done" }>): Response {
  if (record.body === null) {
    throw duplicate("This X-Request-ID's write was completed; its answer is too large to repeat");
  }
  const body = record.status === 204 ? null : Uint8Array.fromBase64(record.body);
  return new Response(body, {
    status: record.status,
    headers: new Headers(record.headers.map(([name, value]) => [name, value])),
  });
}

/**
 * Claims the write, or answers its first result; throws 409 DUPLICATE_REJECTED.
 *
 * @example
 * ```ts
 * import { createMemoryRecordsStore } from "../../store/memory-records-store.ts";
 * const deps = { records: createMemoryRecordsStore(), clock: { now: Date.now, sleep: () => Promise.resolve() }, inFlightMs: 60_000 };
 * const write = { clientId: "app", nhsNumber: "9690937286", requestId: crypto.randomUUID(),
 *   method: "POST", target: "/Task", body: new Uint8Array() };
 * const claim = await claimWrite(deps, write);
 * if (claim.kind === "claimed") await claim.complete(new Response("{}", { status: 201 }));
 * (await claimWrite(deps, write)).kind; // "replay"
 * ```
 */
export async function claimWrite(deps: WriteDedupeDeps, write: WriteIdentity): Promise<WriteClaim> {
  const key = await writeKey(write.clientId, write.nhsNumber, write.requestId);
  const fingerprint = await sha256Hex(
    `${write.method} ${write.target}\n${new TextDecoder().decode(write.body)}`,
  );
  for (let attempt = 0; attempt < 3; attempt++) {
    const stored = await deps.records.get<WriteRecord>(key);
    if (stored) {
      if (stored.value.fingerprint !== fingerprint) {
        throw duplicate("This X-Request-ID was already used for a different request");
      }
      if (stored.value.state === "in-flight") {
        throw duplicate("A write with this X-Request-ID is in progress; retry to get its result", {
          "Retry-After": "1",
        });
      }
      return { kind: "replay", response: replay(stored.value) };
    }
    const claimed = await deps.records.commit([{ key, version: null }], [{
      type: "set",
      key,
      value: { state: "in-flight", fingerprint } satisfies WriteRecord,
      expiresAt: deps.clock.now() + deps.inFlightMs,
    }]);
    if (claimed) return claimedWrite(deps, key, fingerprint);
  }
  throw duplicate("A write with this X-Request-ID is in progress; retry to get its result", {
    "Retry-After": "1",
  });
}

function claimedWrite(deps: WriteDedupeDeps, key: string, fingerprint: string): WriteClaim {
  const release = async () => {
    await deps.records.commit([], [{ type: "delete", key }]);
  };
  return {
    kind: "claimed",
    release,
    async complete(response) {
      if (response.status >= 500 || response.status === 429 || response.status === 408) {
        await release();
        return response;
      }
      const bytes = new Uint8Array(await response.arrayBuffer());
      const headers: Array<[string, string]> = [];
      for (const name of keptHeaders) {
        const value = response.headers.get(name);
        if (value !== null) headers.push([name, value]);
      }
      const record: WriteRecord = {
        state: "done",
        fingerprint,
        status: response.status,
        headers,
        body: bytes.byteLength <= maxStoredBodyBytes ? bytes.toBase64() : null,
      };
      await deps.records.commit([], [{
        type: "set",
        key,
        value: record,
        expiresAt: deps.clock.now() + writeResultSeconds * 1000,
      }]);
      return new Response(response.status === 204 ? null : bytes, {
        status: response.status,
        headers: response.headers,
      });
    },
  };
}
