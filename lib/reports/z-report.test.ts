/**
 * The end-of-day Z report (issue "Reports and end of day" item 2): written at the cut-over with the
 * day's figures and a PDF whose text is read back (pdfjs-dist, lib/testing/pdf-text.ts), kept and
 * served as written, webhooked once as `report.z`; and once per partner and day though two job
 * nodes — separate processes on one database (lib/testing/scripts/job-node.ts, as the jobs'
 * exactly-once test) — run the `report:z` sweep at the same time. On SQLite and PostgreSQL.
 */
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Principal } from "../auth";
import { enqueueJob, JOB_TASKS } from "../events/jobs";
import { listFailedJobs } from "../jobs";
import { installJobQueue } from "../jobs/graphile";
import { createPartner } from "../menu";
import { createWebhook } from "../notifications";
import { businessDay, confirmOrder, changeStatus } from "../orders";
import { TEST_SESSION_SECRET } from "../testing/db";
import { describeEachDatabase } from "../testing/each-database";
import { startFakeWebhookReceiver, type FakeWebhookReceiver } from "../testing/fake-receivers";
import { makePartner, makeUser, placeOrder, type TestPartner } from "../testing/fixtures";
import { pdfText } from "../testing/pdf-text";
import { addDays } from "./days";
import { getZReport, listZReports, writeDueZReports } from "./z-report";

const NODE_SCRIPT = path.resolve(import.meta.dirname, "../testing/scripts/job-node.ts");
const ROOT = path.resolve(import.meta.dirname, "../..");
const NODE_PARTNERS = 12;

type JobNode = { child: ChildProcess; output: () => string };

