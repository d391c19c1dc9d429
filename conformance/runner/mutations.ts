/**
 * Applies a scenario's mutations (model.ts `Mutation`) to a well-formed request draft: drop or
 * set a header (`{jwt}` in its value is the token as the earlier mutations left it), drop or set
 * a JWT claim (dotted paths, numeric segments index arrays; a value that
 * is exactly `{epoch±N}` becomes a number), replace the JWT header, send a raw `Authorization`
 * value, set or drop a query parameter.
 *
 * @module
 */
import { encodeUnsignedJwt } from "../../gpconnect/jwt/gpc-jwt.ts";
import type { Mutation } from "../model.ts";
import { epochOnly, fillBody, fillTemplate, type PlaceholderContext } from "./placeholders.ts";

/** How the `Authorization` header is produced once the mutations are applied. */
export type Authorization =
  | { readonly kind: "jwt" }
  | { readonly kind: "raw"; readonly value: string }
  | { readonly kind: "none" };

/** A request before its JWT is encoded. */
export interface RequestDraft {
  method: string;
  url: string;
  /** Every header but `Authorization`. */
  headers: Headers;
  body?: string;
  claims: Record<string, unknown>;
  jwtHeader: Record<string, unknown>;
  authorization: Authorization;
}

/**
 * `draft` with the mutations applied in order (the draft is changed in place and returned).
 *
 * @example
 * ```ts
 * const draft = {
 *   method: "GET",
 *   url: "https://gp.example/B82617/STU3/1/gpconnect/fhir/metadata",
 *   headers: new Headers(),
 *   claims: { requesting_device: {} },
 *   jwtHeader: { alg: "none", typ: "JWT" },
 *   authorization: { kind: "jwt" as const },
 * };
 * const context = { odsCode: "B82617", runClock: new Date(), traceId: crypto.randomUUID() };
 *
 * applyMutations(draft, [{ kind: "drop-claim", claim: "requesting_device" }], context);
 * ```
 */
export function applyMutations(
  draft: RequestDraft,
  mutations: readonly Mutation[],
  context: PlaceholderContext,
): RequestDraft {
  for (const mutation of mutations) {
    switch (mutation.kind) {
      case "drop-header":
        if (isAuthorization(mutation.header)) draft.authorization = { kind: "none" };
        else draft.headers.delete(mutation.header);
        break;
      case "set-header": {
        // {jwt}: the token as the mutations so far have made it.
        const jwt = encodeUnsignedJwt(draft.claims, draft.jwtHeader);
        const value = fillTemplate(mutation.value, { ...context, jwt });
        if (isAuthorization(mutation.header)) draft.authorization = { kind: "raw", value };
        else draft.headers.set(mutation.header, value);
        break;
      }
      case "drop-claim":
        dropPath(draft.claims, mutation.claim.split("."));
        break;
      case "set-claim": {
        const value = typeof mutation.value === "string" && epochOnly.test(mutation.value)
          ? Number(fillTemplate(mutation.value, context))
          : fillBody(mutation.value, context);
        setPath(draft.claims, mutation.claim.split("."), value);
        break;
      }
      case "set-jwt-header":
        draft.jwtHeader = { ...mutation.header };
        break;
      case "raw-authorization":
        draft.authorization = { kind: "raw", value: mutation.value };
        break;
      case "set-query":
        draft.url = setQuery(
          draft.url,
          mutation.name,
          mutation.value === null ? null : fillTemplate(mutation.value, context),
        );
        break;
      default:
        throw new TypeError(`Unknown mutation ${JSON.stringify(mutation)}`);
    }
  }
  return draft;
}

function isAuthorization(header: string): boolean {
  return header.toLowerCase() === "authorization";
}

function setPath(root: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let current: Record<string, unknown> | unknown[] = root;
  for (const [index, segment] of path.entries()) {
    const key: string | number = Array.isArray(current) && /^\d+$/.test(segment)
      ? Number(segment)
      : segment;
    if (index === path.length - 1) {
      (current as Record<string | number, unknown>)[key] = value;
      return;
    }
    const next = (current as Record<string | number, unknown>)[key];
    if (typeof next === "object" && next !== null) current = next as Record<string, unknown>;
    else {
      const created: Record<string, unknown> | unknown[] = /^\d+$/.test(path[index + 1] ?? "")
        ? []
        : {};
      (current as Record<string | number, unknown>)[key] = created;
      current = created;
    }
  }
}

function dropPath(root: Record<string, unknown>, path: readonly string[]): void {
  let current: unknown = root;
  for (const [index, segment] of path.entries()) {
    if (typeof current !== "object" || current === null) return;
    if (index === path.length - 1) {
      if (Array.isArray(current) && /^\d+$/.test(segment)) current.splice(Number(segment), 1);
      else delete (current as Record<string, unknown>)[segment];
      return;
    }
    current = (current as Record<string, unknown>)[segment];
  }
}

/**
 * `url` with query parameter `name` replaced by one `name=value` (appended when absent), or
 * removed when `value` is null. Other parameters keep their exact text.
 */
export function setQuery(url: string, name: string, value: string | null): string {
  const at = url.indexOf("?");
  const base = at < 0 ? url : url.slice(0, at);
  const pairs = at < 0 || at === url.length - 1 ? [] : url.slice(at + 1).split("&");
  const kept: string[] = [];
  let placed = false;
  for (const pair of pairs) {
    const key = decodeURIComponent(pair.split("=")[0] ?? "");
    if (key !== name) kept.push(pair);
    else if (value !== null && !placed) {
      kept.push(`${name}=${encodeQueryValue(value)}`);
      placed = true;
    }
  }
  if (value !== null && !placed) kept.push(`${name}=${encodeQueryValue(value)}`);
  return kept.length === 0 ? base : `${base}?${kept.join("&")}`;
}

/** Percent-encodes a query value but keeps the characters FHIR search values use as written. */
function encodeQueryValue(value: string): string {
  return encodeURIComponent(value).replace(
    /%(2F|3A|7C|2C|40|24)/gi,
    (escape) => decodeURIComponent(escape),
  );
}
