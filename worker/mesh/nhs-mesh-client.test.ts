/**
 * NHS England's own npm MESH client (nhs-mesh-client 1.0.9, unmodified) against gpc-edge's MESH
 * service on a real socket: handshake, send, a 3-chunk gzip send, inbox, byte-identical
 * downloads, acknowledge, tracking and endpoint lookup (mesh.md §9). The package only loads under
 * Node (see nhs-mesh-client-node.mjs), so each step runs there as a subprocess.
 */
import assert from "node:assert/strict";
import clientPackage from "nhs-mesh-client/package.json" with { type: "json" };
import { serveMeshOnLoopback } from "../testing/mesh-loopback.ts";

const driver = new URL("./nhs-mesh-client-node.mjs", import.meta.url).pathname;
const sender = { mailboxID: "A11111OT1", mailboxPassword: "password", sharedKey: "TestKey" };
const practice = { mailboxID: "B82617OT1", mailboxPassword: "password", sharedKey: "TestKey" };
/** The workflow NHS's npm client hard-codes for chunked sends (and defaults to otherwise). */
const npmClientWorkflow = "API-DOCS-TEST";

interface DriverResult {
  readonly status: number | null;
  readonly data?: unknown;
  readonly headers?: Record<string, string>;
  readonly error?: string;
}

/** NHS's client in one Node process: one command per call, answered in order. */
function startNhsClient() {
  const child = new Deno.Command("node", {
    args: ["--no-warnings", driver],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    env: { LOG_LEVEL: "SILENT" },
  }).spawn();
  const writer = child.stdin.getWriter();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const stderr = new Response(child.stderr).text();
  let buffered = "";
  const nextLine = async (): Promise<string | undefined> => {
    for (let reads = 0; reads < 100_000; reads++) {
      const newline = buffered.indexOf("\n");
      if (newline >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        return line;
      }
      const { done, value } = await lines.read();
      if (done) return undefined;
      buffered += value;
    }
    throw new Error("no line from the NHS client");
  };
  return {
    async run(args: Record<string, unknown>): Promise<DriverResult> {
      await writer.write(new TextEncoder().encode(JSON.stringify(args) + "\n"));
      const line = await nextLine();
      if (line === undefined || !line.startsWith("RESULT ")) {
        await writer.close().catch(() => {});
        throw new Error(`NHS client ${args.op} ended: ${(await stderr).slice(-2000)}`);
      }
      return JSON.parse(line.slice("RESULT ".length));
    },
    async close() {
      await writer.close().catch(() => {});
      await lines.cancel();
      await child.status;
      await stderr;
    },
  };
}

/** ASCII CSV (never valid JSON, so axios keeps it as text) of exactly `size` bytes. */
function csv(size: number): Uint8Array {
  const lines = ["ODS_CODE,NAME,POSTCODE"];
  let length = lines[0]!.length + 1;
  for (let i = 0; length < size; i++) {
    const line = `B${String(i).padStart(5, "0")},Practice number ${i},LS${i % 99} ${i % 9}AB`;
    lines.push(line);
    length += line.length + 1;
  }
  return new TextEncoder().encode(lines.join("\n") + "\n").slice(0, size);
}