async function startNode(env: Record<string, string>): Promise<JobNode> {
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", NODE_SCRIPT, "300", "2000", "2000"], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const deadline = Date.now() + 30_000;
  while (!out.includes("ready")) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`job node did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, output: () => out };
}

describeEachDatabase("end-of-day Z report", (ctx) => {
  let zed: TestPartner;
  let operator: Principal;
  const nodes: JobNode[] = [];
  let receiver: FakeWebhookReceiver;

  beforeAll(async () => {
    receiver = await startFakeWebhookReceiver();
    if (ctx.dialect === "postgres") await installJobQueue({ db: ctx.db, databaseUrl: ctx.t.config.databaseUrl! });
    zed = await makePartner(ctx.db, "zed", { timezone: "Europe/Paris", cutoverHour: 4, currency: "EUR", locale: "fr-FR" });
    await ctx.db.updateTable("partners").set({ createdAt: "2026-03-27T09:00:00.000Z" }).where("id", "=", zed.partner.id).execute();
    ({ principal: operator } = await makeUser(ctx.db, { partnerId: zed.partner.id, role: "operator", username: "zed-op" }));
    const { principal: admin } = await makeUser(ctx.db, { partnerId: null, role: "admin", username: "zed-admin" });
    const hook = await createWebhook({
      db: ctx.db,
      principal: admin,
      partner: "zed",
      input: { url: `${receiver.url}/z`, events: ["report.z"] },
      allowPrivate: true,
    });
    receiver.hook.secret = hook.secret;
    // Saturday 2026-03-28 (the DST night): a 17,50 € cash sale at 12:30, a 9,00 € card sale at 00:30
    // Sunday (still Saturday's business day), and a cancelled pending order.
    const sale = async (created: string, items: { food: string; quantity?: number }[], paymentMethod: "CASH" | "CARD") => {
      const { order } = await placeOrder(ctx.db, zed, { items, now: new Date(created) });
      await confirmOrder({
        db: ctx.db,
        principal: operator,
        id: order.id,
        input: { paymentMethod },
        now: new Date(Date.parse(created) + 60_000),
      });
    };
    await sale("2026-03-28T11:30:00Z", [{ food: "Margherita" }, { food: "Fries" }], "CASH");
    await sale("2026-03-28T23:30:00Z", [{ food: "Fries", quantity: 2 }], "CARD");
    const { order } = await placeOrder(ctx.db, zed, { items: [{ food: "Lemonade" }], now: new Date("2026-03-28T13:00:00Z") });
    await changeStatus({
      db: ctx.db,
      principal: operator,
      id: order.id,
      status: "CANCELLED",
      reason: "Client parti",
      now: new Date("2026-03-28T13:02:00Z"),
    });
  }, 60_000);

  afterAll(async () => {
    for (const n of nodes) if (n.child.exitCode === null) n.child.kill("SIGKILL");
    await receiver.close();
  });

  /** Jobs waiting or running in this database's queue (graphile's on PostgreSQL, the embedded one on SQLite). */
  const queued = async () => {
    if (ctx.dialect === "postgres") {
      const schema = `${new URL(ctx.t.config.databaseUrl!).searchParams.get("options")!.split("=")[1]}_jobs`;
      return Number((await sql<{ n: string }>`select count(*) as n from ${sql.id(schema, "jobs")}`.execute(ctx.db)).rows[0]!.n);
    }
    return Number(
      (
        await ctx.db
          .selectFrom("jobs")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );
  };

  it("at the cut-over writes each ended day once, with its figures and a PDF that says them", async () => {
    // One second before Sunday's 04:00 CEST the day has not ended: only Friday's (the partner's first) is due.
    expect(await writeDueZReports({ db: ctx.db, now: new Date("2026-03-29T01:59:59Z"), node: "a" })).toEqual([
      { partner: "zed", businessDay: "2026-03-27" },
    ]);
    expect(await writeDueZReports({ db: ctx.db, now: new Date("2026-03-29T02:00:30Z"), node: "a" })).toEqual([
      { partner: "zed", businessDay: "2026-03-28" },
    ]);
    // Again (another node, a retried job): nothing more.
    expect(await writeDueZReports({ db: ctx.db, now: new Date("2026-03-29T02:05:00Z"), node: "b" })).toEqual([]);

    const z = await getZReport({ db: ctx.db, principal: operator, file: "2026-03-28.pdf" });
    expect(z.figures.totals).toMatchObject({ orders: 2, revenue: 1750 + 900, cancelled: 1, refunds: 0 });
    expect(z.figures.payments).toEqual([
      { method: "CASH", orders: 1, amount: 1750 },
      { method: "CARD", orders: 1, amount: 900 },
    ]);
    expect(z.pdf.subarray(0, 5).toString()).toBe("%PDF-");
    const text = (await pdfText(z.pdf)).join("\n");
    expect(text).toContain("Rapport Z — Partner zed");
    expect(text).toContain("Journée du 2026-03-28");
    expect(text).toMatch(/Chiffre d’affaires \(après remises\)\s+26,50 €/);
    expect(text).toMatch(/Commandes\s+2\b/);
    expect(text).toMatch(/CASH\s+1\s+17,50 €/);
    expect(text).toMatch(/CARD\s+1\s+9,00 €/);
    expect(text).toMatch(/Client parti\s+1\s+3,50 €\s+0/);
    expect(text).toMatch(/Fries\s+3\s+13,50 €/);

    const list = await listZReports({ db: ctx.db, principal: operator });
    expect(list.reports.map((r) => [r.businessDay, r.orders, r.revenue])).toEqual([
      ["2026-03-28", 2, 2650],
      ["2026-03-27", 0, 0],
    ]);
    // Once webhooked per written day, never for the repeat.
    const outbox = await ctx.db.selectFrom("outbox").select(["body"]).where("channel", "=", "webhook").execute();
    const days = outbox
      .map((o) => JSON.parse(o.body) as { type: string; payload: { businessDay: string } })
      .filter((b) => b.type === "report.z")
      .map((b) => b.payload.businessDay)
      .sort();
    expect(days).toEqual(["2026-03-27", "2026-03-28"]);
    await expect(getZReport({ db: ctx.db, principal: operator, file: "2026-03-26.pdf" })).rejects.toMatchObject({ status: 404 });
    await expect(getZReport({ db: ctx.db, principal: operator, file: "2026-03-28.txt" })).rejects.toMatchObject({
      status: 400,
      details: { field: "businessDay" },
    });
  }, 60_000);

  it("two job nodes running the sweep at once write each partner's day once", async () => {
    // Partners created two days ago, in zones around the world: each has its own ended days.
    const zones = ["UTC", "Europe/Paris", "America/New_York", "Asia/Tokyo", "Australia/Sydney", "Pacific/Auckland"];
    const created = new Date(Date.now() - 2 * 86_400_000).toISOString();
    for (let i = 0; i < NODE_PARTNERS; i++) {
      const p = await createPartner({
        db: ctx.db,
        slug: `node${i}`,
        name: `Node ${i}`,
        timezone: zones[i % zones.length],
        cutoverHour: i % 6,
        foods: [],
      });
      await ctx.db.updateTable("partners").set({ createdAt: created }).where("id", "=", p.id).execute();
    }
    const env = {
      DATABASE_URL: ctx.t.config.databaseUrl ?? "",
      DATA_DIR: ctx.t.config.dataDir,
      SESSION_SECRET: TEST_SESSION_SECRET,
      VAPID_PUBLIC_KEY: ctx.t.config.vapid.publicKey,
      VAPID_PRIVATE_KEY: ctx.t.config.vapid.privateKey,
      WEBHOOK_ALLOW_PRIVATE: "1",
      REDIS_URL: "",
    };
    nodes.push(await startNode(env), await startNode(env));
    // Several sweeps queued at once (no job key): both nodes take some and run them side by side.
    for (let i = 0; i < 8; i++) await enqueueJob(ctx.db, { task: JOB_TASKS.zReport, payload: {} });

    const partners = await ctx.db.selectFrom("partners").select(["id", "slug", "timezone", "cutoverHour", "createdAt"]).execute();
    const now = new Date();
    let expected = 0;
    for (const p of partners.filter((p) => p.slug.startsWith("node"))) {
      const clock = { timezone: p.timezone, cutoverHour: Number(p.cutoverHour) };
      const today = businessDay({ at: now, ...clock });
      const first = businessDay({ at: new Date(p.createdAt), ...clock });
      for (let d = first; d < today; d = addDays(d, 1)) expected++;
    }
    expect(expected).toBeGreaterThanOrEqual(NODE_PARTNERS * 2);
    const nodeRows = async () =>
      (
        await ctx.db
          .selectFrom("zReports")
          .innerJoin("partners", "partners.id", "zReports.partnerId")
          .select(["slug", "businessDay", "createdBy"])
          .execute()
      ).filter((r) => r.slug.startsWith("node"));
    const deadline = Date.now() + 90_000;
    while ((await nodeRows()).length < expected) {
      if (Date.now() > deadline)
        throw new Error(`only ${(await nodeRows()).length} of ${expected} Z reports:\n${nodes.map((n) => n.output()).join("\n")}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    // Let every queued sweep (and the webhooks of zed's days) finish, then count: one row and one report.z event per partner and day.
    while ((await queued()) > 0) {
      if (Date.now() > deadline) throw new Error(`jobs not finished:\n${nodes.map((n) => n.output()).join("\n")}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const rows = await nodeRows();
    expect(rows.length).toBe(expected);
    expect(new Set(rows.map((r) => `${r.slug}/${r.businessDay}`)).size).toBe(expected);
    const events = await ctx.db.selectFrom("events").select(["payload"]).where("type", "=", "report.z").execute();
    const keyed = events
      .map((e) => JSON.parse(e.payload) as { partner: string; businessDay: string })
      .filter((e) => e.partner.startsWith("node"));
    expect(keyed.length).toBe(expected);
    expect(await listFailedJobs({ handle: ctx.t, partnerId: null })).toEqual([]);
    // zed's webhook got each of its days' report.z once (a repeat would carry the same delivery id), signed.
    const zedRows = await ctx.db.selectFrom("zReports").select("businessDay").where("partnerId", "=", zed.partner.id).execute();
    const bodies = receiver.received.map(
      (r) => JSON.parse(r.body.toString("utf8")) as { id: string; type: string; report: { businessDay: string; pdf: string } },
    );
    expect(new Set(bodies.map((b) => b.report.businessDay))).toEqual(new Set(zedRows.map((r) => r.businessDay)));
    expect(new Set(bodies.map((b) => b.id)).size).toBe(zedRows.length);
    expect(bodies.every((b) => b.type === "report.z" && b.report.pdf === `/api/reports/z/${b.report.businessDay}.pdf?partner=zed`)).toBe(
      true,
    );
    expect(receiver.hook.validSignatures).toBe(receiver.received.length);
    console.log(
      `z-report nodes ${ctx.dialect}: ${expected} reports, written by ${JSON.stringify(Object.fromEntries([...new Set(rows.map((r) => r.createdBy))].map((w) => [w, rows.filter((r) => r.createdBy === w).length])))}, jobs done per node ${nodes.map((n) => /done (\d+)\n(?![\s\S]*done)/.exec(n.output())?.[1] ?? 0).join(" + ")}`,
    );
  }, 180_000);
});
