/**
 * The harness's validator checked against NHS England's own examples (issue 14): every JSON and
 * XML example payload of GP Connect 1.6 (`../shared/gpconnect-examples-1.6.2/`, NHS data read at
 * run time, never copied) validated against the GP Connect profile package, and a report of which
 * pass and why the others fail. Each failing example's errors are grouped by rule and path, and
 * each group is attributed from `example-findings.ts`: an error of the example itself (with why),
 * or unexplained (a validator bug to fix until none is left).
 *
 * ```sh
 * deno task examples-report [--examples <dir>] [--profiles <dir>] [--markdown]
 * ```
 *
 * @module
 */
import { fhirXmlToJson } from "../../conformance/validation/fhir-xml.ts";
import { loadProfileValidator } from "../../conformance/validation/profile-validator.ts";
import type { ValidationMessage } from "../../conformance/model.ts";
import { explainFinding } from "./example-findings.ts";

/** One example's outcome. */
export interface ExampleOutcome {
  /** Path relative to the examples directory. */
  readonly file: string;
  readonly resourceType: string;
  /** Errors found, grouped: `rule path-without-indexes: message` → count. */
  readonly errors: readonly ExampleError[];
  /** Number of warnings. */
  readonly warnings: number;
  /** True when every error is explained as the example's own. */
  readonly explained: boolean;
}

/** A group of errors of one example. */
export interface ExampleError {
  readonly rule: string;
  readonly path: string;
  readonly message: string;
  readonly count: number;
  /** Why it is the example's error, or undefined when unexplained (a validator bug to fix). */
  readonly exampleError?: string;
}

async function filesUnder(dir: string, prefix = ""): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(`${dir}/${prefix}`)) {
    const name = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory) found.push(...await filesUnder(dir, name));
    else if (/\.(json|xml)$/i.test(entry.name)) found.push(name);
  }
  return found.sort();
}

const unindexed = (path: string) => path.replace(/\[\d+\]/g, "");

function group(file: string, messages: readonly ValidationMessage[]): ExampleError[] {
  const groups = new Map<string, ExampleError>();
  for (const m of messages.filter((m) => m.severity === "error")) {
    const path = unindexed(m.path);
    const message = m.message.replace(/\[\d+\]/g, "").replace(/\s+/g, " ");
    const key = `${m.rule} ${path} ${message}`;
    const seen = groups.get(key);
    if (seen) groups.set(key, { ...seen, count: seen.count + 1 });
    else {
      const why = explainFinding(file, m.rule, path, message);
      groups.set(key, {
        rule: m.rule,
        path,
        message,
        count: 1,
        ...(why === undefined ? {} : { exampleError: why }),
      });
    }
  }
  return [...groups.values()];
}

/** Validates every example under `examplesDir` against the package in `profilesDir`. */
export async function validateExamples(
  examplesDir: string,
  profilesDir: string,
): Promise<ExampleOutcome[]> {
  const validator = await loadProfileValidator(profilesDir);
  const outcomes: ExampleOutcome[] = [];
  for (const file of await filesUnder(examplesDir)) {
    // The pages include the payloads through Jekyll `{% highlight json %}` wrappers.
    const text = (await Deno.readTextFile(`${examplesDir}/${file}`))
      .replace(/^\s*\{%[^%]*%\}\s*$/gm, "");
    let resource: unknown;
    try {
      resource = file.endsWith(".xml") ? fhirXmlToJson(text) : JSON.parse(text);
    } catch (error) {
      const message = `unreadable: ${(error as Error).message}`.replace(/\s+/g, " ");
      const why = explainFinding(file, "structure", file, message);
      const errors = [{
        rule: "structure",
        path: file,
        message,
        count: 1,
        ...(why === undefined ? {} : { exampleError: why }),
      }];
      outcomes.push({
        file,
        resourceType: "?",
        errors,
        warnings: 0,
        explained: why !== undefined,
      });
      continue;
    }
    const messages = validator.validate(resource);
    const errors = group(file, messages);
    outcomes.push({
      file,
      resourceType: String((resource as { resourceType?: unknown }).resourceType ?? "?"),
      errors,
      warnings: messages.filter((m) => m.severity === "warning").length,
      explained: errors.every((e) => e.exampleError !== undefined),
    });
  }
  return outcomes;
}

/** The report as Markdown: a summary table, then each failing example's error groups. */
export function examplesMarkdown(outcomes: readonly ExampleOutcome[]): string {
  const passed = outcomes.filter((o) => o.errors.length === 0);
  const explained = outcomes.filter((o) => o.errors.length > 0 && o.explained);
  const unexplained = outcomes.filter((o) => !o.explained);
  const byFolder = new Map<string, [number, number, number]>();
  for (const o of outcomes) {
    const folder = o.file.split("/")[0] ?? "";
    const row = byFolder.get(folder) ?? [0, 0, 0];
    row[o.errors.length === 0 ? 0 : o.explained ? 1 : 2]++;
    byFolder.set(folder, row);
  }
  const lines = [
    "| Examples folder | Valid | Example's own errors | Unexplained |",
    "| --- | --- | --- | --- |",
    ...[...byFolder].map(([folder, [a, b, c]]) => `| ${folder} | ${a} | ${b} | ${c} |`),
    `| **all ${outcomes.length}** | **${passed.length}** | **${explained.length}** | **${unexplained.length}** |`,
    "",
  ];
  for (const o of outcomes.filter((o) => o.errors.length > 0)) {
    lines.push(`- \`${o.file}\` (${o.resourceType}):`);
    for (const e of o.errors) {
      const why = e.exampleError ? ` — example's error: ${e.exampleError}` : " — UNEXPLAINED";
      lines.push(`  - ${e.rule} \`${e.path}\` ×${e.count}: ${e.message}${why}`);
    }
  }
  return lines.join("\n");
}

if (import.meta.main) {
  const args = [...Deno.args];
  const option = (name: string, fallback: string) => {
    const at = args.indexOf(name);
    return at >= 0 && args[at + 1] !== undefined ? args[at + 1] as string : fallback;
  };
  const examples = option("--examples", "../shared/gpconnect-examples-1.6.2");
  const profiles = option("--profiles", "../shared/fhir/gpconnect-fhir-1.5.0");
  const outcomes = await validateExamples(examples, profiles);
  console.log(examplesMarkdown(outcomes));
  Deno.exit(outcomes.every((o) => o.explained) ? 0 : 1);
}
