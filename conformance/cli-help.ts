/**
 * `deno task conformance --help`: every flag, its config-file field and environment variable,
 * generated from the settings table so the help cannot drift from what is parsed.
 *
 * @module
 */
import { configFields } from "./config/config-fields.ts";

const sections: ReadonlyArray<readonly [string, (flag: string) => boolean]> = [
  ["Target", (f) =>
    ["target", "local-direct", "base-url", "ssp-url"].includes(f) ||
    ["foundations", "structured", "documents", "dstu2"].includes(f)],
  ["MESH", (f) => f.startsWith("mesh-") || f === "ack-window-seconds"],
  ["SSP headers and practice", (f) => ["from-asid", "to-asid", "ods-code"].includes(f)],
  ["JWT", (f) =>
    f.startsWith("jwt-") || f.startsWith("org-") || f.startsWith("practitioner") ||
    f.startsWith("sds-") || f.startsWith("device-")],
  [
    "Transport",
    (f) => ["client-cert", "client-key", "ca-cert", "insecure", "timeout-ms"].includes(f),
  ],
  ["Selection", (f) => ["product", "interaction", "tag", "requirement", "id"].includes(f)],
  ["Run and reports", () => true],
];

/** The help text. */
export function helpText(): string {
  const lines = [
    "gpc-edge conformance harness: replays GP Connect scenarios against a provider and writes",
    "certification evidence. With no arguments it runs the whole suite against the local world",
    "(reference provider behind gpc-edge's SSP, started in-process).",
    "",
    "Usage: deno task conformance [flags]",
    "",
    "Sources, lowest precedence first: defaults, the config file, GPC_CONFORMANCE_* environment",
    "variables, flags. Every field is documented in conformance/harness.config.example.json.",
    "",
    "General",
    "  --config FILE            JSON config file (env GPC_CONFORMANCE_CONFIG)",
    "  --list                   print what would run (id, product, interaction, requirements) and",
    "                           the count; no network",
    "  --verbose                one progress line per test instead of dots (the first 20",
    "                           failures are printed as they happen, the rest in the reports)",
    "  --keep-going             run even when the preflight finds the target unreachable or no",
    "                           fixture role ready (default: stop after the preflight, exit 1)",
    "  --evidence failures|all  what the evidence folder keeps of passing tests: failures",
    "                           (default; passes summarized) or all (passes in full, once, in",
    "                           evidence/passed.jsonl.gz); report.json and report.html always",
    "                           hold passes in brief",
    "  --help                   this text",
  ];
  const shown = new Set<string>();
  for (const [title, belongs] of sections) {
    lines.push("", title);
    for (const field of configFields) {
      if (shown.has(field.flag) || !belongs(field.flag)) continue;
      shown.add(field.flag);
      const value = field.kind === "bool" ? "" : field.kind === "list" ? " A,B" : " VALUE";
      lines.push(`  --${(field.flag + value).padEnd(22)} ${field.doc}`);
      lines.push(`  ${"".padEnd(24)} config: ${field.file}; env: ${field.env}`);
    }
  }
  lines.push(
    "",
    "Statuses: pass, fail, error (the harness could not run it), inconclusive (a negative whose",
    "positive twin, the same request without the defect, did not pass), not-run (a fixture role",
    "it needs is not ready), skip (the target lacks a prerequisite).",
    "",
    "Exit status: 0 when nothing failed or errored; 1 when a test failed or errored, the",
    "preflight stopped the run, or nothing passed while tests were not run or inconclusive; 2",
    "when the harness could not run (usage, configuration, scenario files, profiles).",
  );
  return lines.join("\n");
}