Deno.test("NHS's npm MESH client against gpc-edge: send, 3-chunk send, inbox, download, ack, tracking, lookup", async () => {
  assert.equal(clientPackage.version, "1.0.9");
  const mesh = await serveMeshOnLoopback({
    grant: [
      { mailbox: "A11111OT1", send: [npmClientWorkflow] },
      { mailbox: "B82617OT1", receive: [npmClientWorkflow] },
    ],
  });
  const dir = await Deno.makeTempDir({ prefix: "gpc-edge-nhs-mesh-client-" });
  const client = startNhsClient();
  const nhsClient = client.run;
  try {
    const url = mesh.url;
    for (const mailbox of [sender, practice]) {
      const handshake = await nhsClient({ op: "handshake", url, ...mailbox });
      assert.equal(handshake.status, 200, JSON.stringify(handshake));
    }

    const single = csv(4_000);
    await Deno.writeFile(`${dir}/single.csv`, single);
    const sent = await nhsClient({
      op: "send",
      url,
      ...sender,
      to: "B82617OT1",
      workflowId: "GPCONNECT_SEND_DOCUMENT",
      fileName: "single.csv",
      file: `${dir}/single.csv`,
    });
    assert.equal(sent.status, 202, JSON.stringify(sent));
    const singleId = (sent.data as { message_id: string }).message_id;
    assert.match(singleId, /^[0-9]{20}_[0-9A-F]{6}$/);

    // The npm client cuts 10 MiB chunks: 20 MiB and a bit is three chunks.
    const large = csv(20 * 1024 * 1024 + 54_321);
    await Deno.writeFile(`${dir}/large.csv`, large);
    const chunked = await nhsClient({
      op: "sendChunked",
      url,
      ...sender,
      to: "B82617OT1",
      file: `${dir}/large.csv`,
    });
    assert.equal(chunked.status, 202, JSON.stringify(chunked));
    const chunkedId = (chunked.data as { message_id: string }).message_id;
    const upload = mesh.logged.filter((l) => l.endpoint === "send.chunk");
    assert.equal(upload.length, 2, "chunks 2 and 3 were uploaded separately");

    const inbox = await nhsClient({ op: "count", url, ...practice });
    assert.equal(inbox.status, 200);
    const listing = inbox.data as { messages: string[]; approx_inbox_count: number };
    assert.deepEqual([...listing.messages].sort(), [singleId, chunkedId].sort());
    assert.equal(listing.approx_inbox_count, 2);

    for (const [id, bytes, status] of [[singleId, single, 200], [chunkedId, large, 206]] as const) {
      const read = await nhsClient({
        op: "read",
        url,
        ...practice,
        messageID: id,
        file: `${dir}/${id}`,
      });
      assert.equal(read.status, status, JSON.stringify(read).slice(0, 500));
      const downloaded = await Deno.readFile(`${dir}/${id}`);
      assert.equal(downloaded.length, bytes.length, id);
      assert.ok(downloaded.every((b, i) => b === bytes[i]), `${id} is byte-identical`);
      const ack = await nhsClient({ op: "ack", url, ...practice, messageID: id });
      assert.equal(ack.status, 200, JSON.stringify(ack));
    }
    const downloads = mesh.logged.filter((l) => l.endpoint === "inbox.download");
    assert.equal(
      downloads.length,
      4,
      "one request for the single message, three for the chunked one",
    );

    const after = await nhsClient({ op: "count", url, ...practice });
    assert.deepEqual((after.data as { messages: string[] }).messages, []);

    for (const id of [singleId, chunkedId]) {
      const tracking = await nhsClient({ op: "tracking", url, ...sender, messageID: id });
      assert.equal(tracking.status, 200, JSON.stringify(tracking));
      const info = tracking.data as Record<string, unknown>;
      assert.equal(info.message_id, id);
      assert.equal(info.status, "acknowledged");
      assert.equal(info.recipient, "B82617OT1");
    }
    const notSender = await nhsClient({ op: "tracking", url, ...practice, messageID: singleId });
    assert.equal(notSender.status, 404);

    const lookup = await nhsClient({
      op: "lookup",
      url,
      ...sender,
      odsCode: "B82617",
      workflowId: "GPCONNECT_SEND_DOCUMENT",
    });
    assert.equal(lookup.status, 200);
    assert.deepEqual(
      (lookup.data as { results: Array<{ mailbox_id: string }> }).results.map((r) => r.mailbox_id),
      ["B82617OT1"],
    );
  } finally {
    await client.close();
    await mesh.close();
    await Deno.remove(dir, { recursive: true });
  }
});
