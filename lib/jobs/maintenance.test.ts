import { expect, it } from "vitest";
import { describeEachDatabase } from "../testing/each-database";
import { makePartner } from "../testing/fixtures";
import { newId } from "../db/ids";
import { pruneFinished } from "./maintenance";

describeEachDatabase("maintenance:prune", (t) => {
  it("deletes what only records the past after 30 days, and nothing still in use or younger", async () => {
    const { partner } = await makePartner(t.db, "prune");
    const now = new Date("2026-12-01T12:00:00.000Z");
    const old = new Date(now.getTime() - 31 * 86_400_000).toISOString();
    const recent = new Date(now.getTime() - 29 * 86_400_000).toISOString();
    await t.db
      .insertInto("webhooks")
      .values({
        id: "hook",
        partnerId: partner.id,
        url: "https://example.test/h",
        secretSealed: "x",
        events: "[]",
        createdAt: old,
        removedAt: null,
      })
      .execute();
    let eventId = 0;
    const outbox = (id: string, status: string, createdAt: string) => ({
      id,
      partnerId: partner.id,
      eventId: ++eventId,
      orderId: null,
      channel: "webhook",
      recipient: "hook",
      body: "{}",
      status,
      claimedBy: null,
      claimedAt: null,
      lastError: null,
      sentAt: null,
      createdAt,
    });
    await t.db
      .insertInto("outbox")
      .values([
        outbox("sent-old", "sent", old),
        outbox("failed-old", "failed", old),
        outbox("pending-old", "pending", old),
        outbox("sent-new", "sent", recent),
      ])
      .execute();
    const delivery = (id: string, outboxId: string, at: string) => ({
      id,
      webhookId: "hook",
      outboxId,
      eventType: "order.created",
      attempt: 1,
      httpStatus: 200,
      error: null,
      durationMs: 3,
      at,
    });
    await t.db
      .insertInto("webhookDeliveries")
      .values([delivery("d1", "sent-old", old), delivery("d2", "pending-old", old), delivery("d3", "sent-new", recent)])
      .execute();
    await t.db
      .insertInto("printers")
      .values({
        id: "p1",
        partnerId: partner.id,
        name: "grill",
        host: "127.0.0.1",
        port: 9100,
        paperWidth: 80,
        stations: "[]",
        receipt: 0,
        codePage: "auto",
        buzzer: 0,
        backupPrinterId: null,
        enabled: 1,
        paused: 0,
        status: "ready",
        statusDetail: null,
        statusAt: null,
        leaseOwner: null,
        leaseUntil: null,
        createdAt: old,
        updatedAt: old,
      })
      .execute();
    const job = (jobKey: string, eventId: number, state: string, queuedAt: string) => ({
      id: newId(),
      partnerId: partner.id,
      printerId: "p1",
      jobKey,
      eventId,
      orderId: null,
      kind: "kitchen",
      station: "grill",
      document: "{}",
      state,
      attempts: 1,
      queuedAt,
      nextAttemptAt: queuedAt,
      lastError: null,
      leaseOwner: null,
      leaseUntil: null,
      sentAt: null,
      printedAt: null,
      backupFrom: null,
      late: 0,
    });
    await t.db
      .insertInto("printJobs")
      .values([
        job("printed-old", 5, "printed", old),
        job("queued-old", 6, "queued", old),
        job("printed-new", 7, "printed", recent),
        // Past the dispatcher's cursor: its event may still be read; the row keeps it from printing twice.
        job("printed-old-ahead", 50, "printed", old),
      ])
      .execute();
    await t.db
      .insertInto("printCursor")
      .values({ id: 1, throughEventId: 10 })
      .onConflict((oc) => oc.column("id").doUpdateSet({ throughEventId: 10 }))
      .execute();
    const gap = (id: string, backAt: string) => ({
      id,
      partnerId: partner.id,
      deviceKey: id,
      tokenId: null,
      who: "till",
      screen: "cashier",
      wentAt: backAt,
      backAt,
      reason: "lost",
    });
    await t.db
      .insertInto("screenDisconnects")
      .values([gap("gap-old", old), gap("gap-new", recent)])
      .execute();

    const pruned = await pruneFinished({ db: t.db, now });
    expect(pruned).toMatchObject({ outbox: 2, webhookDeliveries: 2, printJobs: 1, screenDisconnects: 1 });
    expect((await t.db.selectFrom("outbox").select("id").orderBy("id").execute()).map((r) => r.id)).toEqual(["pending-old", "sent-new"]);
    expect((await t.db.selectFrom("webhookDeliveries").select("id").orderBy("id").execute()).map((r) => r.id)).toEqual(["d3"]);
    expect((await t.db.selectFrom("printJobs").select("jobKey").orderBy("jobKey").execute()).map((r) => r.jobKey)).toEqual([
      "printed-new",
      "printed-old-ahead",
      "queued-old",
    ]);
    expect((await t.db.selectFrom("screenDisconnects").select("id").execute()).map((r) => r.id)).toEqual(["gap-new"]);
    // Twice is once.
    expect(await pruneFinished({ db: t.db, now })).toEqual({
      outbox: 0,
      webhookDeliveries: 0,
      printJobs: 0,
      screenDisconnects: 0,
      failedJobs: 0,
    });
  });
});
