/**
 * Deliberately broken GP practices as MESH receivers, for the harness's self-test: the reference
 * practice's poller (sandbox/practice-mesh) with exactly one rule broken in what it does over
 * MESH — its MESH traffic passes through a `fetch` that drops, reorders or rewrites one thing —
 * so the breakage is visible only as a faulty receiver's would be. A harness that passes them has
 * a blind spot.
 *
 * @module
 */
import { buildNhsmeshAuthorization } from "../../gpconnect/mesh/nhsmesh-token.ts";
import { itkResponseCodeSystem } from "../mesh/itk-ack-reading.ts";
import type { BrokenKind } from "./broken-kind.ts";

/** A kind of breakage, with the requirement a harness must report failing. */
export type BrokenPracticeKind = BrokenKind;

/** The breakages of issue 11's self-test list. */
export const brokenPracticeKinds: readonly BrokenPracticeKind[] = [
  {
    name: "never-bus-ack",
    description: "never sends a BusAck",
    requirement: "MSG-BUSACK",
    selection: ["--id", "messaging.send-document.valid"],
  },
  {
    name: "mesh-ack-before-filing",
    description: "acknowledges the MESH message before filing it",
    requirement: "MSG-MESH-ACK-LAST",
    selection: ["--id", "messaging.send-document.valid"],
  },
  {
    name: "known-for-unknown-patient",
    description: "answers 30001 for a patient it does not hold",
    requirement: "MSG-BUSACK-NOT-KNOWN",
    selection: ["--id", "messaging.send-document.patient-not-registered"],
  },
];

/** What the broken fetch needs to sign requests of its own (the practice's credentials). */
export interface PracticeCredentials {
  readonly password: string;
  readonly sharedKey: string;
  /** How long the practice dawdles after acknowledging early (default 2000 ms). */
  readonly delayMs?: number;
}

const outbox = /\/messageexchange\/[^/]+\/outbox$/;
const download = /\/messageexchange\/([^/]+)\/inbox\/([^/]+)$/;

/** The ITK3 response codes in an outgoing body (JSON text), if any. */
function responseCodes(text: string): string[] {
  try {
    const found: string[] = [];
    JSON.parse(text, (_key, value) => {
      if (value?.system === itkResponseCodeSystem && typeof value.code === "string") {
        found.push(value.code);
      }
      return value;
    });
    return found;
  } catch {
    return [];
  }
}

/**
 * The practice's MESH `fetch`, broken in the named way.
 *
 * @example
 * ```ts ignore
 * startPracticeMeshPoller({ ...options, meshFetch: brokenPracticeFetch("never-bus-ack", credentials) });
 * ```
 */
export function brokenPracticeFetch(
  name: string,
  credentials: PracticeCredentials,
  base: typeof fetch = fetch,
): typeof fetch {
  const kind = brokenPracticeKinds.find((k) => k.name === name);
  if (!kind) throw new RangeError(`Unknown broken practice ${JSON.stringify(name)}`);
  const early = new Set<string>();
  return async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const isSend = request.method === "POST" && outbox.test(url.pathname);
    const text = isSend ? await request.clone().text() : "";
    const codes = isSend ? responseCodes(text) : [];
    switch (name) {
      case "never-bus-ack":
        if (codes.some((code) => code.startsWith("3"))) {
          // Pretend MESH took it: the practice believes it answered.
          return Response.json({ message_id: `DROPPED_${crypto.randomUUID()}` }, { status: 202 });
        }
        return base(request);
      case "known-for-unknown-patient":
        if (codes.includes("30002")) {
          const body = text.replaceAll('"30002"', '"30001"')
            .replaceAll('"fatal-error"', '"ok"')
            .replaceAll("Patient not known here", "Patient known here");
          return base(new Request(request, { body }));
        }
        return base(request);
      case "mesh-ack-before-filing": {
        const found = request.method === "GET" ? download.exec(url.pathname) : null;
        if (found) {
          const response = await base(request);
          const [, mailbox, id] = found as unknown as [string, string, string];
          if (response.status === 200 && response.headers.get("mex-messagetype") === "DATA") {
            // Acknowledge at once, before anything is checked, filed or answered…
            const headers = new Headers(request.headers);
            headers.set(
              "Authorization",
              await buildNhsmeshAuthorization({
                mailboxId: decodeURIComponent(mailbox),
                password: credentials.password,
                sharedKey: credentials.sharedKey,
              }),
            );
            const ack = await base(`${url.origin}${url.pathname}/status/acknowledged`, {
              method: "PUT",
              headers,
            });
            await ack.body?.cancel();
            early.add(id);
          }
          return response;
        }
        if (isSend && early.size > 0) {
          // …then take a while to file it and answer.
          early.clear();
          await new Promise((resolve) => setTimeout(resolve, credentials.delayMs ?? 2000));
        }
        return base(request);
      }
      default:
        return base(request);
    }
  };
}
