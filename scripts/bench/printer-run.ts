/**
 * The body of `npm run bench:printer` (scripts/bench/printer.mjs bundles it like dist/pass.mjs):
 * one Pass node's print dispatcher (lib/printing) on a fresh database, three fake ESC/POS printers
 * on loopback (oven, fryer, receipt; lib/testing/fake-printer.ts), orders confirmed through
 * lib/orders exactly as POST /api/orders/{id}/confirm does.
 *
 * 1. Latency: ORDERS orders one after another; for each, the time from the confirm call to the
 *    first byte of its oven slip at the printer, and to its last printed ticket (p50/p99/max).
 * 2. Same-run baselines, on the same printers: the confirm call alone (what the order costs
 *    before any printing), and the transport floor — the same slip's bytes sent straight to the
 *    oven printer with the dispatcher's own link (connect, DLE EOT, bytes, DLE EOT), no log, no
 *    database. Pass's printing overhead is the latency above minus these.
 * 3. Throughput: ORDERS more orders confirmed 8 at a time as fast as the database takes them;
 *    printed jobs per second from the first confirm to the last ticket cut.
 */
import { confirmOrder, createOrder } from "../../lib/orders";
import { createPrinter } from "../../lib/printing";
import { PrintDispatcher } from "../../lib/printing/dispatcher";
import { encodeJob } from "../../lib/printing/escpos";
import type { PrintJob } from "../../lib/printing/plan";
import { PrinterLink } from "../../lib/printing/transport";
import { openTestDb } from "../../lib/testing/db";
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

type FarmTicket = { text: string; firstByteAt: number; receivedAt: number };
type FarmPrinter = { port: number; tickets: FarmTicket[] };
let farm: ChildProcess;

/** The fake printers in their own process (scripts/bench/printer-farm.ts), as real printers are devices of their own. */
function startFarm<N extends string>(names: N[]): Promise<Record<N, FarmPrinter>> {
  const here = path.dirname(fileURLToPath(import.meta.url));
  farm = fork(path.join(here, "bench-printer-farm.mjs"), names, { stdio: "inherit" });
  const printers = Object.fromEntries(names.map((n) => [n, { port: 0, tickets: [] as FarmTicket[] }])) as Record<N, FarmPrinter>;
  return new Promise((resolve) => {
    farm.on("message", (m: { kind: string; ports?: Record<N, number>; printer?: N } & FarmTicket) => {
      if (m.kind === "ports") {
        for (const n of names) printers[n].port = m.ports![n];
        resolve(printers);
      } else printers[m.printer!].tickets.push({ text: m.text, firstByteAt: m.firstByteAt, receivedAt: m.receivedAt });
    });
  });
}
import { makePartner, makeUser } from "../../lib/testing/fixtures";

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=")));
const ORDERS = Number(args.orders ?? 200);
const POSTGRES = "postgres" in args;
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
const summary = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return `p50 ${pct(s, 0.5).toFixed(1)} ms · p99 ${pct(s, 0.99).toFixed(1)} ms · max ${s.at(-1)!.toFixed(1)} ms`;
};

