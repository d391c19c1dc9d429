/**
 * A practice poller process for the crash test (practice-mesh-crash.test.ts): one poll over the
 * provider store in the Deno KV file `Deno.args[2]`, against MESH at `Deno.args[0]` and PDS at
 * `Deno.args[1]`. When processing reaches the step `Deno.args[3]` (e.g. `filed`) it prints
 * `reached {step}` and waits forever, so the test can SIGKILL it at exactly that point.
 *
 * @module
 */
import { denoKvProviderStore } from "../provider/provider-store.ts";
import { createPracticeMeshPoller } from "./practice-mesh-poller.ts";

const [meshUrl, pdsBaseUrl, kvPath, stopAt] = Deno.args;
if (!meshUrl || !pdsBaseUrl || !kvPath || !stopAt) {
  throw new Error("usage: practice-mesh-crash-poller.ts <mesh url> <pds url> <kv file> <step>");
}
const kv = await Deno.openKv(kvPath);
const poller = createPracticeMeshPoller({
  meshUrl,
  pdsBaseUrl,
  password: "password",
  sharedKey: "TestKey",
  store: denoKvProviderStore(kv),
  mailboxes: ["B82617OT1"],
  logger: { log: () => {} },
  afterStep: async (step) => {
    if (step !== stopAt) return;
    console.log(`reached ${step}`);
    await new Promise(() => {});
  },
});
await poller.pollOnce();
console.log("finished without reaching the step");
kv.close();
