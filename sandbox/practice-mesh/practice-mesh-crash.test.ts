/**
 * A poller killed mid-message (SIGKILL of a real process over a Deno KV file), then a new poller
 * over the same store: the message is filed once, the sender gets one InfAck and one BusAck, and
 * the MESH message is acknowledged.
 */
import assert from "node:assert/strict";
import { sendGpConnectMessage } from "../../client/mesh-sender/gp-connect-send.ts";
import { tracePatient } from "../../client/mesh-sender/pds-patient-trace.ts";
import { readItkResponse } from "../../gpconnect/itk/itk-response-read.ts";
import { startMessagingWorld } from "./messaging-test-world.ts";
import { processingStates } from "./processing-state.ts";

const repoRoot = new URL("../../", import.meta.url).pathname;
const crashPoller = new URL("./practice-mesh-crash-poller.ts", import.meta.url).pathname;

/** Starts the poller process; resolves once it prints that it reached `step`, then kills it. */
async function runUntilKilled(args: string[], step: string): Promise<void> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", crashPoller, ...args, step],
    cwd: repoRoot,
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let output = "";
  try {
    // Bounded: the process either prints the line or ends.
    for (let reads = 0; reads < 1000 && !output.includes("\n"); reads++) {
      const { done, value } = await reader.read();
      if (done) break;
      output += value;
    }
  } finally {
    if (output.trim() === `reached ${step}`) child.kill("SIGKILL");
    await reader.cancel();
    await child.status;
  }
  assert.equal(output.trim(), `reached ${step}`);
}

for (const step of ["filed", "infAck-sent"]) {
  Deno.test(`a poller killed after '${step}' files once and acknowledges once when restarted`, async () => {
    const dir = await Deno.makeTempDir({ prefix: "gpc-edge-practice-crash-" });
    const kvPath = `${dir}/provider.sqlite`;
    const world = await startMessagingWorld({ kvPath });
    try {
      const consumer = world.mesh("A11111OT1");
      const sent = await sendGpConnectMessage(consumer, {
        mailboxId: "A11111OT1",
        odsCode: "A11111",
        organizationName: "A11111 consumer organisation",
        practitioner: { family: "Clinician", given: ["Jo"] },
      }, {
        product: "send-document",
        patient: await tracePatient("9690937286", { pdsBaseUrl: world.pdsUrl }),
        title: "Consultation report",
        attachments: [{
          contentType: "application/pdf",
          data: new TextEncoder().encode("%PDF-1.4 crash test"),
          title: "Consultation report",
        }],
      }, { now: () => new Date(), newId: () => crypto.randomUUID() });

      await runUntilKilled([world.edgeUrl, world.pdsUrl, kvPath], step);
      const states = processingStates(world.store, "B82617");
      const before = await states.get(sent.meshMessageId);
      assert.ok(before?.filing?.filedAt, "killed after filing");
      assert.equal(before.acknowledgedAt, undefined, "killed before the MESH acknowledge");
      assert.deepEqual(await world.mesh("B82617OT1").inbox(), [sent.meshMessageId]);

      const processed = await world.poller({ mailboxes: ["B82617OT1"] }).pollOnce();
      assert.deepEqual(processed.map((p) => [p.infAck, p.busAck]), [["20013", "30001"]]);
      const after = await states.get(sent.meshMessageId);
      assert.equal(after?.filing?.filedAt, before.filing.filedAt, "not filed again");
      assert.equal(after?.infAck.sentMessageId !== undefined, true);
      assert.equal((await world.store.list("provider:B82617:filed-document:")).length, 1);
      assert.deepEqual(await world.mesh("B82617OT1").inbox(), [], "acknowledged");
      assert.deepEqual(await world.poller({ mailboxes: ["B82617OT1"] }).pollOnce(), []);

      const codes: string[] = [];
      for (const id of await consumer.inbox()) {
        const body = (await consumer.downloadBytes(id)).body;
        const read = readItkResponse(new TextDecoder().decode(body));
        assert.ok(read.ok);
        assert.equal(read.response.respondsTo, sent.ids.messageHeaderId);
        codes.push(read.response.code);
      }
      assert.deepEqual(codes.sort(), ["20013", "30001"], "one InfAck and one BusAck");
    } finally {
      await world.close();
      await Deno.remove(dir, { recursive: true });
    }
  });
}
