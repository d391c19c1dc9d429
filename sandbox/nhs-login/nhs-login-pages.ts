/**
 * The NHS login sandbox's two HTML pages: "choose who logs in" (every fixture patient, one
 * button per proofing level, an optional proxy) and "here is your code" when the flow has no
 * redirect URI. Everything interpolated is escaped.
 *
 * @module
 */
import type { FixturePatient } from "../pds/fixture-patients.ts";

/** HTML-escapes text for element content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function personName(patient: FixturePatient): string {
  if (!patient.name) return "(no name on PDS)";
  return `${patient.name.given.join(" ")} ${patient.name.family}`;
}

/** What the login page carries through to `POST /authorize`. */
export interface AuthorizeParams {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly state: string;
  readonly nonce: string;
}

/** The "choose a patient" page of the authorisation-code flow. */
export function loginPage(patients: readonly FixturePatient[], params: AuthorizeParams): string {
  const hidden = Object.entries({
    client_id: params.clientId,
    redirect_uri: params.redirectUri,
    state: params.state,
    nonce: params.nonce,
  }).map(([name, value]) => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`)
    .join("");
  const rows = patients.map((patient) =>
    `<tr><td>${escapeHtml(patient.nhsNumber)}</td><td>${escapeHtml(personName(patient))}</td>` +
    `<td>${escapeHtml(patient.role)}</td><td><form method="post" action="/authorize">${hidden}` +
    `<input type="hidden" name="nhs_number" value="${escapeHtml(patient.nhsNumber)}">` +
    `<input name="act" placeholder="proxy NHS number (optional)" size="22"> ` +
    `<button name="identity_proofing_level" value="P9">Log in (P9)</button> ` +
    `<button name="identity_proofing_level" value="P5">Log in (P5)</button></form></td></tr>`
  ).join("\n");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>NHS login sandbox</title></head><body>
<h1>NHS login sandbox</h1>
<p>App <code>${escapeHtml(params.clientId)}</code> asks you to log in. Choose a test patient and an
identity proofing level. Test data only.</p>
<table><thead><tr><th>NHS number</th><th>Name</th><th>Role</th><th></th></tr></thead>
<tbody>
${rows}
</tbody></table></body></html>`;
}

/** The page shown when the flow has no redirect URI: the code and how to redeem it. */
export function codePage(code: string, tokenUrl: string, clientId: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>NHS login sandbox: authorisation code</title></head><body>
<h1>Authorisation code</h1>
<p><code>${escapeHtml(code)}</code> (valid for 60 seconds, once)</p>
<p>Redeem it at <code>POST ${escapeHtml(tokenUrl)}</code> with
<code>grant_type=authorization_code</code>, <code>code</code>, <code>client_id=${
    escapeHtml(clientId)
  }</code> and a client assertion.</p></body></html>`;
}