async function main() {
  if (POSTGRES && !process.env.DATABASE_URL) throw new Error("--postgres needs DATABASE_URL");
  // A fresh database (a schema of its own on PostgreSQL), as the tests open theirs.
  const handle = await openTestDb(POSTGRES ? "postgres" : "sqlite");
  const db = handle.db;
  const slug = `bench${Date.now().toString(36)}`;
  const demo = await makePartner(db, slug);
  const admin = (await makeUser(db, { partnerId: null, role: "admin", username: `bench-admin-${slug}` })).principal;
  const operator = (await makeUser(db, { partnerId: demo.partner.id, role: "operator", username: `bench-op-${slug}` })).principal;
  const printers = await startFarm(["oven", "fryer", "front"]);
  await createPrinter({
    db,
    principal: admin,
    input: { partner: slug, name: "oven", host: "127.0.0.1", port: printers.oven.port, stations: ["oven"] },
  });
  await createPrinter({
    db,
    principal: admin,
    input: { partner: slug, name: "fryer", host: "127.0.0.1", port: printers.fryer.port, stations: ["fryer"] },
  });
  await createPrinter({
    db,
    principal: admin,
    input: { partner: slug, name: "front", host: "127.0.0.1", port: printers.front.port, receipt: true },
  });
  const dispatcher = new PrintDispatcher(db, {
    publicUrl: "http://pass.bench",
    log: process.env.BENCH_DEBUG ? console.log : () => {},
  }).start();
  const all = Object.values(printers);
  const printed = () => all.reduce((n, p) => n + p.tickets.length, 0);

  const place = async () => {
    const { order } = await createOrder({
      db,
      principal: operator,
      input: {
        partner: slug,
        table: "7",
        items: [
          { foodId: demo.food("Margherita").id, quantity: 2, notes: "well done" },
          { foodId: demo.food("Fries").id, quantity: 1 },
        ],
      },
    });
    return order.id;
  };
  const waitFor = async (n: number, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    while (printed() < n) {
      if (Date.now() > deadline) throw new Error(`only ${printed()} of ${n} tickets printed`);
      await new Promise((r) => setTimeout(r, 1));
    }
  };

  console.log(`bench: ${ORDERS} orders on ${handle.dialect}, 3 printers (oven, fryer, receipt), one dispatcher`);
  const toFirstByte: number[] = [];
  const toAllCut: number[] = [];
  const confirmCall: number[] = [];
  let lastConfirmed: Awaited<ReturnType<typeof confirmOrder>> | null = null;
  for (let i = 0; i < ORDERS; i++) {
    const id = await place();
    const before = printed();
    const ovenBefore = printers.oven.tickets.length;
    const t0 = Date.now();
    const confirmed = await confirmOrder({ db, principal: operator, id, input: { paymentMethod: "CASH" } });
    confirmCall.push(Date.now() - t0);
    lastConfirmed = confirmed;
    await waitFor(before + 3, 10_000);
    const slip = printers.oven.tickets[ovenBefore]!;
    if (!slip.text.includes(`#${confirmed.ticketNumber}`)) throw new Error("oven slip out of order");
    toFirstByte.push(slip.firstByteAt - t0);
    toAllCut.push(Math.max(...all.map((p) => p.tickets.at(-1)!.receivedAt)) - t0);
  }
  console.log(`confirm → first byte of the station slip at the printer: ${summary(toFirstByte)}`);
  console.log(`confirm → all 3 tickets cut (slip, slip, receipt):      ${summary(toAllCut)}`);

  // Baselines in the same run: the confirm call alone, and the oven slip's bytes sent straight.
  // The last order's oven slip, as the dispatcher planned it from the log.
  const planned = await db
    .selectFrom("printJobs")
    .select("document")
    .where("orderId", "=", lastConfirmed!.id)
    .where("station", "=", "oven")
    .executeTakeFirstOrThrow();
  const slip = (JSON.parse(planned.document) as { job: PrintJob }).job;
  const bytes = encodeJob({
    job: slip,
    restaurant: { name: demo.partner.name, currency: "USD", locale: "en-US", timezone: "UTC" },
    printer: { paperWidth: 80, codePage: "auto", buzzer: false },
  });
  const direct: number[] = [];
  const ovenBefore = printers.oven.tickets.length;
  for (let i = 0; i < ORDERS; i++) {
    const before = printers.oven.tickets.length;
    const t0 = Date.now();
    const link = await PrinterLink.open({ host: "127.0.0.1", port: printers.oven.port, timeoutMs: 3_000 });
    await link.status(3_000);
    await link.write(bytes);
    await link.status(3_000);
    link.close();
    while (printers.oven.tickets.length <= before) await new Promise((r) => setTimeout(r, 1));
    direct.push(printers.oven.tickets[before]!.firstByteAt - t0);
  }
  // The baseline's tickets are the same slip over and over: out of the duplicate count below.
  printers.oven.tickets.splice(ovenBefore);
  console.log(`baseline, the confirm call alone (no printing in it):   ${summary(confirmCall)}`);
  console.log(`baseline, the slip's ${bytes.length} bytes sent straight (no log, no db): ${summary(direct)}`);

  const ids: number[] = [];
  for (let i = 0; i < ORDERS; i++) ids.push(await place());
  const start = printed();
  const t0 = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < ids.length) {
        const id = ids[next++]!;
        await confirmOrder({ db, principal: operator, id, input: { paymentMethod: "CASH" } });
      }
    }),
  );
  const confirmedIn = Date.now() - t0;
  await waitFor(start + ORDERS * 3, 120_000);
  const elapsed = Date.now() - t0;
  console.log(
    `throughput: ${ORDERS * 3} jobs printed in ${elapsed} ms (confirms took ${confirmedIn} ms) → ${((ORDERS * 3 * 1000) / elapsed).toFixed(0)} jobs/s on one node`,
  );
  const dupes = all.map((p) => p.tickets.length - new Set(p.tickets.map((t) => t.text)).size);
  if (process.env.BENCH_DEBUG) {
    for (const p of all) {
      const seen = new Map<string, number>();
      p.tickets.forEach((t, i) => {
        if (seen.has(t.text)) {
          console.log(`dupe at ${seen.get(t.text)} and ${i}:\n${t.text}`);
          const n = Number(/#(\d+)/.exec(t.text)?.[1]);
          void db
            .selectFrom("printJobs")
            .innerJoin("orders", "orders.id", "printJobs.orderId")
            .select([
              "printJobs.id",
              "printJobs.jobKey",
              "printJobs.state",
              "printJobs.attempts",
              "printJobs.printerId",
              "orders.id as orderId",
              "orders.ticketNumber",
            ])
            .where("orders.ticketNumber", "=", n)
            .execute()
            .then((rows) => console.log(JSON.stringify(rows)));
        }
        seen.set(t.text, i);
      });
    }
  }
  console.log(`tickets per printer: ${all.map((p) => p.tickets.length).join(" / ")}; duplicates ${dupes.join(" / ")}`);

  await new Promise((r) => setTimeout(r, 500));
  await dispatcher.stop();
  farm.kill();
  await handle.cleanup();
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(`bench: ${(err as Error).stack ?? err}`);
    process.exit(1);
  },
);
