/**
 * Referrals and diary entries (GPC-1.6 ReferralRequest and diary entry pages):
 *
 * - a referral is a `ReferralRequest` (intent `order`) authored on its date, coded in
 *   `reasonCode`, with the free-text reason as `description` and the recipient by display;
 * - a diary entry is a `ProcedureRequest` (intent `plan`) occurring on its (usually future) date.
 *
 * @module
 */
import type { DiaryItem, ReferralItem } from "../../clinical/clinical-record-types.ts";
import {
  codeableConcept,
  encounterContext,
  identifier,
  meta,
  noteOf,
  practitionerReference,
  type Resource,
  type ResourceContext,
} from "./resource-common.ts";

/** The ReferralRequest for a referral. */
export function referralRequest(context: ResourceContext, referral: ReferralItem): Resource {
  return {
    resourceType: "ReferralRequest",
    id: referral.id,
    meta: meta("ReferralRequest"),
    identifier: identifier(context, referral.id),
    // GPC-1.6 ReferralRequest: "unknown" for open or complete referrals (the profile fixes it).
    status: "unknown",
    intent: "order",
    priority: referral.priority,
    subject: { reference: context.patientReference },
    ...encounterContext(referral.consultationId),
    authoredOn: referral.date,
    requester: {
      agent: practitionerReference(referral.recorderId),
      onBehalfOf: { reference: context.organizationReference },
    },
    recipient: [{ display: referral.recipient }],
    reasonCode: [codeableConcept(referral.code)],
    description: referral.reason,
    ...noteOf(referral.note),
  };
}

/** The ProcedureRequest for a diary entry. */
export function diaryEntry(context: ResourceContext, entry: DiaryItem): Resource {
  return {
    resourceType: "ProcedureRequest",
    id: entry.id,
    meta: meta("ProcedureRequest"),
    identifier: identifier(context, entry.id),
    status: entry.status,
    intent: "plan",
    code: codeableConcept(entry.code),
    subject: { reference: context.patientReference },
    ...encounterContext(entry.consultationId),
    occurrenceDateTime: entry.date,
    authoredOn: entry.recordedAt,
    requester: { agent: practitionerReference(entry.recorderId) },
    ...noteOf(entry.note),
  };
}
