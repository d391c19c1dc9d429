/**
 * Runs one messaging receiver scenario into a `TestResult`: as the consumer, the harness sends a
 * Send Document or Update Record message — valid, or with one ITK defect — for a fixture patient
 * to the practice (by `GPPROVIDER_…` address or its mailbox), then watches for what comes back
 * (acknowledgement-watch.ts) and judges it (messaging-judge.ts). A duplicate case sends the
 * identical ITK message again once the first copy is answered, and judges the second copy's
 * answers. MESH refusing the message, or reporting that it could not deliver it, means the
 * harness could not test the practice: an error naming why, never a pass.
 *
 * @module
 */
import { buildGpConnectMeshMessage, labelPdf } from "../../client/itk3/gp-connect-mesh-message.ts";
import type { ItkPatient } from "../../gpconnect/itk/itk-message.ts";
import type { FixtureManifest } from "../config/fixture-manifest.ts";
import type { AssertionResult, Exchange, TestResult, TestStatus } from "../model.ts";
import { scenarioIdentity, startCase } from "../runner/case-result.ts";
import type { BuildContext } from "../runner/request-builder.ts";
import { watchAcknowledgements } from "./acknowledgement-watch.ts";
import { checkFiledDocument } from "./filed-document-check.ts";
import { sendMesh, signedMeshRequest } from "./mesh-call.ts";
import type { MessagingScenario } from "./mesh-scenario.ts";
import { ackLevel, judgeAcknowledgements, type PhaseExpectation } from "./messaging-judge.ts";
import { type MeshCaseContext, meshSkipReason } from "./run-mesh-case.ts";

/** What running a messaging case needs. */
export interface MessagingCaseContext extends MeshCaseContext {
  /** GP Connect request building (the consumer's JWT values; the documents root, if any). */
  readonly build: BuildContext;
  /** Fixture roles and their patients' demographics. */
  readonly manifest: FixtureManifest | undefined;
}

class CannotRun extends Error {}

function patientOf(manifest: FixtureManifest | undefined, role: string): ItkPatient {
  const entry = manifest?.get(role);
  if (!entry) throw new CannotRun(`fixture role ${role} is not in the manifest`);
  if (!entry.demographics) {
    throw new CannotRun(
      `fixture role ${role} has no demographics (give family, given and birthDate in the fixture manifest)`,
    );
  }
  return { nhsNumber: entry.nhsNumber, ...entry.demographics };
}

/**
 * Runs a messaging scenario.
 *
 * @example
 * ```ts ignore
 * const result = await runMessagingScenario(scenario, { endpoint, send, odsCode, build, manifest });
 * ```
 */
