/**
 * Defensive redaction applied to every report before it is written. The runner already
 * redacts the Authorization header and stores only the decoded JWT claims; this removes
 * secrets again wherever they may have slipped through:
 *
 * - values of secret headers (`Authorization`, `Proxy-Authorization`, `apikey`, `X-API-Key`,
 *   `Cookie`, `Set-Cookie`), keeping an auth scheme (`Bearer [REDACTED]`);
 * - any JWT-looking string (`eyJ…` followed by a dot) anywhere: bodies, URLs, messages, claims;
 * - token query parameters (`access_token`, `id_token`, `apikey`, `api_key`);
 * - the literal values of secret headers wherever else they appear (e.g. echoed in a body).
 *
 * It also recounts totals from the results, so all outputs agree on counts.
 *
 * @module
 */

import { isJsonObject } from "../../gpconnect/json-object.ts";
import type { RunReport } from "../model.ts";
import { coverageIds, requirementCoverage } from "./requirement-coverage.ts";
import { tally, tallyByProduct } from "./tally.ts";

/** What a secret is replaced with. */
export const REDACTED = "[REDACTED]";

/** Header names (lower case) whose values are always redacted. */
export const SECRET_HEADERS: ReadonlySet<string> = new Set([
  "authorization",
  "proxy-authorization",
  "apikey",
  "x-api-key",
  "cookie",
  "set-cookie",
]);

const JWT_LIKE = /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*)?/g;
const TOKEN_PARAM = /([?&](?:access_token|id_token|apikey|api_key)=)[^&#\s"'<>]*/gi;
/** Secrets shorter than this are not scrubbed from other text (too likely to be ordinary). */
const MIN_SCRUB_LENGTH = 8;

/** `text` with JWT-looking strings, token query parameters and the `known` secrets removed. */
export function redactText(text: string, known?: RegExp): string {
  let out = text.replace(JWT_LIKE, "[REDACTED-JWT]").replace(TOKEN_PARAM, `$1${REDACTED}`);
  if (known) out = out.replace(known, REDACTED);
  return out;
}

/** The value a secret header is written with: its scheme kept for `Authorization`. */
export function redactSecretHeader(name: string, value: string): string {
  const lower = name.toLowerCase();
  if (lower === "authorization" || lower === "proxy-authorization") {
    const m = /^\s*([A-Za-z][A-Za-z0-9._~+/-]*)\s+\S/.exec(value);
    return m ? `${m[1]} ${REDACTED}` : REDACTED;
  }
  return REDACTED;
}

/** `headers` with secret header values redacted and every other value passed through {@link redactText}. */
export function redactHeaders(
  headers: Readonly<Record<string, string>>,
  known?: RegExp,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name] = SECRET_HEADERS.has(name.toLowerCase())
      ? redactSecretHeader(name, String(value))
      : redactText(String(value), known);
  }
  return out;
}

/** Candidate secret strings found in a secret header value. */
function secretsOf(name: string, value: string): string[] {
  const lower = name.toLowerCase();
  if (lower === "cookie" || lower === "set-cookie") {
    const pairs = lower === "cookie" ? value.split(";") : [value.split(";")[0] ?? ""];
    return pairs.map((p) => p.slice(p.indexOf("=") + 1).trim());
  }
  const parts = value.trim().split(/\s+/);
  return parts.length > 1 ? [value.trim(), parts.slice(1).join(" ")] : [value.trim()];
}

/** One printable line: control characters replaced, secrets redacted, length capped. */
export function oneLine(text: string, max = 300): string {
  // deno-lint-ignore no-control-regex
  const clean = redactText(text).replace(/[\u0000-\u001f\u007f-\u009f]+/g, " ").trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

/** A regex matching any secret header value in `report`'s exchanges, or undefined if none. */
function knownSecrets(report: RunReport): RegExp | undefined {
  const found = new Set<string>();
  for (const r of report.results) {
    for (const e of r.exchanges) {
      for (const headers of [e.request.headers, e.response?.headers ?? {}]) {
        for (const [name, value] of Object.entries(headers)) {
          if (!SECRET_HEADERS.has(name.toLowerCase())) continue;
          for (const s of secretsOf(name, String(value))) {
            if (s.length >= MIN_SCRUB_LENGTH && !/redacted/i.test(s)) found.add(s);
          }
        }
      }
    }
  }
  if (found.size === 0) return undefined;
  const alternatives = [...found].sort((a, b) => b.length - a.length)
    .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(alternatives.join("|"), "g");
}

/** A deep copy of `value` with every string redacted and every `headers` map redacted by name. */
export function redactDeep(value: unknown, known?: RegExp): unknown {
  if (typeof value === "string") return redactText(value, known);
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, known));
  if (!isJsonObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const isHeaderMap = k === "headers" && isJsonObject(v) &&
      Object.values(v).every((x) => typeof x === "string");
    out[k] = isHeaderMap ? redactHeaders(v as Record<string, string>, known) : redactDeep(v, known);
  }
  return out;
}

const sanitized = new WeakSet<RunReport>();

/**
 * The report every writer renders: redacted (see the module doc) and with `totals`,
 * `byProduct` and the requirement verdicts of `coverage` recounted from `results` (products
 * already in `byProduct` stay, with their real counts; the requirements are those `coverage`
 * lists). Idempotent and cached: sanitizing a sanitized report returns it unchanged.
 */
export function sanitizeReport(report: RunReport): RunReport {
  if (sanitized.has(report)) return report;
  const redacted = redactDeep(report, knownSecrets(report)) as RunReport;
  const recounted = requirementCoverage(coverageIds(redacted.coverage), redacted.results);
  const out: RunReport = {
    ...redacted,
    totals: tally(redacted.results),
    byProduct: tallyByProduct(redacted.results, Object.keys(redacted.byProduct)),
    coverage: {
      ...recounted,
      requirements: Math.max(redacted.coverage.requirements, recounted.requirements),
    },
  };
  sanitized.add(out);
  return out;
}
