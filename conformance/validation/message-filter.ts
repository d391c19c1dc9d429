/**
 * Working with validation messages: group them (rule, profile, path without indexes) with counts,
 * filter them (severity, rule, path glob), and apply the suite's allow-list
 * (`specs/validation-allowlist.json`: a JSON array of `{ rule, path, profile?, reason }`, each a
 * justified exception versioned with the suite; an entry with no match is reported as unused).
 *
 * Path globs match the path with indexes removed: `*` is any run of characters but `.`, `**` any
 * run including `.`, `?` one character. E.g. `Bundle.entry.resource.total`,
 * `Bundle.**.extension.url`, `*.meta.profile`.
 *
 * @module
 */
import type { ValidationMessage } from "../model.ts";

/** A message severity. */
export type Severity = ValidationMessage["severity"];

/** One allow-list entry. */
export interface AllowListEntry {
  /** The rule it allows (`cardinality`, `binding`, …). */
  readonly rule: string;
  /** Path glob (indexes removed before matching). */
  readonly path: string;
  /** Only messages against this profile URL. */
  readonly profile?: string;
  /** Why it is allowed: the spec page, issue or decision. Required. */
  readonly reason: string;
}

/** Messages of one (rule, profile, normalised path). */
export interface MessageGroup {
  readonly rule: string;
  readonly profile: string | undefined;
  readonly path: string;
  /** The most severe severity in the group. */
  readonly severity: Severity;
  readonly count: number;
  /** Distinct message texts, in first-seen order. */
  readonly messages: readonly string[];
}

/** The suite's allow-list file. */
export const defaultAllowListUrl: URL = new URL(
  "../../specs/validation-allowlist.json",
  import.meta.url,
);

const rank: Readonly<Record<Severity, number>> = { error: 2, warning: 1, information: 0 };

/** A path without its indexes: `Bundle.entry[2].resource.name[0]` → `Bundle.entry.resource.name`. */
export function normalisePath(path: string): string {
  return path.replace(/\[\d+\]/g, "");
}

/** Groups messages by (rule, profile, normalised path), most severe and most frequent first. */
export function groupMessages(messages: readonly ValidationMessage[]): MessageGroup[] {
  const groups = new Map<string, MessageGroup & { messages: string[] }>();
  for (const m of messages) {
    const path = normalisePath(m.path);
    const key = JSON.stringify([m.rule, m.profile ?? null, path]);
    const group = groups.get(key);
    if (!group) {
      groups.set(key, {
        rule: m.rule,
        profile: m.profile,
        path,
        severity: m.severity,
        count: 1,
        messages: [m.message],
      });
      continue;
    }
    const severity = rank[m.severity] > rank[group.severity] ? m.severity : group.severity;
    if (!group.messages.includes(m.message)) group.messages.push(m.message);
    groups.set(key, { ...group, severity, count: group.count + 1 });
  }
  return [...groups.values()].sort((a, b) =>
    rank[b.severity] - rank[a.severity] || b.count - a.count || a.path.localeCompare(b.path)
  );
}

/** A path glob as a regular expression over normalised paths. */
export function pathGlob(glob: string): RegExp {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === "*" && glob[i + 1] === "*") {
      source += ".*";
      i++;
    } else if (c === "*") source += "[^.]*";
    else if (c === "?") source += ".";
    else source += c.replace(/[\\^$.|+()[\]{}]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}

/** What {@linkcode filterMessages} keeps; every given criterion must hold. */
export interface MessageFilter {
  /** Severities to keep (one or several). */
  readonly severity?: Severity | readonly Severity[];
  /** Rules to keep. */
  readonly rule?: string | readonly string[];
  /** Path glob. */
  readonly path?: string;
}

const asList = <T>(value: T | readonly T[]): readonly T[] =>
  Array.isArray(value) ? value : [value as T];

/**
 * The messages matching a filter.
 *
 * @example
 * ```ts
 * import type { ValidationMessage } from "../model.ts";
 *
 * const messages: ValidationMessage[] = [
 *   { severity: "error", rule: "cardinality", path: "Bundle.entry[0].resource.name", message: "missing" },
 * ];
 *
 * filterMessages(messages, { severity: "error", path: "Bundle.entry.resource.**" });
 * ```
 */
export function filterMessages(
  messages: readonly ValidationMessage[],
  filter: MessageFilter,
): ValidationMessage[] {
  const severities = filter.severity === undefined ? undefined : asList(filter.severity);
  const rules = filter.rule === undefined ? undefined : asList(filter.rule);
  const glob = filter.path === undefined ? undefined : pathGlob(filter.path);
  return messages.filter((m) =>
    (!severities || severities.includes(m.severity)) &&
    (!rules || rules.includes(m.rule)) &&
    (!glob || glob.test(normalisePath(m.path)))
  );
}

/**
 * Checks the shape of an allow-list.
 *
 * @throws {TypeError} naming the first bad entry.
 */
export function parseAllowList(json: unknown, source = "allow-list"): AllowListEntry[] {
  if (!Array.isArray(json)) throw new TypeError(`${source}: must be a JSON array`);
  return json.map((entry, i) => {
    const e = entry as Record<string, unknown> | null;
    const text = (key: string) => typeof e?.[key] === "string" && (e[key] as string).trim() !== "";
    if (!e || typeof e !== "object" || !text("rule") || !text("path") || !text("reason")) {
      throw new TypeError(`${source}[${i}]: needs non-empty string rule, path and reason`);
    }
    if (e.profile !== undefined && !text("profile")) {
      throw new TypeError(`${source}[${i}]: profile must be a non-empty string`);
    }
    const known = new Set(["rule", "path", "profile", "reason"]);
    const extra = Object.keys(e).find((key) => !known.has(key));
    if (extra) throw new TypeError(`${source}[${i}]: unknown property ${extra}`);
    return {
      rule: e.rule as string,
      path: e.path as string,
      ...(e.profile === undefined ? {} : { profile: e.profile as string }),
      reason: e.reason as string,
    };
  });
}

/** Reads and checks an allow-list file (default: the suite's). */
export async function loadAllowList(file: string | URL = defaultAllowListUrl) {
  const text = await Deno.readTextFile(file);
  return parseAllowList(JSON.parse(text), String(file));
}

/** The result of {@linkcode applyAllowList}. */
export interface AllowListResult {
  /** Messages no entry allows. */
  readonly kept: ValidationMessage[];
  /** Messages an entry allows, with the entry. */
  readonly allowed: { readonly message: ValidationMessage; readonly entry: AllowListEntry }[];
  /** Entries that allowed nothing (candidates for removal). */
  readonly unused: AllowListEntry[];
}

/** Splits messages into those the allow-list allows and the rest. */
export function applyAllowList(
  messages: readonly ValidationMessage[],
  entries: readonly AllowListEntry[],
): AllowListResult {
  const compiled = entries.map((entry) => ({ entry, glob: pathGlob(entry.path) }));
  const used = new Set<AllowListEntry>();
  const kept: ValidationMessage[] = [];
  const allowed: AllowListResult["allowed"] = [];
  for (const message of messages) {
    const path = normalisePath(message.path);
    const match = compiled.find(({ entry, glob }) =>
      entry.rule === message.rule && glob.test(path) &&
      (entry.profile === undefined || entry.profile === message.profile)
    );
    if (match) {
      used.add(match.entry);
      allowed.push({ message, entry: match.entry });
    } else kept.push(message);
  }
  return { kept, allowed, unused: entries.filter((e) => !used.has(e)) };
}
