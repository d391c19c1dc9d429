/**
 * `deno task mesh send-document|update-record …`: the consumer's sender (issue 11 item 1). It
 * traces the patient on PDS, sends the GP Connect message over MESH addressed to the patient's
 * practice (gp-connect-send.ts), then waits for and prints the acknowledgements
 * (acknowledgements.ts).
 *
 * Exit status: 0 when the InfAck (20013) and the BusAck (30001) came; 1 when one is negative, a
 * MESH REPORT came instead, they did not come within `--timeout`, or PDS, MESH or a file failed;
 * 2 for a usage problem. Problems are one line on stderr.
 *
 * @module
 */
import { isValidNhsNumber } from "../../gpconnect/nhs-number.ts";
import { gpConnectWorkflows, type MeshProduct } from "../../gpconnect/mesh/mesh-workflows.ts";
import mailboxesDoc from "../../specs/mesh-mailboxes.json" with { type: "json" };
import { parseCommandLine, problemLine, UsageError } from "../command-line.ts";
import { createMeshClient } from "../mesh/mesh-client.ts";
import { meshTlsFetch } from "../mesh/mesh-tls.ts";
import { type Acknowledgements, awaitAcknowledgements } from "./acknowledgements.ts";
import { sendGpConnectMessage } from "./gp-connect-send.ts";
import { tracePatient } from "./pds-patient-trace.ts";
import { clinicalResourcesOf, describeResponse } from "./mesh-cli-support.ts";

const program = "gpc-edge mesh";

/** The `--help` text. */
export const meshHelp =
  `Sends a GP Connect message over MESH to the patient's GP practice and waits for
its ITK3 acknowledgements.

Usage: deno task mesh send-document --nhs-number NHS --pdf FILE [flags]
       deno task mesh update-record --nhs-number NHS --payload FILE [flags]

Commands:
  send-document   Send Document (event ITK007C, workflow GPCONNECT_SEND_DOCUMENT)
  update-record   Update Record (event ITK014M, workflow GPCONNECT_UPDATE_RECORD)

Flags:
  --nhs-number NHS      the patient; traced on PDS first (name and date of birth come from PDS)
  --pdf FILE            send-document: the PDF to send
  --replaces ID         send-document: the document identifier this document replaces
  --payload FILE        update-record: FHIR STU3 JSON — a resource, an array of resources or a
                        Bundle whose entries are the clinical resources (Encounter, Observation…)
  --title TEXT          document title (default "Consultation report" / "Pharmacy consultation")
  --from-mailbox ID     sending MESH mailbox (default A11111OT1)
  --sender-ods CODE     sender's ODS code (default: the mailbox's in specs/mesh-mailboxes.json)
  --sender-name TEXT    sender's organisation name (default: likewise)
  --author "GIVEN FAMILY"  the author (default "Jo Clinician")
  --workflow ID         workflow (default the command's; GPFED_CONSULT_REPORT for Send Document v1)
  --version N           the document's version in Mex-Subject (default 1)
  --confidential        a confidential consultation (confidentiality R; no location in the subject)
  --mesh-url URL        MESH root, paths /messageexchange/… (default http://127.0.0.1:8080)
  --pds-url URL         PDS FHIR R4 base (default http://127.0.0.1:8081)
  --timeout SECONDS     how long to wait for the acknowledgements (default 60)
  --poll-interval SECONDS  between inbox polls (default 1)
  --cert FILE --key FILE   client certificate and key (PEM) for a MESH with mutual TLS
  --ca FILE             CA certificate (PEM) to trust for MESH
  -h, --help            this text

Environment variables:
  MESH_CLIENT_PASSWORD    the mailbox password (default "password", the local world's)
  MESH_CLIENT_SHARED_KEY  MESH's shared key (default "TestKey", the local world's)

Exit status: 0 InfAck 20013 and BusAck 30001; 1 a negative acknowledgement, a MESH report, no
acknowledgement within --timeout, or PDS/MESH unreachable; 2 a usage problem.

Example:
  deno task mesh send-document --nhs-number 9690937286 --pdf report.pdf`;

/** Where the CLI reads and writes. */
export interface MeshCliIo {
  /** Writes one line of output. */
  readonly out: (line: string) => void;
  /** Writes one line of error output. */
  readonly error: (line: string) => void;
  /** The environment (`GPC_EDGE_*` variables). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Reads a file named on the command line (`--pdf`). */
  readonly readFile: (path: string) => Promise<Uint8Array>;
}

