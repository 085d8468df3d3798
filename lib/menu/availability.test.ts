/**
 * "86" (issue "The menu" item 3) on SQLite and PostgreSQL: `until: "end-of-day"` comes back at the
 * partner's next cut-over (nextCutover, Europe/Berlin on a DST night here); restoreDue86 run by
 * two separate processes — two nodes on one database — at the same instant restores each dish and
 * option exactly once, with exactly one announcing event; what was turned back (or 86'd "until I
 * turn it back") by hand is left alone.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { beforeAll, expect, it } from "vitest";
import type { Principal } from "../auth";
import { logPosition, readEvents } from "../events/log";
import { nextCutover } from "../orders/business-day";
import { describeEachDatabase } from "../testing/each-database";
import { makeUser } from "../testing/fixtures";
import { setAvailability, restoreDue86 } from "./availability";
import { createGroup } from "./catalog";
import { createPartner, listFoods } from "./partners";

const NODE_SCRIPT = path.resolve(import.meta.dirname, "../testing/scripts/restore-86.ts");
const ROOT = path.resolve(import.meta.dirname, "../..");

/** Before the DST jump in Berlin (21:00 CET on 28 March 2026); the cut-over is 04:00 CEST = 02:00Z. */
const EVENING = new Date("2026-03-28T20:00:00Z");
const CUTOVER = "2026-03-29T02:00:00.000Z";

function runNode(args: string[]): Promise<{ kind: string; id: string }[]> {
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

describeEachDatabase("86 until the end of the day", (t) => {
  let admin: Principal;
  let partnerId: string;
  let foods: { id: string; name: string }[];
  let options: { id: string }[];

  beforeAll(async () => {
    admin = (await makeUser(t.db, { partnerId: null, role: "admin", username: "boss" })).principal;
    const p = await createPartner({
      db: t.db,
      slug: "berlin",
      name: "Berlin",
      timezone: "Europe/Berlin",
      cutoverHour: 4,
      foods: Array.from({ length: 12 }, (_, i) => ({ name: `Dish ${i}`, price: 500 + i, category: "Mains", station: "grill" })),
    });
    partnerId = p.id;
    foods = await listFoods({ db: t.db, partnerId, onlyAvailable: false });
    const group = await createGroup({
      db: t.db,
      principal: admin,
      input: { partner: "berlin", name: "Sides", min: 0, max: 2, options: ["a", "b", "c", "d"].map((name) => ({ name })) },
    });
    options = group.options;
  });

  it("end-of-day sets availableAgainAt to the partner's next cut-over (04:00 Berlin wall clock, DST night)", async () => {
    expect(nextCutover({ at: EVENING, timezone: "Europe/Berlin", cutoverHour: 4 }).toISOString()).toBe(CUTOVER);
    const off = async (kind: "food" | "option", id: string, until: "manual" | "end-of-day") =>
      setAvailability({ db: t.db, principal: admin, target: { kind, id }, available: false, until, now: EVENING });
    for (const f of foods.slice(0, 11))
      expect(await off("food", f.id, "end-of-day")).toMatchObject({ available: false, availableAgainAt: CUTOVER });
    expect(await off("food", foods[11]!.id, "manual")).toMatchObject({ availableAgainAt: null });
    for (const o of options) expect(await off("option", o.id, "end-of-day")).toMatchObject({ availableAgainAt: CUTOVER });
    // Turned back by hand before the cut-over: Dish 10 and option d.
    await setAvailability({ db: t.db, principal: admin, target: { kind: "food", id: foods[10]!.id }, available: true });
    await setAvailability({ db: t.db, principal: admin, target: { kind: "option", id: options[3]!.id }, available: true });
    const rows = await t.db
      .selectFrom("foods")
      .select(["name", "available", "availableAgainAt"])
      .where("partnerId", "=", partnerId)
      .orderBy("position")
      .execute();
    expect(rows.map((r) => [Number(r.available), r.availableAgainAt])).toEqual([
      ...Array.from({ length: 10 }, () => [0, CUTOVER]),
      [1, null],
      [0, null],
    ]);
  });

  it("before the cut-over nothing comes back", async () => {
    const { lastEventId } = await logPosition({ db: t.db });
    expect(await restoreDue86({ db: t.db, now: new Date("2026-03-29T01:59:59Z") })).toEqual([]);
    expect((await logPosition({ db: t.db })).lastEventId).toBe(lastEventId);
  });

  it("two nodes restoring at the same instant: each dish and option exactly once, one event each", async () => {
    const { lastEventId } = await logPosition({ db: t.db });
    const url = t.t.config.databaseUrl ?? "";
    const startAt = String(Date.now() + 2500);
    const [a, b] = await Promise.all([
      runNode([url, t.t.config.dataDir, CUTOVER, startAt, "3"]),
      runNode([url, t.t.config.dataDir, CUTOVER, startAt, "3"]),
    ]);
    const restored = [...a, ...b].map((r) => `${r.kind}:${r.id}`);
    const expected = [...foods.slice(0, 10).map((f) => `food:${f.id}`), ...options.slice(0, 3).map((o) => `option:${o.id}`)];
    expect([...restored].sort()).toEqual([...expected].sort()); // each once across both nodes, none twice

    const events = await readEvents({ db: t.db, afterId: lastEventId, limit: 1000 });
    const foodEvents = events.filter((e) => e.type === "food.updated");
    expect(foodEvents.map((e) => (e.payload as any).food.id).sort()).toEqual(
      foods
        .slice(0, 10)
        .map((f) => f.id)
        .sort(),
    );
    for (const e of foodEvents) {
      expect(e.payload).toMatchObject({
        restored: true,
        changed: { available: true, availableAgainAt: null },
        food: { available: true, availableAgainAt: null },
      });
      expect(e.partnerId).toBe(partnerId);
    }
    const optionEvents = events.filter((e) => e.type === "menu.changed");
    expect(optionEvents.map((e) => e.payload).sort((x: any, y: any) => x.id.localeCompare(y.id))).toEqual(
      options
        .slice(0, 3)
        .map((o) => ({ entity: "option", action: "restored", id: o.id }))
        .sort((x, y) => x.id.localeCompare(y.id)),
    );
    expect(events).toHaveLength(13);

    const rows = await t.db
      .selectFrom("foods")
      .select(["available", "availableAgainAt"])
      .where("partnerId", "=", partnerId)
      .orderBy("position")
      .execute();
    expect(rows.map((r) => [Number(r.available), r.availableAgainAt])).toEqual([...Array.from({ length: 11 }, () => [1, null]), [0, null]]);
    const opts = await t.db
      .selectFrom("modifierOptions")
      .select(["available", "availableAgainAt"])
      .where("partnerId", "=", partnerId)
      .orderBy("position")
      .execute();
    expect(opts.map((r) => [Number(r.available), r.availableAgainAt])).toEqual(Array.from({ length: 4 }, () => [1, null]));
  });

  it("a later run restores nothing more; the dish 86'd until turned back stays off", async () => {
    const { lastEventId } = await logPosition({ db: t.db });
    expect(await restoreDue86({ db: t.db, now: new Date("2026-03-30T12:00:00Z") })).toEqual([]);
    expect((await logPosition({ db: t.db })).lastEventId).toBe(lastEventId);
  });
});
