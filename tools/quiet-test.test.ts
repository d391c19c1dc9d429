import assert from "node:assert/strict";
import { isProgressLine, profilesNotice } from "./quiet-test.ts";

Deno.test("isProgressLine: the dot reporter's dots, commas and bangs, coloured or not", () => {
  assert.equal(isProgressLine("\x1b[0m\x1b[38;5;245m.\x1b[0m"), true);
  assert.equal(isProgressLine(".,!"), true);
  assert.equal(isProgressLine(""), false);
  assert.equal(isProgressLine("ok | 3 passed | 0 failed (1s)"), false);
  assert.equal(isProgressLine(" ERRORS "), false);
});

Deno.test("profilesNotice: one line when the package is missing, none when it is there", async () => {
  const dir = await Deno.makeTempDir({ prefix: "gpc-edge-profiles-notice-" });
  try {
    assert.equal(await profilesNotice({ GPC_EDGE_PROFILES: dir }, "/"), undefined);
    const skipped = await profilesNotice({ GPC_EDGE_PROFILES: `${dir}/missing` }, "/");
    assert.match(
      skipped ?? "",
      /^GP Connect profile tests skipped: no profile package at .*\/missing; get /,
    );
    assert.match(skipped ?? "", /GPC_EDGE_PROFILES=DIR/);
    assert.doesNotMatch(skipped ?? "", /\n/);
    const required = await profilesNotice(
      { GPC_EDGE_PROFILES: "missing", GPC_EDGE_REQUIRE_PROFILES: "1" },
      dir,
    );
    assert.match(
      required ?? "",
      /^GPC_EDGE_REQUIRE_PROFILES=1 and no GP Connect profile package at .*\/missing: the profile tests will fail/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
