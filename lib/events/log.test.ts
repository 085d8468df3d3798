import { beforeAll, expect, it } from "vitest";
import { describeEachDatabase } from "../testing/each-database";
import { makePartner } from "../testing/fixtures";
import { appendEvent, logPosition, prunedThrough, pruneEvents, readEvents } from "./log";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describeEachDatabase("event log", (t) => {
  let partnerId: string;
  let otherId: string;

  beforeAll(async () => {
    partnerId = (await makePartner(t.db, "demo")).partner.id;
    otherId = (await makePartner(t.db, "other")).partner.id;
  });

  const append = (p = partnerId, n = 0) =>
    t.db
      .transaction()
      .execute((trx) => appendEvent({ trx, partnerId: p, type: "order.status", orderId: null, version: 1, payload: { n } }));

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

  it("the transaction that took its id first commits last: no reader sees the later id first", async () => {
    const start = (await logPosition({ db: t.db })).lastEventId;
    let releaseA!: () => void;
    const aMayCommit = new Promise<void>((r) => (releaseA = r));
    let aTookId!: (id: number) => void;
    const aIdTaken = new Promise<number>((r) => (aTookId = r));
    const commits: string[] = [];

    // A takes an id, then holds its transaction open.
    const a = t.db
      .transaction()
      .execute(async (trx) => {
        const e = await appendEvent({ trx, partnerId, type: "order.status", orderId: null, version: 1, payload: { who: "A" } });
        aTookId(e.id);
        await aMayCommit;
        return e.id;
      })
      .then((id) => (commits.push("A"), id));
    const aId = await aIdTaken;

    // B starts after A took its id and tries to append and commit at once.
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
    expect(commits).toEqual([]); // B is waiting for A, not committing around it
    releaseA();
    const [aFinal, bId] = await Promise.all([a, b]);
    await sleep(30);
    reading = false;
    await reader;

    expect(aFinal).toBe(aId);
    expect(commits).toEqual(["A", "B"]);
    expect(bId).toBe(aId + 1);
    for (const ids of observed) {
      expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => start + 1 + i));
    }
    expect(observed.at(-1)).toEqual([aId, bId]);
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
