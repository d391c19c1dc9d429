// Runs one operation of NHS England's npm MESH client (nhs-mesh-client 1.0.9) under Node, for
// worker/mesh/nhs-mesh-client.test.ts. The package does not load under Deno 2.9.6 (its
// `import … assert { type: "json" }` syntax is gone from V8), so the test drives it here.
//
// Usage: node nhs-mesh-client-node.mjs '<json>' where json = { op, url, mailboxID,
// mailboxPassword, sharedKey, ... }. Prints one line `RESULT <json>` with status, data and
// headers. The client's own code is used unmodified; tracking and endpoint lookup, which the
// package has no function for, use its header generator and its HTTP library (axios).
import { readFileSync, writeFileSync } from "node:fs";
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

const args = JSON.parse(process.argv[2]);
const base = {
  url: args.url,
  mailboxID: args.mailboxID,
  mailboxPassword: args.mailboxPassword,
  sharedKey: args.sharedKey,
};

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

async function withNhsHeaders(path) {
  const headers = await generateHeaders(base);
  try {
    return plain(await axios.get(`${args.url}${path}`, { headers }));
  } catch (error) {
    return plain(error);
  }
}

const operations = {
  handshake: () => handShake(base).then(plain),
  count: () => getMessageCount(base).then(plain),
  send: () =>
    sendMessage({
      ...base,
      message: readFileSync(args.file, "utf8"),
      mailboxTarget: args.to,
      workFlowId: args.workflowId,
      fileName: args.fileName,
    }).then(plain),
  sendChunked: () =>
    sendChunkedMessage({ ...base, mailboxTarget: args.to, fileContent: readFileSync(args.file) })
      .then(plain),
  read: async () => {
    const response = await readMessage({ ...base, messageID: args.messageID });
    if (!(response instanceof Error) && typeof response.data === "string") {
      writeFileSync(args.file, response.data, "utf8");
      return { ...plain(response), data: `written to ${args.file}` };
    }
    return plain(response);
  },
  ack: () => markAsRead({ ...base, message: args.messageID }).then(plain),
  tracking: () =>
    withNhsHeaders(
      `/messageexchange/${args.mailboxID}/outbox/tracking?messageID=${args.messageID}`,
    ),
  lookup: () =>
    withNhsHeaders(`/messageexchange/endpointlookup/${args.odsCode}/${args.workflowId}`),
};

const result = await operations[args.op]();
process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
