/**
 * The server-side dispatcher against fake ESC/POS printers on loopback (lib/testing/fake-printer.ts),
 * on SQLite and PostgreSQL: what a two-station order prints, paper out and failover, a printer
 * down and back (LATE), a restart mid-job, two dispatchers on one database, a slow printer next to
 * a fast one. Timeouts are shortened so each case runs in about a second.
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "../auth";
import { openDatabase, type Db } from "../db";
import { createGroup, updateFood } from "../menu";
import { getOrderByTrackingToken } from "../orders";
import { flagUnacknowledged } from "../orders/screens";
import { fireDue, stationAction } from "../orders/stations";
import { describeEachDatabase } from "../testing/each-database";
import { FakePrinter, type PrintedTicket } from "../testing/fake-printer";
import { makePartner, makeUser, placeConfirmedOrder, type TestPartner } from "../testing/fixtures";
import { DISPATCHER_DEFAULTS, type DispatcherOptions, PrintDispatcher, retryDelay } from "./dispatcher";
import { createPrinter, listPrinters } from "./printers";
import { listJobs, queueTestPage, reprintJob } from "./queue";

const FAST: DispatcherOptions = {
  pollMs: 30,
  statusEveryMs: 150,
  connectTimeoutMs: 400,
  statusTimeoutMs: 400,
  msPerByte: 3,
  failoverMs: 700,
  lateMs: 60_000,
  retryBaseMs: 80,
  retryMaxMs: 200,
  leaseMs: 800,
  log: process.env.PRINT_DEBUG ? console.log : () => {},
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function fake(options: ConstructorParameters<typeof FakePrinter>[0] = {}) {
  const p = await new FakePrinter(options).listen();
  cleanups.push(() => p.close());
  return p;
}

function dispatcher(db: Db, options: DispatcherOptions = {}) {
  const d = new PrintDispatcher(db, { ...FAST, ...options }).start();
  cleanups.push(() => d.stop());
  return d;
}

const ticketOf = (printer: FakePrinter, ticket: number) => printer.tickets.find((t) => t.text.includes(`#${ticket}`));
const count = (printer: FakePrinter, ticket: number) =>
  printer.tickets.filter((t) => t.lines.some((l) => l.text.trim() === `#${ticket}`)).length;
const line = (t: PrintedTicket, text: string) => t.lines.find((l) => l.text.includes(text));

describe("retries", () => {
  it("back off: 0.5 s, 1 s, 2 s, 4 s, then every 5 s (the defaults)", () => {
    expect([1, 2, 3, 4, 5, 6, 20].map((n) => retryDelay(n, DISPATCHER_DEFAULTS))).toEqual([500, 1000, 2000, 4000, 5000, 5000, 5000]);
    expect(DISPATCHER_DEFAULTS).toMatchObject({ failoverMs: 10_000, lateMs: 120_000 });
  });
});

describeEachDatabase("print dispatcher", (t) => {
  let n = 0;
  let admin: Principal;
  beforeAll(async () => {
    admin = (await makeUser(t.db, { partnerId: null, role: "admin", username: "print-admin" })).principal;
  });

  async function restaurant(opts: { currency?: string; locale?: string } = {}) {
    const demo = await makePartner(t.db, `print-${t.dialect}-${++n}`);
    if (opts.currency)
      await t.db
        .updateTable("partners")
        .set({ currency: opts.currency, locale: opts.locale ?? "en-US" })
        .where("id", "=", demo.partner.id)
        .execute();
    const operator = (await makeUser(t.db, { partnerId: demo.partner.id, role: "operator", username: `op-${t.dialect}-${n}` })).principal;
    return { demo, operator };
  }

  const addPrinter = (
    demo: TestPartner,
    name: string,
    printer: FakePrinter,
    extra: Partial<Parameters<typeof createPrinter>[0]["input"]> = {},
  ) =>
    createPrinter({
      db: t.db,
      principal: admin,
      input: { partner: demo.partner.slug, name, host: "127.0.0.1", port: printer.port, ...extra },
    });

  const jobsOf = (printerId: string) => t.db.selectFrom("printJobs").selectAll().where("printerId", "=", printerId).execute();

  it("a two-station order with options and an allergy: each station's slip on its printer, the receipt with currency and QR", async () => {
    const { demo, operator } = await restaurant({ currency: "EUR", locale: "de-DE" });
    const group = await createGroup({
      db: t.db,
      principal: admin,
      input: {
        partner: demo.partner.slug,
        name: "Extras",
        min: 0,
        max: 2,
        options: [{ name: "Extra cheese", priceDelta: "1.50" }, { name: "No basil" }],
      },
    });
    await updateFood({ db: t.db, principal: admin, id: demo.food("Margherita").id, patch: { modifierGroupIds: [group.id] } });
    const [oven, fryer, front] = [await fake(), await fake(), await fake()];
    await addPrinter(demo, "oven", oven, { stations: ["oven"] });
    await addPrinter(demo, "fryer", fryer, { stations: ["fryer"], paperWidth: 58 });
    await addPrinter(demo, "front", front, { receipt: true });
    dispatcher(t.db, { trackUrl: (id) => `https://pass.test/track/${id}?token=trk_r_test` });

    const order = await placeConfirmedOrder(t.db, demo, operator, {
      table: "5",
      items: [
        { food: "Margherita", notes: "cut in 8" },
        { food: "Fries", quantity: 2 },
      ],
      allergies: { codes: ["peanuts"], note: "severe" },
    });
    await Promise.all([oven.waitForTickets(1), fryer.waitForTickets(1), front.waitForTickets(1)]);
    const ovenSlip = oven.tickets[0]!;
    expect(ovenSlip.cut).toBe(true);
    expect(ovenSlip.codepages).toContain(19); // PC858 for German, with the euro sign
    expect(line(ovenSlip, `Partner ${demo.partner.slug}`)).toBeTruthy();
    expect(line(ovenSlip, `#${order.ticketNumber}`)).toMatchObject({ width: 3, height: 3 });
    expect(line(ovenSlip, "DINE-IN · Table 5")).toBeTruthy();
    expect(line(ovenSlip, "OVEN")).toBeTruthy();
    expect(line(ovenSlip, "1 x Margherita")).toMatchObject({ height: 2 });
    expect(line(ovenSlip, "ALLERGY")).toMatchObject({ inverse: true });
    expect(line(ovenSlip, "ALLERGY")!.text).toMatch(/PEANUT/);
    // The guest's note in a box drawn with the page's box characters.
    const note = ovenSlip.lines.findIndex((l) => l.text.includes("cut in 8"));
    expect(ovenSlip.lines[note]!.text).toMatch(/│ ?cut in 8 +│/);
    expect(ovenSlip.lines[note - 1]!.text).toMatch(/┌─+┐/);
    expect(ovenSlip.text).not.toContain("Fries");
    expect(ovenSlip.qr).toEqual([]);
    expect(ovenSlip.text).not.toMatch(/REPRINT|LATE|BACKUP FROM|NOT SEEN/); // printed at once, on its own printer

    const fryerSlip = fryer.tickets[0]!;
    expect(line(fryerSlip, "2 x Fries")).toBeTruthy();
    expect(fryerSlip.text).not.toContain("Margherita");
    expect(Math.max(...fryerSlip.lines.map((l) => l.text.length))).toBeLessThanOrEqual(32); // 58 mm

    const receipt = front.tickets[0]!;
    expect(line(receipt, "RECEIPT")).toBeTruthy();
    expect(line(receipt, "1 x Margherita")!.text).toMatch(/13,00\s€$/); // 12,50 € + 0,50 € surcharge
    expect(line(receipt, "2 x Fries")!.text).toMatch(/9,00\s€$/);
    expect(line(receipt, "TOTAL")!.text).toMatch(/\d+,\d\d\s€$/);
    expect(receipt.qr).toEqual([`https://pass.test/track/${order.id}?token=trk_r_test`]);

    // Printed only after the printer answered ready: each job row says so.
    for (const p of await listPrinters({ db: t.db, principal: admin, partner: demo.partner.slug })) {
      await until(`${p.name}'s job printed`, async () => (await jobsOf(p.id)).every((j) => j.state === "printed"));
      expect((await jobsOf(p.id)).map((j) => j.state)).toEqual(["printed"]);
      expect(p.status).toMatchObject({ state: "ready", working: true });
    }
  });

  it("the receipt's QR code opens the guest's /track page (PUBLIC_URL, the receipt's derived token)", async () => {
    const { demo, operator } = await restaurant();
    const front = await fake();
    await addPrinter(demo, "front", front, { receipt: true });
    dispatcher(t.db, { publicUrl: "https://pass.example.com/" });
    const order = await placeConfirmedOrder(t.db, demo, operator, { items: [{ food: "Fries" }] });
    await front.waitForTickets(1);
    const [url] = front.tickets[0]!.qr;
    const link = new URL(url!);
    expect(`${link.origin}${link.pathname}`).toBe(`https://pass.example.com/track/${order.id}`);
    const token = link.searchParams.get("token")!;
    expect(token).toMatch(/^trk_r\./);
    expect(await getOrderByTrackingToken({ db: t.db, id: order.id, trackingToken: token })).toMatchObject({ id: order.id });
    await expect(getOrderByTrackingToken({ db: t.db, id: order.id, trackingToken: `${token}x` })).rejects.toThrow();
  });

  it("options print under their line", async () => {
    const { demo, operator } = await restaurant();
    const group = await createGroup({
      db: t.db,
      principal: admin,
      input: { partner: demo.partner.slug, name: "Extras", min: 0, max: 2, options: [{ name: "Extra cheese" }, { name: "No basil" }] },
    });
    await updateFood({ db: t.db, principal: admin, id: demo.food("Margherita").id, patch: { modifierGroupIds: [group.id] } });
    const oven = await fake();
    await addPrinter(demo, "oven", oven, { stations: ["oven"] });
    dispatcher(t.db);
    const { createOrder, confirmOrder } = await import("../orders");
    const { order: placed } = await createOrder({
      db: t.db,
      principal: null,
      input: {
        partner: demo.partner.slug,
        items: [
          {
            foodId: demo.food("Margherita").id,
            quantity: 1,
            modifiers: [{ groupId: group.id, optionIds: group.options.map((o) => o.id) }],
          },
        ],
      },
    });
    const order = await confirmOrder({ db: t.db, principal: operator, id: placed.id, input: { paymentMethod: "CASH" } });
    await oven.waitForTickets(1);
    const slip = oven.tickets[0]!.text;
    expect(slip).toMatch(/1 x Margherita\n +\+ Extra cheese\n +NO basil/);
    // Seen on paper: a printer-confirmed slip for every station counts as seen (no unseen alarm).
    await until("the ticket acknowledged", async () => {
      const row = await t.db.selectFrom("orders").select("kitchenAckAt").where("id", "=", order.id).executeTakeFirstOrThrow();
      return row.kitchenAckAt;
    });
  });

  it("every fired station slip is accounted for: printer-confirmed counts as seen; a slip no printer confirmed raises the unseen-ticket alarm and prints NOT SEEN BY KITCHEN", async () => {
    const { demo, operator } = await restaurant();
    const [oven, dead] = [await fake(), await fake()];
    await addPrinter(demo, "oven", oven, { stations: ["oven"] });
    const down = await addPrinter(demo, "fryer", dead, { stations: ["fryer"] });
    dead.set({ paperOut: true });
    dispatcher(t.db);
    const ackOf = async (id: number) =>
      t.db.selectFrom("orders").select(["kitchenAckAt", "kitchenAlertAt"]).where("id", "=", id).executeTakeFirstOrThrow();

    // Printed and confirmed at its station: seen, the alarm passes it by.
    const printed = await placeConfirmedOrder(t.db, demo, operator, { items: [{ food: "Margherita" }] });
    await oven.waitForTickets(1);
    await until("the printed ticket acknowledged", async () => (await ackOf(printed.id)).kitchenAckAt);
    // One station printed, the other's printer is out of paper (no backup): not seen.
    const stuck = await placeConfirmedOrder(t.db, demo, operator, { items: [{ food: "Margherita" }, { food: "Fries" }] });
    await oven.waitForTickets(2);
    await until("the fryer's failed attempt", async () => (await jobsOf(down.id)).find((j) => j.lastError === "paper-out"));
    await sleep(300);
    expect((await ackOf(stuck.id)).kitchenAckAt).toBeNull();

    const later = new Date(Date.now() + 120_000);
    const flagged = await flagUnacknowledged({ db: t.db, afterMs: 60_000, now: later });
    expect(flagged).toContain(stuck.id);
    expect(flagged).not.toContain(printed.id);
    expect((await ackOf(stuck.id)).kitchenAlertAt).not.toBeNull();
    // The alarm's fallback prints the fired tickets again, stamped, where a printer works.
    await oven.waitForTickets(3);
    const fallback = oven.tickets[2]!;
    expect(line(fallback, "NOT SEEN BY KITCHEN")).toMatchObject({ inverse: true });
    expect(line(fallback, `#${stuck.ticketNumber}`)).toBeTruthy();
    expect(dead.tickets).toEqual([]);
  });

  it("fired courses: a ticket counts as seen only once every fired slip so far was printer-confirmed", async () => {
    const { demo, operator } = await restaurant();
    const chef = (await makeUser(t.db, { partnerId: demo.partner.id, role: "kitchen", username: `chef-${t.dialect}-${n}` })).principal;
    const [oven, bar] = [await fake(), await fake()];
    await addPrinter(demo, "bar", bar, { stations: ["bar"] });
    await addPrinter(demo, "oven", oven, { stations: ["oven"] });
    dispatcher(t.db);
    const ack = async (id: number) =>
      (await t.db.selectFrom("orders").select("kitchenAckAt").where("id", "=", id).executeTakeFirstOrThrow()).kitchenAckAt;
    const twoCourses = () =>
      placeConfirmedOrder(t.db, demo, operator, {
        items: [
          { food: "Margherita", course: 1 },
          { food: "Lemonade", course: 2 },
        ],
      });

    // Course 1's oven slip printed: seen. Course 2 fires on the bump; its bar slip prints too.
    const both = await twoCourses();
    await oven.waitForTickets(1);
    await until("course 1 acknowledged", () => ack(both.id));
    await stationAction({ db: t.db, principal: chef, id: both.id, station: "oven", action: "bump" });
    await bar.waitForTickets(1);
    expect(bar.tickets[0]!.text).toMatch(/BAR · COURSE 2/);
    expect(bar.tickets[0]!.text).toMatch(/FIRED/);

    // The oven printer out of paper (no backup): course 1 is on no paper, so course 2 printing
    // does not make the ticket seen — it stays for the unseen-ticket alarm.
    oven.set({ paperOut: true });
    const unseen = await twoCourses();
    await sleep(500);
    expect(oven.tickets).toHaveLength(1);
    await stationAction({ db: t.db, principal: chef, id: unseen.id, station: "oven", action: "bump" });
    await bar.waitForTickets(2);
    await sleep(400);
    expect(await ack(unseen.id)).toBeNull();
    expect(await flagUnacknowledged({ db: t.db, afterMs: 60_000, now: new Date(Date.now() + 120_000) })).toContain(unseen.id);
  });

  it("a scheduled order: its slips print at its fire time, and once printer-confirmed the ticket counts as seen", async () => {
    const { demo, operator } = await restaurant();
    const [oven, fryer] = [await fake(), await fake()];
    await addPrinter(demo, "oven", oven, { stations: ["oven"] });
    await addPrinter(demo, "fryer", fryer, { stations: ["fryer"] });
    dispatcher(t.db);
    const promisedAt = new Date(Date.now() + 3 * 3600_000).toISOString();
    const order = await placeConfirmedOrder(t.db, demo, operator, { items: [{ food: "Margherita" }, { food: "Fries" }], promisedAt });
    await sleep(500);
    expect([oven.tickets, fryer.tickets]).toEqual([[], []]);
    await fireDue({ db: t.db, now: new Date(Date.parse(promisedAt)) });
    await Promise.all([oven.waitForTickets(1), fryer.waitForTickets(1)]);
    expect(oven.tickets[0]!.text).toMatch(/FIRED/);
    await until(
      "the fired ticket acknowledged",
      async () =>
        (await t.db.selectFrom("orders").select("kitchenAckAt").where("id", "=", order.id).executeTakeFirstOrThrow()).kitchenAckAt,
    );
  });

  it("the console's Reprint prints the slip again stamped REPRINT; a test page prints; another restaurant's job is 404", async () => {
    const { demo, operator } = await restaurant();
    const other = await restaurant();
    const oven = await fake();
    const row = await addPrinter(demo, "oven", oven, { stations: ["oven"] });
    dispatcher(t.db);
    const order = await placeConfirmedOrder(t.db, demo, operator, { items: [{ food: "Margherita" }] });
    await oven.waitForTickets(1);
    const [job] = await listJobs({ db: t.db, principal: operator, printerId: row.id });
    expect(job).toMatchObject({ kind: "kitchen", station: "oven", ticketNumber: order.ticketNumber });
    await until("the slip printed", async () => (await jobsOf(row.id)).every((j) => j.state === "printed"));

    await expect(reprintJob({ db: t.db, principal: other.operator, jobId: job!.id })).rejects.toMatchObject({ status: 404 });
    const again = await reprintJob({ db: t.db, principal: operator, jobId: job!.id });
    expect(again).toMatchObject({ reprint: true, state: "queued", ticketNumber: order.ticketNumber });
    await oven.waitForTickets(2);
    expect(line(oven.tickets[1]!, "*** REPRINT ***")).toMatchObject({ inverse: true });
    expect(line(oven.tickets[1]!, `#${order.ticketNumber}`)).toBeTruthy();
    expect(line(oven.tickets[0]!, "REPRINT")).toBeUndefined();

    const page = await queueTestPage({ db: t.db, principal: operator, printerId: row.id });
    await oven.waitForTickets(3);
    expect(oven.tickets[2]!.text).toContain("TEST PAGE");
    await expect(reprintJob({ db: t.db, principal: operator, jobId: page.id })).rejects.toMatchObject({ status: 409 });
    await expect(queueTestPage({ db: t.db, principal: other.operator, printerId: row.id })).rejects.toMatchObject({ status: 404 });
    await until("all printed", async () => (await jobsOf(row.id)).every((j) => j.state === "printed"));
    expect((await jobsOf(row.id)).map((j) => j.kind).sort()).toEqual(["kitchen", "kitchen", "test"]);
  });

  it("paper out: the status says so, nothing counts as printed, and after the timeout the backup prints it stamped BACKUP FROM", async () => {
    const { demo, operator } = await restaurant();
    const [grill, spare] = [await fake(), await fake()];
    grill.set({ paperOut: true });
    const backup = await addPrinter(demo, "spare", spare, { stations: [] });
    const main = await addPrinter(demo, "grill", grill, { stations: ["oven"], backup: "spare" });
    dispatcher(t.db);
    const order = await placeConfirmedOrder(t.db, demo, operator, { items: [{ food: "Margherita" }] });

    const status = await until("paper-out status", async () => {
      const [p] = (await listPrinters({ db: t.db, principal: admin, partner: demo.partner.slug })).filter((x) => x.id === main.id);
      return p?.status.state === "paper-out" ? p.status : undefined;
    });
    expect(status).toMatchObject({ label: "Paper out", working: false });
    expect(grill.tickets).toEqual([]);
    expect(grill.droppedBytes).toBe(0); // not sent while out of paper
    const waiting = await until("the job's failed attempt", async () => (await jobsOf(main.id)).find((j) => j.lastError));
    expect(waiting).toMatchObject({ state: "queued", lastError: "paper-out" });
    expect(waiting!.attempts).toBeGreaterThanOrEqual(1);
    expect(spare.tickets).toEqual([]);

    await spare.waitForTickets(1, 4_000);
    const slip = spare.tickets[0]!;
    expect(line(slip, "BACKUP FROM GRILL")).toMatchObject({ inverse: true });
    expect(line(slip, `#${order.ticketNumber}`)).toBeTruthy();
    expect((await jobsOf(main.id)).map((j) => j.state)).toEqual(["moved"]);
    await until("the backup's job printed", async () => (await jobsOf(backup.id)).some((j) => j.state === "printed"));
    expect((await jobsOf(backup.id)).map((j) => [j.state, j.backupFrom])).toEqual([["printed", "grill"]]);
    // Paper back: nothing more prints on the grill (the job went to the backup).
    grill.set({ paperOut: false });
    await sleep(400);
    expect(grill.tickets).toEqual([]);
  });

  it.each([
    [{ coverOpen: true }, {}, "cover-open", "Cover open"],
    [{ offline: true }, {}, "offline", "Offline"],
    [{}, { mute: true }, "timeout", "Not answering"],
  ] as const)(
    "a printer with %j %j: its status says %s, and nothing is sent or counted printed",
    async (state, options, expected, label) => {
      const { demo, operator } = await restaurant();
      const printer = await fake(options);
      printer.set(state);
      const row = await addPrinter(demo, "grill", printer, { stations: ["oven"] });
      dispatcher(t.db);
      await placeConfirmedOrder(t.db, demo, operator, { items: [{ food: "Margherita" }] });
      const status = await until(`${expected} status`, async () => {
        const p = (await listPrinters({ db: t.db, principal: admin, partner: demo.partner.slug })).find((x) => x.id === row.id);
        return p?.status.state === expected ? p.status : undefined;
      });
      expect(status).toMatchObject({ label, working: false });
      const job = await until("a failed attempt", async () => (await jobsOf(row.id)).find((j) => j.lastError));
      expect(job.state).toBe("queued");
      expect(job.lastError).toBe(expected);
      await sleep(300);
      expect(printer.tickets).toEqual([]);
      expect(printer.droppedBytes).toBe(0);
      expect((await jobsOf(row.id)).some((j) => j.state === "printed")).toBe(false);
    },
  );

  it("the roll ends on a job (ready before, paper out after): not printed; it prints again once paper is back", async () => {
    const { demo, operator } = await restaurant();
    const printer = await fake({ onTicket: () => printer.set({ paperOut: true }) });
    const row = await addPrinter(demo, "grill", printer, { stations: ["oven"] });
    dispatcher(t.db);
    const order = await placeConfirmedOrder(t.db, demo, operator, { items: [{ food: "Margherita" }] });
    await printer.waitForTickets(1);
    const job = await until("the unconfirmed attempt", async () => (await jobsOf(row.id)).find((j) => j.lastError === "paper-out"));
    expect(job).toMatchObject({ state: "queued", printedAt: null });
    printer.options.onTicket = undefined;
    await sleep(300);
    expect(printer.tickets).toHaveLength(1);
    printer.set({ paperOut: false });
    await until("printed after the paper is back", async () => (await jobsOf(row.id)).every((j) => j.state === "printed"));
    expect(printer.tickets.filter((tk) => tk.text.includes(`#${order.ticketNumber}`))).toHaveLength(2);
  });

  it("printer down (port closed) then back: the job prints once, stamped LATE when it waited", async () => {
    const { demo, operator } = await restaurant();
    const printer = await fake();
    const row = await addPrinter(demo, "pass", printer, { stations: ["oven"] });
    await printer.close();
    dispatcher(t.db, { lateMs: 400 });
    const order = await placeConfirmedOrder(t.db, demo, operator, { items: [{ food: "Margherita" }] });
    await until("refused status", async () => {
      const p = (await listPrinters({ db: t.db, principal: admin, partner: demo.partner.slug })).find((x) => x.id === row.id);
      return p?.status.state === "refused";
    });
    await sleep(500);
    await printer.listen();
    await printer.waitForTickets(1, 3_000);
    await sleep(400);
    expect(count(printer, order.ticketNumber!)).toBe(1);
    expect(printer.tickets).toHaveLength(1);
    expect(line(printer.tickets[0]!, "LATE — queued")!.text).toMatch(/LATE — queued \d\d:\d\d/);
    expect((await jobsOf(row.id)).map((j) => [j.state, j.late])).toEqual([["printed", 1]]);
  });

  it("a restart mid-job prints nothing twice", async () => {
    const { demo, operator } = await restaurant();
    const printer = await fake({ bytesPerMs: 1 });
    const row = await addPrinter(demo, "slow", printer, { stations: ["oven"] });
    const first = dispatcher(t.db, { nodeId: "first" });
    const orders = [];
    for (let i = 0; i < 3; i++)
      orders.push(await placeConfirmedOrder(t.db, demo, operator, { items: [{ food: "Margherita", notes: "x".repeat(200) }] }));
    // The first ticket is printed and confirmed, the second on its way (the printer reads 1 byte/ms): the process dies.
    await until(
      "the second job in flight",
      async () => {
        const jobs = await jobsOf(row.id);
        return jobs.filter((j) => j.state === "printed").length === 1 && jobs.some((j) => j.state === "printing" && j.sentAt);
      },
      15_000,
    );
    const before = printer.tickets.length;
    await first.stop({ abrupt: true });
    expect(before).toBe(1);
    const again = dispatcher(t.db, { nodeId: "second" });
    await printer.waitForTickets(3, 15_000);
    await until(
      "the interrupted job marked unconfirmed",
      async () => (await jobsOf(row.id)).some((j) => j.state === "unconfirmed"),
      10_000,
    );
    await sleep(300);
    await again.stop();
    for (const o of orders) expect(count(printer, o.ticketNumber!)).toBe(1);
    expect(printer.tickets).toHaveLength(3);
    expect(printer.partial).toEqual([]);
    // The job cut off mid-send is not sent again (the printer had it in its buffer): it waits
    // for a person, as "unconfirmed", with the reason.
    const states = (await jobsOf(row.id)).map((j) => j.state).sort();
    expect(states).toEqual(["printed", "printed", "unconfirmed"]);
  }, 40_000);

  it("two dispatchers on one database (two nodes): each job prints once, also when one node leaves and the other takes over", async () => {
    const { demo, operator } = await restaurant();
    const [oven, fryer] = [await fake(), await fake()];
    await addPrinter(demo, "oven", oven, { stations: ["oven"] });
    await addPrinter(demo, "fryer", fryer, { stations: ["fryer"] });
    // The second node has its own connection pool / SQLite connection to the same database.
    const other = openDatabase({ databaseUrl: t.t.config.databaseUrl, dataDir: t.t.config.dataDir });
    cleanups.push(() => other.destroy());
    // Which node drives which printer, as the printers' leases say while it runs.
    const owners = new Set<string>();
    const watch = setInterval(() => {
      void t.db
        .selectFrom("printers")
        .select("leaseOwner")
        .where("partnerId", "=", demo.partner.id)
        .execute()
        .then((rows) => {
          for (const r of rows) if (r.leaseOwner) owners.add(r.leaseOwner);
        })
        .catch(() => {});
    }, 20);
    cleanups.push(async () => clearInterval(watch));
    const nodes = { a: dispatcher(t.db, { nodeId: "a" }), b: dispatcher(other.db, { nodeId: "b" }) };
    const place = (count: number) =>
      Promise.all(
        Array.from({ length: count }, () =>
          placeConfirmedOrder(t.db, demo, operator, { items: [{ food: "Margherita" }, { food: "Fries" }] }),
        ),
      );
    const orders = await place(12);
    await Promise.all([oven.waitForTickets(12, 20_000), fryer.waitForTickets(12, 20_000)]);
    // The node driving the oven leaves (a rolling restart): the other drives both printers from here.
    const driver = await t.db
      .selectFrom("printers")
      .select("leaseOwner")
      .where("name", "=", "oven")
      .where("partnerId", "=", demo.partner.id)
      .executeTakeFirstOrThrow();
    expect(driver.leaseOwner === "a" || driver.leaseOwner === "b").toBe(true);
    await nodes[driver.leaseOwner as "a" | "b"].stop();
    orders.push(...(await place(12)));
    await Promise.all([oven.waitForTickets(24, 20_000), fryer.waitForTickets(24, 20_000)]);
    await sleep(500);
    for (const o of orders) {
      expect(count(oven, o.ticketNumber!)).toBe(1);
      expect(count(fryer, o.ticketNumber!)).toBe(1);
    }
    expect(oven.tickets).toHaveLength(24);
    expect(fryer.tickets).toHaveLength(24);
    expect([...owners].sort()).toEqual(["a", "b"]);
    const rows = await t.db.selectFrom("printJobs").select(["state"]).where("partnerId", "=", demo.partner.id).execute();
    expect(rows.map((r) => r.state)).toEqual(Array(48).fill("printed"));
  }, 60_000);

  it("a slow printer (1 byte/ms) does not hold up another", async () => {
    const { demo, operator } = await restaurant();
    const [slow, fast] = [await fake({ bytesPerMs: 1 }), await fake()];
    await addPrinter(demo, "slow", slow, { stations: ["oven"] });
    await addPrinter(demo, "fast", fast, { stations: ["fryer"] });
    dispatcher(t.db);
    // Each slow slip is ~1.3 kB: over a second at the slow printer's pace.
    const orders = [];
    for (let i = 0; i < 3; i++)
      orders.push(
        await placeConfirmedOrder(t.db, demo, operator, { items: [{ food: "Margherita", notes: "x".repeat(200) }, { food: "Fries" }] }),
      );
    await fast.waitForTickets(3, 3_000);
    // All three fast slips are out while the slow printer is still on its first or second.
    expect(slow.tickets.length).toBeLessThan(2);
    await slow.waitForTickets(3, 15_000);
    expect(ticketOf(fast, orders[2]!.ticketNumber!)).toBeTruthy();
  }, 40_000);
});
