/**
 * The Task store on its own, over a Deno KV file: the X-Request-ID record (a replay gets the
 * first Task; the same id for another plan or operation is refused), the cancel's replay, and the
 * sliding write window on an injected clock (full → throttled with the wait; later → admitted).
 */
import assert from "node:assert/strict";
import { denoKvProviderStore, inMemoryProviderStore } from "../../provider-store.ts";
import { PfError } from "../pf-error.ts";
import { prescriptionTasks } from "./prescription-tasks.ts";

async function withTasks(
  test: (tasks: ReturnType<typeof prescriptionTasks>, clock: { now: number }) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "pf-tasks-" });
  const kv = await Deno.openKv(`${dir}/provider.sqlite`);
  const clock = { now: Date.parse("2026-03-04T09:00:00Z") };
  let id = 0;
  try {
    await test(
      prescriptionTasks(denoKvProviderStore(kv), {
        odsCode: "B82617",
        now: () => new Date(clock.now),
        newId: () => `task-${++id}`,
        writeLimit: { limit: 2, windowSeconds: 3600 },
      }),
      clock,
    );
  } finally {
    kv.close();
    await Deno.remove(dir, { recursive: true });
  }
}

const request = (focusId: string, requestId: string) => ({
  patientNhsNumber: "9690937286",
  focusId,
  focusDisplay: focusId,
  requestId,
});

Deno.test("prescription tasks: a reused X-Request-ID gets the first Task, or a refusal for another request", () =>
  withTasks(async (tasks) => {
    const first = await tasks.create(request("2-med-1-plan", "r1"));
    assert.equal(first.kind, "written");
    const replay = await tasks.create(request("2-med-1-plan", "r1"));
    assert.equal(replay.kind, "replayed");
    assert.equal("task" in replay && replay.task.id, "task-1");
    assert.equal((await tasks.create(request("2-med-2-plan", "r1"))).kind, "request-id-reused");
    assert.equal((await tasks.cancel("9690937286", "task-1", "r1")).kind, "request-id-reused");
    const cancelled = await tasks.cancel("9690937286", "task-1", "r2");
    assert.equal(cancelled.kind, "written");
    assert.equal("task" in cancelled && cancelled.task.status, "cancelled");
    assert.equal((await tasks.cancel("9690937286", "task-1", "r2")).kind, "replayed");
    assert.equal((await tasks.cancel("9690937286", "task-1", "r3")).kind, "not-cancellable");
    assert.equal((await tasks.cancel("9690937294", "task-1", "r4")).kind, "not-found");
    assert.deepEqual((await tasks.of("9690937286")).map((task) => task.id), ["task-1"]);
    assert.deepEqual(await tasks.of("9690937294"), []);
  }));

Deno.test("prescription tasks: the write window — full is throttled until its oldest write leaves", () =>
  withTasks(async (tasks, clock) => {
    assert.equal((await tasks.create(request("2-med-1-plan", "a"))).kind, "written");
    clock.now += 10 * 60_000;
    assert.equal((await tasks.create(request("2-med-2-plan", "b"))).kind, "written");
    const throttled = await tasks.create(request("2-med-4-plan", "c"));
    assert.deepEqual(throttled, { kind: "throttled", retryAfterSeconds: 50 * 60 });
    clock.now += 50 * 60_000 + 1;
    assert.equal((await tasks.create(request("2-med-4-plan", "c"))).kind, "written");
  }));

Deno.test("prescription tasks: a store that never commits is a 503 with Retry-After, nothing written", async () => {
  const store = inMemoryProviderStore();
  const stuck = { ...store, commit: () => Promise.resolve(false) };
  const tasks = prescriptionTasks(stuck, {
    odsCode: "B82617",
    now: () => new Date("2026-03-04T09:00:00Z"),
    newId: () => crypto.randomUUID(),
    writeLimit: { limit: 30, windowSeconds: 3600 },
  });
  const request = {
    patientNhsNumber: "9690937286",
    focusId: "2-med-1-plan",
    focusDisplay: "Amlodipine",
    requestId: crypto.randomUUID(),
  };
  await assert.rejects(
    tasks.create(request),
    (error: unknown) =>
      error instanceof PfError && error.status === 503 && error.headers["Retry-After"] === "1",
  );
  assert.equal((await tasks.of("9690937286")).length, 0);
});
