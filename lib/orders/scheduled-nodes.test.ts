/**
 * Scheduled orders fire exactly once across nodes (issue "Station workflow" item 6, Done-when),
 * on SQLite and PostgreSQL: fireDue run by two separate processes — two nodes on one database, as
 * every node's 5 s timer runs it (lib/process-runtime.ts) — at the same instant fires each due
 * order once, with exactly one `order.fired` event, its first course QUEUED and later courses
 * still HELD; an order not yet due is left alone. (The conditional clear of `fireAt` is the
 * guard: one transaction wins it, the other updates nothing and emits nothing.)
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { beforeAll, expect, it } from "vitest";
import type { Principal } from "../auth";
import { logPosition, readEvents } from "../events/log";
import { describeEachDatabase } from "../testing/each-database";
import { makePartner, makeUser, placeOrder, type TestPartner } from "../testing/fixtures";
import { confirmOrder, getOrder } from "./service";
import { fireDue } from "./stations";

const NODE_SCRIPT = path.resolve(import.meta.dirname, "../testing/scripts/fire-due.ts");
const ROOT = path.resolve(import.meta.dirname, "../..");

function runNode(args: string[]): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", NODE_SCRIPT, ...args], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("exit", (code) =>
      code === 0 ? resolve(JSON.parse(out.trim().split("\n").at(-1)!)) : reject(new Error(`node exited ${code}: ${err}`)),
    );
  });
}

describeEachDatabase("scheduled firing across two nodes", (t) => {
  let demo: TestPartner;
  let operator: Principal;
  const placed = new Date();
  const due: number[] = [];
  let notDue = 0;

  beforeAll(async () => {
    demo = await makePartner(t.db, "demo");
    operator = (await makeUser(t.db, { partnerId: demo.partner.id, role: "operator", username: "op" })).principal;
    const schedule = async (minutes: number, items: { food: string; course?: number }[]) => {
      const promisedAt = new Date(placed.getTime() + minutes * 60_000).toISOString();
      const { order } = await placeOrder(t.db, demo, { items, promisedAt, now: placed });
      const confirmed = await confirmOrder({ db: t.db, principal: operator, id: order.id, input: { paymentMethod: "CARD" }, now: placed });
      expect(confirmed.parts.every((p) => p.state === "HELD")).toBe(true);
      expect(confirmed.fireAt).not.toBeNull();
      return order.id;
    };
    for (let i = 0; i < 10; i++) {
      due.push(
        await schedule(
          60 + i,
          i % 2 === 0
            ? [{ food: "Margherita" }, { food: "Fries" }]
            : [
                { food: "Fries", course: 1 },
                { food: "Lemonade", course: 2 },
              ],
        ),
      );
    }
    notDue = await schedule(300, [{ food: "Margherita" }]);
  });

  it("two nodes firing at the same instant: each due order once, one order.fired each, first course QUEUED", async () => {
    const { lastEventId } = await logPosition({ db: t.db });
    const now = new Date(placed.getTime() + 2 * 3600_000).toISOString();
    const url = t.t.config.databaseUrl ?? "";
    const startAt = String(Date.now() + 2500);
    const [a, b] = await Promise.all([
      runNode([url, t.t.config.dataDir, now, startAt, "3"]),
      runNode([url, t.t.config.dataDir, now, startAt, "3"]),
    ]);
    // Each due order fired by exactly one of the two processes, none twice, the later one not at all.
    expect([...a, ...b].sort((x, y) => x - y)).toEqual([...due].sort((x, y) => x - y));

    const events = await readEvents({ db: t.db, afterId: lastEventId, limit: 1000 });
    expect(events.map((e) => e.type)).toEqual(due.map(() => "order.fired"));
    expect(events.map((e) => e.orderId).sort((x, y) => x! - y!)).toEqual([...due].sort((x, y) => x - y));
    for (const e of events) expect(e.payload).toMatchObject({ fired: { courses: [1], by: "schedule" } });

    for (const [i, id] of due.entries()) {
      const order = await getOrder({ db: t.db, principal: operator, id });
      expect(order.fireAt).toBeNull();
      const states = order.parts.map((p) => `${p.course}:${p.state}`);
      expect(states).toEqual(i % 2 === 0 ? ["1:QUEUED", "1:QUEUED"] : ["1:QUEUED", "2:HELD"]);
      expect(order.parts.filter((p) => p.course === 1).every((p) => p.firedAt === now)).toBe(true);
    }
    const later = await getOrder({ db: t.db, principal: operator, id: notDue });
    expect(later.fireAt).not.toBeNull();
    expect(later.parts.map((p) => p.state)).toEqual(["HELD"]);
  });

  it("a later run fires nothing more", async () => {
    const { lastEventId } = await logPosition({ db: t.db });
    expect(await fireDue({ db: t.db, now: new Date(placed.getTime() + 3 * 3600_000) })).toEqual([]);
    expect((await logPosition({ db: t.db })).lastEventId).toBe(lastEventId);
  });
});
