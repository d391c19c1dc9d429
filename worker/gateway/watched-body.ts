/**
 * A response body passed through chunk by chunk, with a promise of how it ended: whole, cut by the
 * deadline, broken upstream (a reset, a bad chunk), or dropped by the consumer. The audit line and
 * the circuit breaker need that ending, and the deadline needs a way to end a body that is not
 * moving. Nothing is buffered: one chunk is read when the consumer asks for one
 * (`highWaterMark: 0`), so memory stays at one chunk per exchange however large the body is
 * (issue 9 item 5: provider responses are not capped).
 *
 * @module
 */
import type { Deadline } from "./request-deadline.ts";

/** How a watched body ended. */
export type BodyOutcome = "complete" | "deadline" | "upstream-error" | "consumer-closed";

/** A watched body's ending. */
export interface BodyEnd {
  readonly outcome: BodyOutcome;
  /** Bytes passed on. */
  readonly bytes: number;
}

/**
 * What the consumer's stream fails with when the body is cut: says why and nothing more — no
 * stack and no `cause`, because a runtime may print it (Deno's server prints a failed response
 * stream with its cause chain) and neither says anything the audit line does not.
 */
export class ResponseBodyCut extends Error {
  /** Why: the deadline or the upstream. */
  readonly outcome: "deadline" | "upstream-error";
  constructor(outcome: "deadline" | "upstream-error") {
    super(
      outcome === "deadline"
        ? "response body cut: the request's deadline passed"
        : "response body cut: the upstream broke it off",
    );
    this.name = "ResponseBodyCut";
    this.outcome = outcome;
    this.stack = `${this.name}: ${this.message}`;
  }
}

/** A body and the promise of its end (which never rejects). */
export interface WatchedBody {
  readonly body: ReadableStream<Uint8Array>;
  readonly ended: Promise<BodyEnd>;
}

/**
 * Watches `source` (a stream, or a reader of one); when `deadline` fires first, the body is errored
 * and the source cancelled. `first` is a read already made from the reader, passed on first.
 *
 * @example
 * ```ts
 * const { body, ended } = watchResponseBody(new Response("hello").body!);
 * await new Response(body).text(); // "hello"
 * (await ended).outcome; // "complete"
 * ```
 */
export function watchResponseBody(
  source: ReadableStream<Uint8Array> | ReadableStreamDefaultReader<Uint8Array>,
  deadline?: Deadline,
  first?: ReadableStreamReadResult<Uint8Array>,
): WatchedBody {
  const reader = source instanceof ReadableStream ? source.getReader() : source;
  let prefetched = first;
  let bytes = 0;
  let finished = false;
  let resolveEnded!: (end: BodyEnd) => void;
  const ended = new Promise<BodyEnd>((resolve) => resolveEnded = resolve);
  let controller!: ReadableStreamDefaultController<Uint8Array>;

  const onDeadline = () => {
    const reason = deadline!.signal.reason;
    finish("deadline");
    try {
      controller.error(new ResponseBodyCut("deadline"));
    } catch {
      // Already closed or errored.
    }
    reader.cancel(reason).catch(() => {});
  };
  function finish(outcome: BodyOutcome) {
    if (finished) return;
    finished = true;
    deadline?.signal.removeEventListener("abort", onDeadline);
    resolveEnded({ outcome, bytes });
  }
  if (deadline?.signal.aborted) queueMicrotask(onDeadline);
  else deadline?.signal.addEventListener("abort", onDeadline, { once: true });

  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
    async pull(c) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = prefetched ?? await reader.read();
        prefetched = undefined;
      } catch {
        const outcome = deadline?.expired ? "deadline" : "upstream-error";
        finish(outcome);
        try {
          c.error(new ResponseBodyCut(outcome));
        } catch {
          // Already errored by the deadline.
        }
        return;
      }
      if (finished) return;
      if (chunk.done) {
        finish("complete");
        c.close();
        return;
      }
      bytes += chunk.value.byteLength;
      c.enqueue(chunk.value);
    },
    cancel(reason) {
      finish("consumer-closed");
      return reader.cancel(reason);
    },
  }, { highWaterMark: 0 });
  return { body, ended };
}
