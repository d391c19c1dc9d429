/**
 * `task mesh`: usage problems (exit 2, one line), and the commands end to end against the
 * messaging world with the practice poller running (exit 0 with InfAck 20013 and BusAck 30001;
 * exit 1 for a negative acknowledgement, a MESH report, a timeout or a patient PDS lacks).
 */
import assert from "node:assert/strict";
import { startMessagingWorld } from "../../sandbox/practice-mesh/messaging-test-world.ts";
import { startPracticeMeshPoller } from "../../sandbox/practice-mesh/practice-mesh-poller.ts";
import { meshCli } from "./mesh-cli.ts";

const examplePayload = await Deno.readFile(
  new URL("./examples/blood-pressure.json", import.meta.url),
);
const files: Record<string, Uint8Array> = {
  "report.pdf": new TextEncoder().encode("%PDF-1.4\n% a report\n"),
  "bp.json": examplePayload,
  "bad.json": new TextEncoder().encode('{"no": "resourceType"}'),
};

async function run(args: string[]) {
  const out: string[] = [];
  const error: string[] = [];
  const status = await meshCli(args, {
    out: (line) => out.push(line),
    error: (line) => error.push(line),
    env: {},
    readFile: (path) =>
      path in files
        ? Promise.resolve(files[path]!)
        : Promise.reject(new Deno.errors.NotFound(`no such file: ${path}`)),
  });
  return { status, out, error };
}

Deno.test("mesh --help: usage, commands, flags, environment; exit 0", async () => {
  const { status, out, error } = await run(["--help"]);
  assert.equal(status, 0);
  assert.deepEqual(error, []);
  const help = out.join("\n");
  assert.match(help, /^Usage: deno task mesh send-document --nhs-number NHS --pdf FILE/m);
  for (const text of ["update-record", "--timeout", "--replaces", "MESH_CLIENT_SHARED_KEY"]) {
    assert.ok(help.includes(text), text);
  }
});

Deno.test("mesh: usage problems are one line and exit 2", async () => {
  const cases: Array<[string[], RegExp]> = [
    [[], /a command is required/],
    [["send-doc"], /unknown command "send-doc"/],
    [["send-document", "--pdf", "report.pdf"], /--nhs-number is required/],
    [["send-document", "--nhs-number", "9690937287", "--pdf", "report.pdf"], /not a valid NHS/],
    [["send-document", "--nhs-number", "9690937286"], /--pdf is required/],
    [["send-document", "--nhs-number", "9690937286", "--pdf", "missing.pdf"], /cannot read/],
    [["update-record", "--nhs-number", "9690937286", "--payload", "bad.json"], /resourceType/],
    [
      ["send-document", "--nhs-number", "9690937286", "--pdf", "report.pdf", "--timeout", "0"],
      /--timeout must be a positive number/,
    ],
    [
      [
        "send-document",
        "--nhs-number",
        "9690937286",
        "--pdf",
        "report.pdf",
        "--workflow",
        "GPCONNECT_UPDATE_RECORD",
      ],
      /not a send-document workflow/,
    ],
    [
      ["send-document", "--nhs-number", "9690937286", "--pdf", "report.pdf", "--cert", "c.pem"],
      /--cert and --key go together/,
    ],
    [["send-document", "--nope"], /unknown option --nope/],
  ];
  for (const [args, message] of cases) {
    const { status, out, error } = await run(args);
    assert.equal(status, 2, args.join(" "));
    assert.deepEqual(out, [], args.join(" "));
    assert.equal(error.length, 1, args.join(" "));
    assert.match(error[0]!, /^gpc-edge mesh: /);
    assert.match(error[0]!, message, args.join(" "));
  }
});