const options = {
  "nhs-number": { type: "string" },
  pdf: { type: "string" },
  replaces: { type: "string" },
  payload: { type: "string" },
  title: { type: "string" },
  "from-mailbox": { type: "string" },
  "sender-ods": { type: "string" },
  "sender-name": { type: "string" },
  author: { type: "string" },
  workflow: { type: "string" },
  version: { type: "string" },
  confidential: { type: "boolean" },
  "mesh-url": { type: "string" },
  "pds-url": { type: "string" },
  timeout: { type: "string" },
  "poll-interval": { type: "string" },
  cert: { type: "string" },
  key: { type: "string" },
  ca: { type: "string" },
} as const;

/**
 * Runs the CLI; resolves with the exit status.
 *
 * @example
 * ```ts
 * const status = await meshCli(["--help"], {
 *   out: () => {}, error: () => {}, env: {}, readFile: (path) => Deno.readFile(path),
 * });
 * ```
 */
export async function meshCli(args: readonly string[], io: MeshCliIo): Promise<number> {
  let request;
  try {
    const line = parseCommandLine(args, { options, maxPositionals: 1 });
    if (line.help) {
      io.out(meshHelp);
      return 0;
    }
    request = await readRequest(line.positionals[0], line.values, io);
  } catch (error) {
    io.error(problemLine(program, error));
    return 2;
  }
  try {
    return await run(request, io);
  } catch (error) {
    io.error(problemLine(program, error));
    return 1;
  }
}

type Values = Readonly<Record<string, string | boolean | string[] | undefined>>;
type CliRequest = Awaited<ReturnType<typeof readRequest>>;

async function readRequest(command: string | undefined, values: Values, io: MeshCliIo) {
  const text = (name: string) => typeof values[name] === "string" ? values[name] : undefined;
  if (command !== "send-document" && command !== "update-record") {
    throw new UsageError(
      command === undefined
        ? "a command is required: send-document or update-record (see --help)"
        : `unknown command ${JSON.stringify(command)} (send-document or update-record)`,
    );
  }
  const product: MeshProduct = command;
  const nhsNumber = text("nhs-number");
  if (!nhsNumber) throw new UsageError("--nhs-number is required");
  if (!isValidNhsNumber(nhsNumber)) throw new UsageError(`not a valid NHS number: ${nhsNumber}`);
  const workflowId = text("workflow");
  if (
    workflowId !== undefined &&
    !gpConnectWorkflows.some((w) => w.id === workflowId && w.product === product && w.ack)
  ) {
    throw new UsageError(`--workflow ${workflowId} is not a ${product} workflow`);
  }
  /** `--name` in milliseconds; `fallbackSeconds` when absent. */
  const seconds = (name: string, fallbackSeconds: number) => {
    const value = text(name);
    if (value === undefined) return fallbackSeconds * 1000;
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed <= 0) {
      throw new UsageError(`--${name} must be a positive number of seconds`);
    }
    return parsed * 1000;
  };
  const fromMailbox = (text("from-mailbox") ?? "A11111OT1").toUpperCase();
  const listed = mailboxesDoc.mailboxes.find((mailbox) => mailbox.id === fromMailbox);
  const senderOds = text("sender-ods") ?? listed?.odsCode;
  if (!senderOds) throw new UsageError(`--sender-ods is required for mailbox ${fromMailbox}`);
  const author = (text("author") ?? "Jo Clinician").trim().split(/\s+/);
  const file = async (flag: string) => {
    const path = text(flag);
    if (!path) throw new UsageError(`--${flag} is required for ${command}`);
    try {
      return await io.readFile(path);
    } catch (error) {
      throw new UsageError(
        `cannot read --${flag} ${path}: ${error instanceof Error ? error.message : error}`,
      );
    }
  };
  if ((text("cert") === undefined) !== (text("key") === undefined)) {
    throw new UsageError("--cert and --key go together");
  }
  const tls = text("cert") || text("ca")
    ? {
      ...(text("cert") ? { cert: new TextDecoder().decode(await file("cert")) } : {}),
      ...(text("key") ? { key: new TextDecoder().decode(await file("key")) } : {}),
      ...(text("ca") ? { caCerts: [new TextDecoder().decode(await file("ca"))] } : {}),
    }
    : undefined;
  const pdf = product === "send-document" ? await file("pdf") : undefined;
  const clinicalResources = product === "update-record"
    ? clinicalResourcesOf(new TextDecoder().decode(await file("payload")))
    : undefined;
  return {
    product,
    nhsNumber,
    workflowId,
    title: text("title") ??
      (product === "send-document" ? "Consultation report" : "Pharmacy consultation"),
    replaces: text("replaces"),
    version: text("version") ?? "1",
    confidential: values.confidential === true,
    fromMailbox,
    senderOds,
    senderName: text("sender-name") ?? listed?.name ?? senderOds,
    author: { given: author.slice(0, -1), family: author.at(-1) ?? "Clinician" },
    meshUrl: text("mesh-url") ?? "http://127.0.0.1:8080",
    pdsUrl: text("pds-url") ?? "http://127.0.0.1:8081",
    timeoutMs: seconds("timeout", 60),
    pollIntervalMs: seconds("poll-interval", 1),
    tls,
    pdf,
    clinicalResources,
  };
}

