/**
 * The printers API through its real route handlers on SQLite and PostgreSQL (issue "Network
 * printers" item 1): create, list with status, change, pause, delete; every bad input a 400 naming
 * the field with nothing written (NUL bytes, int4 overflow, a port out of range, an unknown station
 * or code page, a missing backup); another partner's printer is 404; a printer token may pause and
 * print a test page but not change the setup.
 */
import { beforeAll, expect, it } from "vitest";
import { describeEachDatabase } from "@/lib/testing/each-database";
import { makePartner, makeToken, type TestPartner } from "@/lib/testing/fixtures";
import * as printersRoute from "./route";
import * as printerRoute from "./[id]/route";
import * as jobsRoute from "./[id]/jobs/route";
import * as testRoute from "./[id]/test/route";
import * as reprintRoute from "../print-jobs/[id]/reprint/route";

const ORIGIN = "http://pass.test";
type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

async function call(
  handler: unknown,
  {
    bearer,
    method = "POST",
    body,
    params = {},
    query = "",
  }: { bearer: string; method?: string; body?: unknown; params?: Record<string, string>; query?: string },
) {
  const headers: Record<string, string> = { host: "pass.test", authorization: `Bearer ${bearer}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  const req = new Request(`${ORIGIN}/x${query}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const res = await (handler as Handler)(req, { params: Promise.resolve(params) });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

describeEachDatabase("printers API", (t) => {
  let demo: TestPartner;
  let op: string;
  let otherOp: string;
  let printerToken: string;
  beforeAll(async () => {
    demo = await makePartner(t.db, "demo");
    const other = await makePartner(t.db, "other");
    op = (await makeToken(t.db, { partnerId: demo.partner.id, role: "operator" })).token;
    otherOp = (await makeToken(t.db, { partnerId: other.partner.id, role: "operator" })).token;
    printerToken = (await makeToken(t.db, { partnerId: demo.partner.id, role: "printer" })).token;
  });

  const count = async () =>
    Number(
      (
        await t.db
          .selectFrom("printers")
          .select((eb) => eb.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it("creates, lists with status, changes, pauses and deletes", async () => {
    const spare = await call(printersRoute.POST, { bearer: op, body: { partner: "demo", name: "spare", host: "10.0.0.9" } });
    expect(spare.status).toBe(201);
    const grill = await call(printersRoute.POST, {
      bearer: op,
      body: {
        partner: "demo",
        name: "grill",
        host: "printer-grill.local",
        stations: ["oven", "fryer"],
        backup: "spare",
        paperWidth: 58,
        codePage: "cp858",
      },
    });
    expect(grill.status).toBe(201);
    expect(grill.json).toMatchObject({
      name: "grill",
      port: 9100,
      paperWidth: 58,
      stations: ["oven", "fryer"],
      receipt: false,
      codePage: "cp858",
      backup: "spare",
      enabled: true,
      paused: false,
      status: { state: "unknown", working: false },
    });
    const listed = await call(printersRoute.GET, { bearer: op, method: "GET" });
    expect(listed.json.printers.map((p: { name: string }) => p.name)).toEqual(["grill", "spare"]);
    // Another partner sees none of them, and cannot touch one.
    expect((await call(printersRoute.GET, { bearer: otherOp, method: "GET" })).json.printers).toEqual([]);
    expect(
      (await call(printerRoute.PATCH, { bearer: otherOp, method: "PATCH", params: { id: grill.json.id }, body: { port: 9101 } })).status,
    ).toBe(404);
    expect((await call(jobsRoute.GET, { bearer: otherOp, method: "GET", params: { id: grill.json.id } })).status).toBe(404);

    const changed = await call(printerRoute.PATCH, {
      bearer: op,
      method: "PATCH",
      params: { id: grill.json.id },
      body: { port: 9101, receipt: true, backup: null },
    });
    expect(changed.json).toMatchObject({ port: 9101, receipt: true, backup: null });

    // The print station's token pauses and prints a test page; it does not change the setup.
    const paused = await call(printerRoute.PATCH, {
      bearer: printerToken,
      method: "PATCH",
      params: { id: grill.json.id },
      body: { paused: true },
    });
    expect(paused.json).toMatchObject({ paused: true, status: { working: false } });
    expect(
      (await call(printerRoute.PATCH, { bearer: printerToken, method: "PATCH", params: { id: grill.json.id }, body: { port: 1 } })).status,
    ).toBe(403);
    expect((await call(testRoute.POST, { bearer: printerToken, params: { id: grill.json.id } })).status).toBe(201);
    const jobs = await call(jobsRoute.GET, { bearer: printerToken, method: "GET", params: { id: grill.json.id } });
    expect(jobs.json.jobs).toMatchObject([{ kind: "test", state: "queued" }]);
    expect((await call(printersRoute.POST, { bearer: printerToken, body: { partner: "demo", name: "x", host: "h" } })).status).toBe(403);

    // A spare that is someone's backup can go: the other printer simply has none.
    await call(printerRoute.PATCH, { bearer: op, method: "PATCH", params: { id: grill.json.id }, body: { backup: "spare" } });
    expect((await call(printerRoute.DELETE, { bearer: op, method: "DELETE", params: { id: spare.json.id } })).json).toEqual({
      id: spare.json.id,
      deleted: true,
    });
    expect((await call(printersRoute.GET, { bearer: op, method: "GET" })).json.printers).toMatchObject([{ name: "grill", backup: null }]);
    expect((await call(printerRoute.DELETE, { bearer: op, method: "DELETE", params: { id: grill.json.id } })).status).toBe(200);
    expect(await count()).toBe(0);
  });

  it.each([
    [{ host: "bad host" }, "host"],
    [{ host: "a\u0000b" }, "host"],
    [{ name: "a\u0000b" }, "name"],
    [{ name: "" }, "name"],
    [{ port: 0 }, "port"],
    [{ port: 70_000 }, "port"],
    [{ port: 2_147_483_648 }, "port"],
    [{ port: 1.5 }, "port"],
    [{ paperWidth: 76 }, "paperWidth"],
    [{ stations: ["grill"] }, "stations"],
    [{ stations: ["ov\u0000en"] }, "stations.0"],
    [{ codePage: "cp9999" }, "codePage"],
    [{ backup: "nobody" }, "backup"],
    [{ receipt: "yes" }, "receipt"],
    [{ color: "red" }, "color"],
  ])("refuses %j naming %s, writing nothing", async (bad, field) => {
    const before = await count();
    const res = await call(printersRoute.POST, { bearer: op, body: { partner: "demo", name: "p", host: "127.0.0.1", ...bad } });
    expect(res.status).toBe(400);
    expect(res.json.error.details.field).toBe(field);
    expect(await count()).toBe(before);
  });

  it.each([
    [{ host: "bad host" }, "host"],
    [{ port: 0 }, "port"],
    [{ port: 2_147_483_648 }, "port"],
    [{ paperWidth: 76 }, "paperWidth"],
    [{ stations: ["grill"] }, "stations"],
    [{ codePage: "cp9999" }, "codePage"],
    [{ backup: "nobody" }, "backup"],
    [{ backup: "patched" }, "backup"],
    [{ paused: "yes" }, "paused"],
    [{ name: "" }, "name"],
    [{ partner: "other" }, "partner"],
  ])("PATCH refuses %j naming %s, changing nothing", async (bad, field) => {
    const made = await call(printersRoute.POST, {
      bearer: op,
      body: { partner: "demo", name: "patched", host: "10.0.0.7", stations: ["oven"] },
    });
    expect(made.status).toBe(201);
    try {
      const before = await t.db.selectFrom("printers").selectAll().where("id", "=", made.json.id).executeTakeFirstOrThrow();
      const res = await call(printerRoute.PATCH, { bearer: op, method: "PATCH", params: { id: made.json.id }, body: bad });
      expect(res.status).toBe(400);
      expect(res.json.error.details.field).toBe(field);
      expect(await t.db.selectFrom("printers").selectAll().where("id", "=", made.json.id).executeTakeFirstOrThrow()).toEqual(before);
    } finally {
      await call(printerRoute.DELETE, { bearer: op, method: "DELETE", params: { id: made.json.id } });
    }
  });

  it("reprint: an unknown job or another restaurant's is 404, a test page 409, a slip 201 stamped as a reprint", async () => {
    const made = await call(printersRoute.POST, { bearer: op, body: { partner: "demo", name: "console", host: "10.0.0.8" } });
    try {
      expect((await call(reprintRoute.POST, { bearer: op, params: { id: "nope" } })).status).toBe(404);
      const page = await call(testRoute.POST, { bearer: printerToken, params: { id: made.json.id } });
      expect(page.status).toBe(201);
      expect((await call(reprintRoute.POST, { bearer: otherOp, params: { id: page.json.id } })).status).toBe(404);
      const refused = await call(reprintRoute.POST, { bearer: printerToken, params: { id: page.json.id } });
      expect(refused.status).toBe(409);
      expect(refused.json.error.details.field).toBe("id");
      const jobs = async () => (await t.db.selectFrom("printJobs").select("id").where("printerId", "=", made.json.id).execute()).length;
      expect(await jobs()).toBe(1);
      // A slip (as the dispatcher planned it from the log) is queued again, stamped.
      const slip = {
        kind: "order",
        eventType: "order.confirmed",
        eventStations: ["oven"],
        job: {
          key: "1:kitchen:oven",
          eventId: 1,
          kind: "kitchen",
          station: "oven",
          reprint: false,
          fallback: false,
          fired: false,
          courses: [],
          items: [],
          order: { ticketNumber: 7, displayCode: "A7" },
        },
      };
      await t.db
        .insertInto("printJobs")
        .values({
          id: `slip-${t.dialect}`,
          partnerId: demo.partner.id,
          printerId: made.json.id,
          jobKey: "1:kitchen:oven",
          eventId: 1,
          orderId: null,
          kind: "kitchen",
          station: "oven",
          document: JSON.stringify(slip),
          state: "printed",
          attempts: 1,
          queuedAt: new Date().toISOString(),
          nextAttemptAt: new Date().toISOString(),
          lastError: null,
          leaseOwner: null,
          leaseUntil: null,
          sentAt: null,
          printedAt: new Date().toISOString(),
          backupFrom: null,
          movedTo: null,
          late: 0,
        })
        .execute();
      const again = await call(reprintRoute.POST, { bearer: printerToken, params: { id: `slip-${t.dialect}` } });
      expect(again.status).toBe(201);
      expect(again.json).toMatchObject({ kind: "kitchen", station: "oven", reprint: true, state: "queued", ticketNumber: 7 });
      expect(await jobs()).toBe(3);
    } finally {
      await call(printerRoute.DELETE, { bearer: op, method: "DELETE", params: { id: made.json.id } });
    }
  });

  it("a duplicate name is 409; an unknown partner 404", async () => {
    expect((await call(printersRoute.POST, { bearer: op, body: { partner: "demo", name: "dup", host: "h1" } })).status).toBe(201);
    const again = await call(printersRoute.POST, { bearer: op, body: { partner: "demo", name: "dup", host: "h2" } });
    expect(again.status).toBe(409);
    expect(again.json.error.details.field).toBe("name");
    expect((await call(printersRoute.POST, { bearer: op, body: { partner: "other", name: "x", host: "h" } })).status).toBe(404);
  });
});
