import assert from "node:assert/strict";
import type { RunReport } from "../model.ts";
import {
  manifestText,
  requestHttp,
  responseHttp,
  safeSegment,
  sha256Hex,
  writeEvidence,
} from "./evidence.ts";
import { listFiles, readPassedArchive } from "./testing/read-outputs.ts";
import { SAMPLE_SECRETS, SAMPLE_TOTALS, sampleReport } from "./testing/sample-report.ts";

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "gpc-evidence-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Checks every manifest line against a fresh hash and that it lists every other file. */
async function verifyManifest(dir: string): Promise<number> {
  const manifest = await Deno.readTextFile(`${dir}/manifest.sha256`);
  const lines = manifest.trimEnd().split("\n");
  const listed: string[] = [];
  for (const line of lines) {
    const m = /^([0-9a-f]{64}) {2}(\S.*)$/.exec(line);
    assert.ok(m, `sha256sum format: ${line}`);
    const [, hash, path] = m;
    assert.equal(await sha256Hex(await Deno.readFile(`${dir}/${path}`)), hash, path);
    listed.push(path as string);
  }
  assert.deepEqual(listed, [...listed].sort(), "sorted by path");
  assert.deepEqual(listed, (await listFiles(dir)).filter((f) => f !== "manifest.sha256"));
  return lines.length;
}

Deno.test("writeEvidence: per-test folders with result, request, response, JWT and error files", async () => {
  await withDir(async (dir) => {
    const summary = await writeEvidence(sampleReport(), dir);
    const files = await listFiles(dir);
    const hostile = "foundations/foundations.patient.read-hostile";
    for (const f of ["result.json", "01-request.http", "01-response.http", "01-jwt.json"]) {
      assert.ok(files.includes(`${hostile}/${f}`), f);
    }
    assert.ok(files.includes("structured/structured.preflight/01-error.txt"));
    assert.ok(!files.includes("structured/structured.preflight/01-response.http"));
    assert.ok(files.includes("structured/structured.migrate/result.json"));
    assert.ok(files.includes("documents/documents_flow__retrieve_big_doc_/02-request.http"));
    for (const f of ["report.json", "index.json", "README.txt", "manifest.sha256"]) {
      assert.ok(files.includes(f));
    }
    assert.equal(summary.files, files.length - 1);
    assert.equal(
      summary.manifestSha256,
      await sha256Hex(await Deno.readFile(`${dir}/manifest.sha256`)),
    );

    const request = await Deno.readTextFile(`${dir}/${hostile}/01-request.http`);
    assert.equal(
      request,
      "GET https://provider.example/B82617/STU3/1/gpconnect/fhir/Patient/2?access_token=[REDACTED]\n" +
        "Authorization: Bearer [REDACTED]\napikey: [REDACTED]\nCookie: [REDACTED]\n\n",
    );
    const response = await Deno.readTextFile(`${dir}/${hostile}/01-response.http`);
    assert.ok(
      response.startsWith(
        "HTTP 200 OK\nContent-Type: text/html\nSet-Cookie: [REDACTED]\n\n<html><script>",
      ),
    );
    const jwt = JSON.parse(await Deno.readTextFile(`${dir}/${hostile}/01-jwt.json`));
    assert.deepEqual(jwt, {
      iss: "https://consumer.example",
      nested: { echoed: "[REDACTED-JWT]" },
    });
    const result = JSON.parse(await Deno.readTextFile(`${dir}/${hostile}/result.json`));
    assert.equal(result.status, "fail");
    assert.equal(result.durationMs, 130);
    assert.deepEqual(result.exchanges[0], {
      index: 1,
      method: "GET",
      url:
        "https://provider.example/B82617/STU3/1/gpconnect/fhir/Patient/2?access_token=[REDACTED]",
      status: 200,
      startedAt: "2025-01-06T09:00:01.000Z",
      latencyMs: 480,
      files: ["01-request.http", "01-response.http", "01-jwt.json"],
    });
    assert.equal(result.assertions.length, 2);
  });
});

Deno.test("writeEvidence: manifest verifies by recomputation (and by sha256sum -c when present)", async () => {
  await withDir(async (dir) => {
    await writeEvidence(sampleReport(), dir);
    assert.ok(await verifyManifest(dir) > 20);
    const sha256sum = await new Deno.Command("sha256sum", {
      args: ["--version"],
      stdout: "null",
      stderr: "null",
    })
      .output().then((o) => o.success, () => false);
    if (sha256sum) {
      const out = await new Deno.Command("sha256sum", {
        args: ["-c", "--strict", "manifest.sha256"],
        cwd: dir,
      })
        .output();
      assert.ok(
        out.success,
        new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr),
      );
    }
    await Deno.writeTextFile(`${dir}/README.txt`, "tampered\n");
    await assert.rejects(() => verifyManifest(dir));
  });
});