async function run(request: CliRequest, io: MeshCliIo): Promise<number> {
  const patient = await tracePatient(request.nhsNumber, { pdsBaseUrl: request.pdsUrl });
  io.out(`traced ${request.nhsNumber} on PDS (NHS number ${patient.nhsNumber})`);
  const tls = request.tls ? meshTlsFetch(request.tls) : undefined;
  try {
    const mesh = createMeshClient({
      baseUrl: request.meshUrl,
      mailboxId: request.fromMailbox,
      password: io.env.MESH_CLIENT_PASSWORD ?? "password",
      sharedKey: io.env.MESH_CLIENT_SHARED_KEY ?? "TestKey",
      ...(tls ? { fetch: tls.fetch } : {}),
    });
    await mesh.handshake();
    const sent = await sendGpConnectMessage(mesh, {
      mailboxId: request.fromMailbox,
      odsCode: request.senderOds,
      organizationName: request.senderName,
      practitioner: { ...request.author, prefix: "Dr" },
    }, {
      product: request.product,
      ...(request.workflowId ? { workflowId: request.workflowId } : {}),
      patient,
      title: request.title,
      ...(request.pdf
        ? {
          attachments: [{
            contentType: "application/pdf",
            data: request.pdf,
            title: request.title,
          }],
        }
        : {}),
      ...(request.clinicalResources ? { clinicalResources: request.clinicalResources } : {}),
      ...(request.replaces ? { replaces: request.replaces } : {}),
      version: request.version,
      confidential: request.confidential,
    }, { now: () => new Date(), newId: () => crypto.randomUUID() });
    io.out(`sent ${sent.workflowId} message ${sent.meshMessageId} to ${sent.address}`);
    io.out(`  document ${sent.ids.documentId}, MessageHeader ${sent.ids.messageHeaderId}`);
    const acks = await awaitAcknowledgements(mesh, {
      meshMessageId: sent.meshMessageId,
      messageHeaderId: sent.ids.messageHeaderId,
      timeoutMs: request.timeoutMs,
      pollIntervalMs: request.pollIntervalMs,
      onArrival: ({ response, report }) => {
        if (response) io.out(describeResponse(response));
        if (report) {
          io.out(
            `MESH REPORT ${report.code ?? "?"} ${report.description ?? ""} (${
              report.event ?? "?"
            })`,
          );
        }
      },
    });
    return finish(acks, request.timeoutMs, io);
  } finally {
    tls?.close();
  }
}

function finish(acks: Acknowledgements, timeoutMs: number, io: MeshCliIo): number {
  switch (acks.outcome) {
    case "positive":
      return 0;
    case "negative":
      io.error(`${program}: the practice answered with a negative acknowledgement`);
      return 1;
    case "report":
      io.error(`${program}: MESH could not deliver the message (${acks.report?.code ?? "?"})`);
      return 1;
    case "timeout": {
      const missing = acks.infAck ? "BusAck" : "InfAck";
      io.error(`${program}: no ${missing} within ${timeoutMs / 1000} s`);
      return 1;
    }
  }
}

if (import.meta.main) {
  Deno.exit(
    await meshCli(Deno.args, {
      out: console.log,
      error: console.error,
      env: Deno.env.toObject(),
      readFile: (path) => Deno.readFile(path),
    }),
  );
}