Deno.test("mesh send-document and update-record against the world: the acknowledgements, and each failure's exit 1", async () => {
  const world = await startMessagingWorld();
  const endpoints = ["--mesh-url", world.edgeUrl, "--pds-url", world.pdsUrl];
  const quick = [...endpoints, "--timeout", "10", "--poll-interval", "0.05"];
  try {
    // Nobody polls B82617OT1 yet: the acknowledgement never comes.
    const waited = await run([
      "send-document",
      "--nhs-number",
      "9690937286",
      "--pdf",
      "report.pdf",
      ...endpoints,
      "--timeout",
      "0.3",
      "--poll-interval",
      "0.1",
    ]);
    assert.equal(waited.status, 1);
    assert.deepEqual(waited.error, ["gpc-edge mesh: no InfAck within 0.3 s"]);
    await world.mesh("B82617OT1").acknowledge(
      (await world.mesh("B82617OT1").inbox())[0]!,
    );

    const poller = startPracticeMeshPoller({
      meshUrl: world.edgeUrl,
      password: "password",
      sharedKey: "TestKey",
      store: world.store,
      pdsBaseUrl: world.pdsUrl,
      intervalMs: 50,
      logger: { log: (record) => world.logged.push(record) },
    });
    try {
      const sent = await run([
        "send-document",
        "--nhs-number",
        "9690937286",
        "--pdf",
        "report.pdf",
        ...quick,
      ]);
      assert.deepEqual(sent.error, []);
      assert.equal(sent.status, 0);
      assert.match(
        sent.out[1]!,
        /^sent GPCONNECT_SEND_DOCUMENT message \S+ to GPPROVIDER_9690937286_19420203_SKELLY$/,
      );
      assert.deepEqual(sent.out.slice(-2), [
        "InfAck 20013 Success",
        "BusAck 30001 Patient known here",
      ]);
      const documentId = /document (\S+),/.exec(sent.out[2]!)?.[1];
      assert.ok(documentId);

      const replaced = await run([
        "send-document",
        "--nhs-number",
        "9690937286",
        "--pdf",
        "report.pdf",
        "--title",
        "Consultation report (amended)",
        "--replaces",
        documentId,
        "--version",
        "2",
        ...quick,
      ]);
      assert.equal(replaced.status, 0, replaced.error.join("\n"));
      const filed = (await world.store.list<{ description: string; supersededBy?: string }>(
        "provider:B82617:filed-document:",
      )).map((entry) => [entry.value.description, entry.value.supersededBy !== undefined]);
      assert.deepEqual(
        new Map(filed as Array<[string, boolean]>),
        new Map([
          ["Consultation report", true],
          ["Consultation report (amended)", false],
        ]),
      );

      const updated = await run([
        "update-record",
        "--nhs-number",
        "9690937278",
        "--payload",
        "bp.json",
        ...quick,
      ]);
      assert.equal(updated.status, 0, updated.error.join("\n"));
      assert.match(updated.out[1]!, /^sent GPCONNECT_UPDATE_RECORD message /);
      assert.deepEqual(updated.out.slice(-2), [
        "InfAck 20013 Success",
        "BusAck 30001 Patient known here",
      ]);

      const unknown = await run([
        "send-document",
        "--nhs-number",
        "9999999999",
        "--pdf",
        "report.pdf",
        ...quick,
      ]);
      assert.equal(unknown.status, 1);
      assert.deepEqual(unknown.out, []);
      assert.deepEqual(unknown.error, ["gpc-edge mesh: NHS number 9999999999 is not on PDS"]);

      // PDS has the patient but no GP practice: MESH cannot route (EPL-151).
      const unroutable = await run([
        "send-document",
        "--nhs-number",
        "9990000166",
        "--pdf",
        "report.pdf",
        ...quick,
      ]);
      assert.equal(unroutable.status, 1);
      assert.equal(unroutable.out.at(-1), "MESH REPORT EPL-151 No mailbox matched (SEND)");
      assert.deepEqual(unroutable.error, [
        "gpc-edge mesh: MESH could not deliver the message (EPL-151)",
      ]);

      const notHere = await run([
        "send-document",
        "--nhs-number",
        "9990000131",
        "--pdf",
        "report.pdf",
        ...quick,
      ]);
      assert.equal(notHere.status, 1);
      assert.deepEqual(notHere.out.slice(-2), [
        "InfAck 20013 Success",
        "BusAck 30002 Patient not known here: The patient is not known at this practice",
      ]);
      assert.deepEqual(notHere.error, [
        "gpc-edge mesh: the practice answered with a negative acknowledgement",
      ]);
    } finally {
      await poller.stop();
    }
  } finally {
    await world.close();
  }
});
