import { beforeAll, expect, it } from "vitest";
import { describeEachDatabase } from "../testing/each-database";
import { makePartner } from "../testing/fixtures";
import { snapshotTransaction } from "../db";
import {
  appendEvent,
  logPosition,
  prunedThrough,
  pruneEvents,
  readEvents,
  sequenceEvents,
  sequencePending,
  settleSnapshotPosition,
  snapshotPosition,
} from "./log";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describeEachDatabase("event log", (t) => {
  let partnerId: string;
  let otherId: string;

  beforeAll(async () => {
    partnerId = (await makePartner(t.db, "demo")).partner.id;
    otherId = (await makePartner(t.db, "other")).partner.id;
  });

  // A committed append, as mutate does it: the transaction, then the sequencer step (PostgreSQL).
  const append = async (p = partnerId, n: unknown = 0) => {
    const appended = await t.db
      .transaction()
      .execute((trx) => appendEvent({ trx, partnerId: p, type: "order.status", orderId: null, version: 1, payload: { n } }));
    const [event] = await sequenceEvents({ db: t.db, events: [appended] });
    return event!;
  };

  it("reads after an id, in order, filtered by partner, limited", async () => {
    const start = (await logPosition({ db: t.db })).lastEventId;
    const a = await append(partnerId, 1);
    const b = await append(otherId, 2);
    const c = await append(partnerId, 3);
    expect([a.id, b.id, c.id]).toEqual([start + 1, start + 2, start + 3]);
    expect((await readEvents({ db: t.db, afterId: start, limit: 10 })).map((e) => e.id)).toEqual([a.id, b.id, c.id]);
    expect((await readEvents({ db: t.db, partnerId, afterId: start, limit: 10 })).map((e) => e.payload)).toEqual([{ n: 1 }, { n: 3 }]);
    expect((await readEvents({ db: t.db, afterId: start, limit: 2 })).map((e) => e.id)).toEqual([a.id, b.id]);
    expect(await readEvents({ db: t.db, afterId: c.id, limit: 10 })).toEqual([]);
    expect((await logPosition({ db: t.db })).lastEventId).toBe(c.id);
  });

  it("a rolled-back append leaves no id behind", async () => {
    const start = (await logPosition({ db: t.db })).lastEventId;
    await expect(
      t.db.transaction().execute(async (trx) => {
        await appendEvent({ trx, partnerId, type: "order.status", orderId: null, version: 1, payload: {} });
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect((await logPosition({ db: t.db })).lastEventId).toBe(start);
    expect((await append()).id).toBe(start + 1);
  });

  it("retention keeps the newest N per partner and everything younger than the age limit", async () => {
    const p = (await makePartner(t.db, `keep-${t.dialect}`)).partner.id;
    const old = new Date(Date.now() - 48 * 3_600_000).toISOString();
    const ids: number[] = [];
    for (let i = 0; i < 8; i++) ids.push((await append(p, i)).id);
    // The first six are two days old; the last two are fresh.
    await t.db.updateTable("events").set({ createdAt: old }).where("id", "in", ids.slice(0, 6)).execute();
    // Keep at least 24 h or the newest 3, whichever keeps more: ids[0..4] go, ids[5] stays (among the newest 3).
    const removed = await pruneEvents({ db: t.db, minAgeMs: 24 * 3_600_000, minPerPartner: 3, partnerId: p });
    expect(removed).toBe(5);
    const left = (await readEvents({ db: t.db, partnerId: p, afterId: 0, limit: 100 })).map((e) => e.id);
    expect(left).toEqual(ids.slice(5));
    expect(await prunedThrough({ db: t.db, partnerId: p })).toBe(ids[4]);
    // Nothing older than the limit beyond the newest 3: a second pass removes nothing.
    expect(await pruneEvents({ db: t.db, minAgeMs: 24 * 3_600_000, minPerPartner: 3, partnerId: p })).toBe(0);
    // Fresh events are kept even beyond the count.
    expect(await pruneEvents({ db: t.db, minAgeMs: 24 * 3_600_000, minPerPartner: 1, partnerId: p })).toBe(1);
    expect((await readEvents({ db: t.db, partnerId: p, afterId: 0, limit: 100 })).map((e) => e.id)).toEqual(ids.slice(6));
  });

  it("one partner's transaction that appended first commits first: no reader sees the later id first", async () => {
    const start = (await logPosition({ db: t.db })).lastEventId;
    let releaseA!: () => void;
    const aMayCommit = new Promise<void>((r) => (releaseA = r));
    let aAppended!: () => void;
    const aHasAppended = new Promise<void>((r) => (aAppended = r));
    const commits: string[] = [];

    // A appends, then holds its transaction open.
    const a = t.db
      .transaction()
      .execute(async (trx) => {
        const e = await appendEvent({ trx, partnerId, type: "order.status", orderId: null, version: 1, payload: { who: "A" } });
        aAppended();
        await aMayCommit;
        return e;
      })
      .then(async (e) => (commits.push("A"), (await sequenceEvents({ db: t.db, events: [e] }))[0]!.id));
    await aHasAppended;

    // B, of the same partner, starts after A appended and tries to append and commit at once.
    const b = append(partnerId, 2).then((e) => (commits.push("B"), e.id));

    // A reader polls the whole time; everything it sees must be a gap-free prefix.
    const observed: number[][] = [];
    let reading = true;
    const reader = (async () => {
      while (reading) {
        observed.push((await readEvents({ db: t.db, afterId: start, limit: 100 })).map((e) => e.id));
        await sleep(5);
      }
    })();

    await sleep(300);
    expect(commits).toEqual([]); // B waits for A (same partner), not committing around it
    releaseA();
    const [aId, bId] = await Promise.all([a, b]);
    await sleep(30);
    reading = false;
    await reader;

    expect(commits).toEqual(["A", "B"]);
    expect(aId).toBe(start + 1);
    expect(bId).toBe(aId + 1);
    for (const ids of observed) {
      expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => start + 1 + i));
    }
    expect(observed.at(-1)).toEqual([aId, bId]);
  });

  it("another partner's open transaction delays nobody (PostgreSQL); its event comes after, with a higher id", async () => {
    const start = (await logPosition({ db: t.db })).lastEventId;
    let releaseA!: () => void;
    const aMayCommit = new Promise<void>((r) => (releaseA = r));
    let aAppended!: () => void;
    const aHasAppended = new Promise<void>((r) => (aAppended = r));
    const a = t.db
      .transaction()
      .execute(async (trx) => {
        const e = await appendEvent({ trx, partnerId, type: "order.status", orderId: null, version: 1, payload: { who: "A" } });
        aAppended();
        await aMayCommit;
        return e;
      })
      .then(async (e) => (await sequenceEvents({ db: t.db, events: [e] }))[0]!);
    await aHasAppended;

    // A tailing reader (what the hub does): each id it sees must be the next one.
    let last = start;
    const seen: { id: number; who: unknown }[] = [];
    const tail = async () => {
      for (const e of await readEvents({ db: t.db, afterId: last, limit: 50 })) {
        expect(e.id).toBe(last + 1);
        last = e.id;
        seen.push({ id: e.id, who: (e.payload as { n?: unknown; who?: unknown }).who ?? (e.payload as { n?: unknown }).n });
      }
    };

    let bDone = false;
    const b = append(otherId, "B").then((e) => ((bDone = true), e));
    if (t.dialect === "postgres") {
      // B commits, is stamped and is readable while A still holds its transaction open.
      const bEvent = await b;
      expect(bEvent.id).toBe(start + 1);
      await tail();
      expect(seen).toEqual([{ id: start + 1, who: "B" }]);
      releaseA();
      const aEvent = await a;
      expect(aEvent.id).toBe(start + 2);
    } else {
      // SQLite has one writer at a time: B waits for A's commit, then comes after it.
      await sleep(200);
      expect(bDone).toBe(false);
      releaseA();
      const [aEvent, bEvent] = await Promise.all([a, b]);
      expect([aEvent.id, bEvent.id]).toEqual([start + 1, start + 2]);
    }
    await tail();
    expect(seen.map((e) => e.id)).toEqual([start + 1, start + 2]);
    expect(seen.map((e) => e.who)).toEqual(t.dialect === "postgres" ? ["B", "A"] : ["A", "B"]);
  });

  it("an event whose writer never ran its sequencer step is stamped by the next one", async () => {
    const start = (await logPosition({ db: t.db })).lastEventId;
    // The writer committed and died before sequencing (PostgreSQL; SQLite stamps in the transaction).
    await t.db
      .transaction()
      .execute((trx) => appendEvent({ trx, partnerId, type: "order.status", orderId: null, version: 1, payload: { n: "orphan" } }));
    const visible = (await readEvents({ db: t.db, afterId: start, limit: 10 })).map((e) => e.payload);
    expect(visible).toEqual(t.dialect === "postgres" ? [] : [{ n: "orphan" }]);
    await sequencePending({ db: t.db });
    const next = await append(otherId, "next");
    expect((await readEvents({ db: t.db, afterId: start, limit: 10 })).map((e) => [e.id, e.payload])).toEqual([
      [start + 1, { n: "orphan" }],
      [next.id, { n: "next" }],
    ]);
    expect(next.id).toBe(start + 2);
  });

  it("a snapshot that holds a committed, not yet stamped event: its position is that event's, once stamped", async () => {
    const start = (await logPosition({ db: t.db })).lastEventId;
    // Committed, its writer's sequencer step not run yet (PostgreSQL; SQLite stamps in the transaction).
    const appended = await t.db
      .transaction()
      .execute((trx) => appendEvent({ trx, partnerId, type: "order.status", orderId: null, version: 1, payload: { n: "snap" } }));
    const position = await snapshotTransaction(t.db, (trx) => snapshotPosition({ db: trx, partnerId }));
    const adminPosition = await snapshotTransaction(t.db, (trx) => snapshotPosition({ db: trx, partnerId: null }));
    if (t.dialect === "postgres") {
      expect(position).toMatchObject({ lastEventId: start, waiting: appended.seq });
      // All partners: taken again (the step ran meanwhile).
      expect(await settleSnapshotPosition({ db: t.db, position: adminPosition, partnerId: null, attempt: 0 })).toBeNull();
    } else {
      expect(position).toMatchObject({ lastEventId: start + 1, waiting: null });
    }
    const settled = await settleSnapshotPosition({ db: t.db, position, partnerId, attempt: 0 });
    expect(settled?.lastEventId).toBe(start + 1);
    expect((await readEvents({ db: t.db, afterId: start, limit: 10 })).map((e) => e.payload)).toEqual([{ n: "snap" }]);
    const again = await snapshotTransaction(t.db, (trx) => snapshotPosition({ db: trx, partnerId: null }));
    expect(again).toMatchObject({ lastEventId: start + 1, waiting: null });
  });

  it("many concurrent writers: a tailing reader only ever sees the next id", async () => {
    let last = (await logPosition({ db: t.db })).lastEventId;
    const writers = Array.from({ length: 4 }, async (_, w) => {
      for (let i = 0; i < 40; i++) await append(w % 2 ? partnerId : otherId, i);
    });
    let done = false;
    const all = Promise.all(writers).then(() => (done = true));
    const seen: number[] = [];
    while (!done || seen.length < 160) {
      for (const e of await readEvents({ db: t.db, afterId: last, limit: 50 })) {
        expect(e.id).toBe(last + 1);
        last = e.id;
        seen.push(e.id);
      }
      if (done && seen.length >= 160) break;
      await sleep(2);
    }
    await all;
    expect(seen).toHaveLength(160);
  });
});