Deno.test("writeEvidence: counts in index.json, report.json and result files agree; no secret anywhere", async () => {
  await withDir(async (dir) => {
    await writeEvidence(sampleReport(), dir);
    const index = JSON.parse(await Deno.readTextFile(`${dir}/index.json`));
    assert.deepEqual(index.totals, SAMPLE_TOTALS);
    const report = JSON.parse(await Deno.readTextFile(`${dir}/report.json`)) as RunReport;
    assert.deepEqual(report.totals, SAMPLE_TOTALS);
    const statuses: string[] = [];
    for (const t of index.tests) {
      // Passing tests are summarized in the index (no folder); every other has a result file.
      if (t.status === "pass") {
        assert.equal(t.folder, undefined);
        // Their exchange lines are in report.json, once.
        const brief = report.results.find((r) => r.id === t.id);
        assert.equal(brief?.detail, "summary");
        assert.ok(brief.exchanges.length > 0 && brief.exchanges[0]?.response?.body === undefined);
        statuses.push(t.status);
      } else if (t.folder === undefined) {
        assert.equal(t.status, "not-run", "only tests that sent nothing have no folder");
        assert.ok(t.reason);
        statuses.push(t.status);
      } else {
        statuses.push(JSON.parse(await Deno.readTextFile(`${dir}/${t.folder}/result.json`)).status);
      }
    }
    assert.equal(statuses.length, SAMPLE_TOTALS.tests);
    assert.equal(statuses.filter((s) => s === "pass").length, SAMPLE_TOTALS.passed);
    assert.equal(statuses.filter((s) => s === "skip").length, SAMPLE_TOTALS.skipped);
    assert.equal(statuses.filter((s) => s === "not-run").length, SAMPLE_TOTALS.notRun);
    for (const f of await listFiles(dir)) {
      const text = await Deno.readTextFile(`${dir}/${f}`);
      for (const secret of SAMPLE_SECRETS) assert.ok(!text.includes(secret), `${secret} in ${f}`);
    }
  });
});

Deno.test("writeEvidence: replaces an earlier evidence folder whole, refuses any other non-empty folder", async () => {
  await withDir(async (dir) => {
    await writeEvidence(sampleReport(), dir);
    await Deno.writeTextFile(`${dir}/stale.txt`, "old");
    await writeEvidence(sampleReport(), dir);
    assert.ok(!(await listFiles(dir)).includes("stale.txt"));
    await verifyManifest(dir);
    const other = `${dir}/other`;
    await Deno.mkdir(other);
    await Deno.writeTextFile(`${other}/keep.txt`, "mine");
    await assert.rejects(() => writeEvidence(sampleReport(), other), /is not empty/);
    assert.equal(await Deno.readTextFile(`${other}/keep.txt`), "mine");
  });
});

Deno.test("writeEvidence: duplicate and colliding ids get distinct folders", async () => {
  await withDir(async (dir) => {
    const base = sampleReport();
    const first = { ...base.results[0]!, status: "fail" as const };
    const results = [first, first, { ...first, id: "Foundations.Metadata.Read" }, {
      ...first,
      id: "a/b",
    }, {
      ...first,
      id: "a?b",
    }];
    await writeEvidence({ ...base, results }, dir);
    const index = JSON.parse(await Deno.readTextFile(`${dir}/index.json`));
    assert.deepEqual(index.tests.map((t: { folder: string }) => t.folder), [
      "foundations/foundations.metadata.read",
      "foundations/foundations.metadata.read-2",
      "foundations/Foundations.Metadata.Read-3",
      "foundations/a_b",
      "foundations/a_b-2",
    ]);
  });
});

Deno.test("safeSegment, requestHttp, responseHttp, manifestText", () => {
  assert.equal(safeSegment("../etc/passwd"), "__etc_passwd");
  assert.equal(safeSegment(""), "_");
  assert.equal(safeSegment("x".repeat(300)).length, 99);
  assert.notEqual(safeSegment(`${"x".repeat(200)}1`), safeSegment(`${"x".repeat(200)}2`));
  const e = {
    request: { method: "POST", url: "u", headers: { A: "1" }, body: "b" },
    response: { status: 299, headers: {}, body: "r" },
    startedAt: "t",
    latencyMs: 1,
  };
  assert.equal(requestHttp(e), "POST u\nA: 1\n\nb");
  assert.equal(responseHttp(e), "HTTP 299\n\nr");
  assert.equal(
    manifestText([{ path: "b", sha256: "2" }, { path: "a", sha256: "1" }]),
    "1  a\n2  b\n",
  );
});

Deno.test("writeEvidence: --evidence all stores passing tests in full once, in one archive the manifest pins", async () => {
  await withDir(async (dir) => {
    const summary = await writeEvidence(sampleReport(), `${dir}/failures`);
    const all = await writeEvidence(sampleReport(), `${dir}/all`, { evidence: "all" });
    assert.equal(all.files, summary.files + 1, "one file more: the archive");
    const files = await listFiles(`${dir}/all`);
    assert.ok(files.includes("passed.jsonl.gz"));
    assert.ok(!files.some((f) => f.startsWith("foundations/foundations.metadata.read/")));
    await verifyManifest(`${dir}/all`);
    const { results: lines, text } = await readPassedArchive(`${dir}/all/passed.jsonl.gz`);
    assert.equal(lines.length, SAMPLE_TOTALS.passed);
    assert.ok(lines.every((r) => r.status === "pass" && r.detail === undefined));
    const metadata = lines.find((r) => r.id === "foundations.metadata.read");
    assert.match(metadata?.exchanges[0]?.response?.body ?? "", /CapabilityStatement/);
    for (const secret of SAMPLE_SECRETS) assert.ok(!text.includes(secret), secret);
  });
});
