/** The README documents every variable gpc-edge, the sandboxes and the tools read, and every task. */
import assert from "node:assert/strict";
import { configVariables } from "../worker/deno.ts";
import { sandboxPortVariables } from "../sandbox/start-settings.ts";

const readme = await Deno.readTextFile(new URL("../README.md", import.meta.url));
const denoJson = JSON.parse(await Deno.readTextFile(new URL("../deno.json", import.meta.url)));

Deno.test("the README's Configuration lists every GPC_EDGE_* variable of the config, sandboxes and tools", () => {
  const section = readme.slice(readme.indexOf("## Configuration"));
  const names = [
    ...configVariables.map((variable) => variable.name),
    ...sandboxPortVariables.map((variable) => variable.name),
    "GPC_EDGE_WRANGLER_PORT",
    "GPC_EDGE_PROFILES",
    "GPC_EDGE_REQUIRE_PROFILES",
  ];
  assert.ok(names.length > 20);
  const missing = names.filter((name) => !section.includes(`| \`${name}\``));
  assert.deepEqual(missing, []);
});

Deno.test("the README names every task of deno.json and /_health", () => {
  const missing = Object.keys(denoJson.tasks).filter((task) =>
    !new RegExp(`task (-q )?${task}\\b`).test(readme)
  );
  assert.deepEqual(missing, []);
  assert.match(readme, /GET \/_health/);
});
