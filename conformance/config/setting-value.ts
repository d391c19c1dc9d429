/**
 * Parses one setting's raw value (JSON from the config file, text from the environment or a
 * flag) by the kind its field declares, with an error naming the field and its source.
 *
 * @module
 */
import { resolve } from "node:path";
import { isAsid } from "../../gpconnect/ssp-header-rules.ts";
import { ConfigError } from "./config-error.ts";
import type { ConfigField, SettingKey } from "./config-fields.ts";

/** A parsed setting. */
export type SettingValue = string | number | boolean | readonly string[];

/** Settings from one source; later sources override earlier ones key by key. */
export type Settings = Partial<Record<SettingKey, SettingValue>>;

/** Where a raw value came from; used to name the field in errors and to resolve paths. */
export interface SettingSource {
  /** How the user named the field, e.g. `--from-asid`, `GPC_CONFORMANCE_FROM_ASID`. */
  readonly label: string;
  /** Directory relative paths are resolved against. */
  readonly baseDir: string;
}

const ods = /^[A-Z0-9]{3,10}$/;
const instant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const truthy = new Set(["true", "1", "yes", "on"]);
const falsy = new Set(["false", "0", "no", "off", ""]);

/**
 * The parsed value of `raw` for `field`.
 *
 * @example
 * ```ts
 * import { configField } from "./config-fields.ts";
 *
 * parseSetting(configField("timeoutMs"), "5000", { label: "--timeout-ms", baseDir: "." }); // 5000
 * ```
 */
export function parseSetting(
  field: ConfigField,
  raw: unknown,
  source: SettingSource,
): SettingValue {
  const fail = (why: string): never => {
    throw new ConfigError(source.label, `${why} (got ${JSON.stringify(raw)})`);
  };
  switch (field.kind) {
    case "bool":
      if (typeof raw === "boolean") return raw;
      if (typeof raw === "string" && truthy.has(raw.toLowerCase())) return true;
      if (typeof raw === "string" && falsy.has(raw.toLowerCase())) return false;
      return fail("expected true or false");
    case "int": {
      const value = typeof raw === "number" ? raw : typeof raw === "string" ? Number(raw) : NaN;
      if (!Number.isInteger(value) || value < 1) return fail("expected a positive whole number");
      return value;
    }
    case "list": {
      const items = Array.isArray(raw)
        ? raw
        : typeof raw === "string"
        ? [raw]
        : fail("expected a list");
      const flat = items.flatMap((item) =>
        typeof item === "string" ? item.split(",") : fail("expected a list of strings")
      ).map((item) => item.trim()).filter((item) => item !== "");
      const bad = field.values ? flat.filter((item) => !field.values?.includes(item)) : [];
      if (bad.length > 0) {
        fail(`unknown value(s) ${bad.join(", ")}; allowed: ${field.values?.join(", ")}`);
      }
      return flat;
    }
    default:
      break;
  }
  if (typeof raw !== "string" || raw.trim() === "") return fail("expected a non-empty string");
  const text = raw.trim();
  switch (field.kind) {
    case "enum":
      return field.values?.includes(text)
        ? text
        : fail(`expected one of ${field.values?.join(", ")}`);
    case "url":
      return isHttpUrl(text) ? text.replace(/\/+$/, "") : fail("expected an http(s) URL");
    case "asid":
      return isAsid(text) ? text : fail("expected an ASID (1 to 12 digits)");
    case "ods":
      return ods.test(text) ? text : fail("expected an ODS code (upper-case letters and digits)");
    case "instant":
      return instant.test(text) && !Number.isNaN(Date.parse(text))
        ? new Date(text).toISOString()
        : fail("expected an ISO 8601 instant with a zone, e.g. 2026-11-23T10:00:00Z");
    case "path":
      return resolvePath(source.baseDir, text);
    default:
      return text;
  }
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}

/** `path` made absolute against `baseDir`, normalised. */
export function resolvePath(baseDir: string, path: string): string {
  return resolve(baseDir, path);
}