export async function runMessagingScenario(
  scenario: MessagingScenario,
  context: MessagingCaseContext,
): Promise<TestResult> {
  const finishCase = startCase(scenarioIdentity(scenario));
  const assertions: AssertionResult[] = [];
  const exchanges: Exchange[] = [];
  let status: TestStatus = "pass";
  let reason: string | undefined;
  const finish = () => finishCase({ status, reason, assertions, validation: [], exchanges });
  const endpoint = context.endpoint;
  const skip = meshSkipReason(endpoint, ["practice"]) ??
    (endpoint?.noReceiverReason === undefined
      ? undefined
      : `needs a GP system answering at the practice mailbox: ${endpoint.noReceiverReason}`);
  if (skip !== undefined || !endpoint?.practice) {
    status = "skip";
    reason = skip;
    return finish();
  }
  const { send: sending, expect } = scenario;
  try {
    const jwt = context.build.jwt;
    const label = `gpc-edge conformance ${scenario.id} ${crypto.randomUUID().slice(0, 8)}`;
    const patient = patientOf(context.manifest, sending.patientRole);
    const message = buildGpConnectMeshMessage({
      product: sending.message,
      patient,
      ...(sending.otherPatientRole
        ? { otherPatient: patientOf(context.manifest, sending.otherPatientRole) }
        : {}),
      sender: {
        mailboxId: endpoint.sender.id,
        odsCode: jwt.orgOdsCode,
        organizationName: jwt.orgName,
        practitioner: {
          family: jwt.practitionerFamily,
          given: [jwt.practitionerGiven],
          ...(/^\d+$/.test(jwt.sdsUserId) ? { sdsUserId: jwt.sdsUserId } : {}),
        },
      },
      ...(sending.address === "mailbox" ? { toMailbox: endpoint.practice } : {}),
      defect: sending.defect,
      destinationMailbox: endpoint.practice,
      label,
      now: new Date(),
      newId: () => crypto.randomUUID(),
    });
    const phases: Array<{ label: string; expect: PhaseExpectation }> = [
      {
        label: "message",
        expect: {
          infAck: expect.infAck,
          busAck: expect.busAck,
          meshAcknowledged: expect.meshAcknowledged,
        },
      },
      ...(expect.duplicate
        ? [{
          label: "duplicate",
          expect: { ...expect.duplicate, meshAcknowledged: expect.meshAcknowledged },
        }]
        : []),
    ];
    for (const phase of phases) {
      const built = await signedMeshRequest(endpoint, endpoint.sender, {
        method: "POST",
        path: `/${endpoint.sender.id}/outbox`,
        headers: message.headers,
        body: message.body,
      });
      const sentAt = Date.now();
      const sent = await sendMesh(context.send, built, `${phase.label}:send`);
      exchanges.push(sent.exchange);
      const id = (sent.observed?.json as { message_id?: unknown } | undefined)?.message_id;
      if (sent.observed?.status !== 202 || typeof id !== "string") {
        throw new CannotRun(
          `MESH did not accept the ${phase.label} (${
            sent.observed ? `status ${sent.observed.status}` : sent.exchange.error
          }): the practice could not be tested`,
        );
      }
      const wantsBusAck = phase.expect.busAck !== "absent";
      const watch = await watchAcknowledgements({
        endpoint,
        send: context.send,
        meshMessageId: id,
        messageHeaderId: message.ids.messageHeaderId,
        // Not JSON, or not an ITK3 message Bundle: ITK3's default identifier is a documented answer.
        acceptUnreadable: sending.defect === "unparseable" ||
          sending.defect === "bundle-not-message",
        workflowId: message.workflowId,
        sentAt,
        label: phase.label,
        complete: (acks, acknowledged) =>
          acknowledged && acks.some((a) => ackLevel(a) === "infrastructure") &&
          (!wantsBusAck || acks.some((a) => ackLevel(a) === "business")),
      });
      exchanges.push(...watch.exchanges);
      const report = watch.reports[0];
      if (report) {
        throw new CannotRun(
          `MESH reported ${report.statusCode ?? "an error"} (${
            report.description ?? "no description"
          }) for the ${phase.label}: it was not delivered to the practice`,
        );
      }
      assertions.push(...judgeAcknowledgements(phase.expect, watch, {
        step: phase.label,
        ackWorkflowId: message.ackWorkflowId,
        windowMs: endpoint.ackWindowMs,
      }));
      if (phase.label === "message" && expect.filed && context.build.roots.documents) {
        const filed = await checkFiledDocument({
          target: { send: context.send },
          build: context.build,
          nhsNumber: patient.nhsNumber,
          pdf: labelPdf(label),
          step: "filed",
        });
        exchanges.push(...filed.exchanges);
        assertions.push({
          description:
            "the document is in the patient's record: Access Document finds it, its Binary the PDF sent",
          passed: filed.found,
          requirement: "MSG-FILED",
          step: "filed",
          ...(filed.problem === undefined ? {} : { message: filed.problem }),
        });
      }
    }
    if (assertions.some((a) => !a.passed)) status = "fail";
  } catch (error) {
    if (!(error instanceof CannotRun)) throw error;
    status = "error";
    reason = error.message;
  }
  return finish();
}
