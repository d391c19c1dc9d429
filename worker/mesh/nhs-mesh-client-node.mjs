// Runs one operation of NHS England's npm MESH client (nhs-mesh-client 1.0.9) under Node, for
// worker/mesh/nhs-mesh-client.test.ts. The package does not load under Deno 2.9.6 (its
// `import … assert { type: "json" }` syntax is gone from V8), so the test drives it here.
//
// Protocol: one JSON command per line on stdin, { op, url, mailboxID, mailboxPassword, sharedKey,
// ... }; one line `RESULT <json>` (status, data, headers) per command on stdout; exits at the end
// of stdin. One long-lived process, because starting Node and the package takes a second or two.
// The client's own code is used unmodified; tracking and endpoint lookup, which the package has
// no function for, use its header generator and its HTTP library (axios).
import { readFileSync, writeFileSync } from "node:fs";
import process from "node:process";
import { createInterface } from "node:readline";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import {
  getMessageCount,
  handShake,
  markAsRead,
  readMessage,
  sendChunkedMessage,
  sendMessage,
} from "nhs-mesh-client";
import generateHeaders from "nhs-mesh-client/src/headers/generate_headers.js";

// axios is the client's own dependency: resolve it from where the package really lives.
const clientEntry = createRequire(import.meta.url).resolve("nhs-mesh-client");
const { default: axios } = await import(
  pathToFileURL(createRequire(clientEntry).resolve("axios")).href
);

function plain(response) {
  if (response instanceof Error) {
    return { error: response.message, status: response.response?.status ?? null };
  }
  return {
    status: response.status ?? null,
    data: response.data ?? null,
    headers: response.headers ? { ...response.headers } : {},
  };
}

async function withNhsHeaders(args, path) {
  const headers = await generateHeaders(base(args));
  try {
    return plain(await axios.get(`${args.url}${path}`, { headers }));
  } catch (error) {
    return plain(error);
  }
}

const base = (args) => ({
  url: args.url,
  mailboxID: args.mailboxID,
  mailboxPassword: args.mailboxPassword,
  sharedKey: args.sharedKey,
});

const operations = {
  handshake: (args) => handShake(base(args)).then(plain),
  count: (args) => getMessageCount(base(args)).then(plain),
  send: (args) =>
    sendMessage({
      ...base(args),
      message: readFileSync(args.file, "utf8"),
      mailboxTarget: args.to,
      workFlowId: args.workflowId,
      fileName: args.fileName,
    }).then(plain),
  sendChunked: (args) =>
    sendChunkedMessage({
      ...base(args),
      mailboxTarget: args.to,
      fileContent: readFileSync(args.file),
    }).then(plain),
  read: async (args) => {
    const response = await readMessage({ ...base(args), messageID: args.messageID });
    if (!(response instanceof Error) && typeof response.data === "string") {
      writeFileSync(args.file, response.data, "utf8");
      return { ...plain(response), data: `written to ${args.file}` };
    }
    return plain(response);
  },
  ack: (args) => markAsRead({ ...base(args), message: args.messageID }).then(plain),
  tracking: (args) =>
    withNhsHeaders(
      args,
      `/messageexchange/${args.mailboxID}/outbox/tracking?messageID=${args.messageID}`,
    ),
  lookup: (args) =>
    withNhsHeaders(args, `/messageexchange/endpointlookup/${args.odsCode}/${args.workflowId}`),
};

for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() === "") continue;
  const args = JSON.parse(line);
  let result;
  try {
    result = await operations[args.op](args);
  } catch (error) {
    result = plain(error instanceof Error ? error : new Error(String(error)));
  }
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}
