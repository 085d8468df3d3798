/**
 * The station workflow's routes through their real handlers on both databases: per-station
 * start/bump/recall/undo, per-line bumps, expo, firing a course; errors name the field or carry
 * the states, and change nothing (lib/orders/stations.test.ts proves the domain itself).
 */
import { beforeAll, expect, it } from "vitest";
import { logPosition } from "@/lib/events/log";
import { describeEachDatabase } from "@/lib/testing/each-database";
import { makePartner, makeToken, makeUser, placeConfirmedOrder, type TestPartner } from "@/lib/testing/fixtures";
import type { Principal } from "@/lib/auth";
import * as expoRoute from "../expo/route";
import * as fireRoute from "../fire/route";
import * as actionRoute from "./[station]/[action]/route";

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

async function post(handler: Handler, token: string, params: Record<string, string>, body?: unknown) {
  const res = await handler(
    new Request("http://pass.test/api", {
      method: "POST",
      headers: { host: "pass.test", authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    }),
    { params: Promise.resolve(params) },
  );
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

describeEachDatabase("station workflow API", (t) => {
  let demo: TestPartner;
  let operator: Principal;
  let kitchen: string;
  let otherKitchen: string;
  let display: string;

  beforeAll(async () => {
    demo = await makePartner(t.db, "demo");
    const other = await makePartner(t.db, "other");
    operator = (await makeUser(t.db, { partnerId: demo.partner.id, role: "operator", username: "op" })).principal;
    kitchen = (await makeToken(t.db, { partnerId: demo.partner.id, role: "kitchen" })).token;
    otherKitchen = (await makeToken(t.db, { partnerId: other.partner.id, role: "kitchen" })).token;
    display = (await makeToken(t.db, { partnerId: demo.partner.id, role: "display" })).token;
  });

  const order = () => placeConfirmedOrder(t.db, demo, operator, { items: [{ food: "Fries" }, { food: "Lemonade", course: 2 }] });
  const stationsOf = (json: { orderItems: { parts: { station: string; state: string }[] }[] }) =>
    Object.fromEntries(json.orderItems.flatMap((i) => i.parts.map((p) => [p.station, p.state])));

  it("start and bump a station, undo the bump, fire course 2, expo force", async () => {
    const o = await order();
    const id = String(o.id);
    const started = await post(actionRoute.POST as Handler, kitchen, { id, station: "fryer", action: "start" });
    expect(started.status).toBe(200);
    expect(started.json.status).toBe("PREPARING");
    expect(stationsOf(started.json)).toEqual({ fryer: "STARTED", bar: "HELD" });
    expect(started.json.waitingOn).toEqual(["fryer"]);
    const bumped = await post(
      actionRoute.POST as Handler,
      kitchen,
      { id, station: "fryer", action: "bump" },
      { itemIds: [o.orderItems[0]!.id] },
    );
    expect(stationsOf(bumped.json)).toEqual({ fryer: "DONE", bar: "QUEUED" }); // course 2 fired by itself
    const undone = await post(actionRoute.POST as Handler, kitchen, { id, station: "fryer", action: "undo" });
    expect(stationsOf(undone.json)).toEqual({ fryer: "STARTED", bar: "QUEUED" });
    const forced = await post(expoRoute.POST as Handler, kitchen, { id }, { force: true });
    expect(forced.status).toBe(200);
    expect(forced.json.status).toBe("READY");
  });

  it("bad input and illegal moves: 4xx naming the field or carrying the states, nothing written", async () => {
    const o = await order();
    const id = String(o.id);
    const before = (await logPosition({ db: t.db })).lastEventId;
    const cases: [Handler, string, Record<string, string>, unknown, number, Record<string, unknown>][] = [
      [actionRoute.POST as Handler, kitchen, { id, station: "fryer", action: "explode" }, undefined, 400, { details: { field: "action" } }],
      [
        actionRoute.POST as Handler,
        kitchen,
        { id, station: "fryer", action: "bump" },
        { itemIds: ["x"] },
        400,
        { details: { field: "itemIds.0" } },
      ],
      [
        actionRoute.POST as Handler,
        kitchen,
        { id, station: "fryer", action: "bump" },
        { itemIds: [] },
        400,
        { details: { field: "itemIds" } },
      ],
      [actionRoute.POST as Handler, kitchen, { id, station: "fryer", action: "bump" }, { extra: 1 }, 400, {}],
      [actionRoute.POST as Handler, kitchen, { id, station: "fryer", action: "bump" }, "{nope", 400, { details: { field: "body" } }],
      [actionRoute.POST as Handler, kitchen, { id, station: "bar", action: "start" }, undefined, 409, { details: { station: "bar" } }],
      [actionRoute.POST as Handler, kitchen, { id, station: "fryer", action: "recall" }, undefined, 409, {}],
      [actionRoute.POST as Handler, otherKitchen, { id, station: "fryer", action: "bump" }, undefined, 404, {}],
      [actionRoute.POST as Handler, display, { id, station: "fryer", action: "bump" }, undefined, 403, {}],
      [actionRoute.POST as Handler, kitchen, { id: "99999999999", station: "fryer", action: "bump" }, undefined, 404, {}],
      [expoRoute.POST as Handler, kitchen, { id }, undefined, 409, {}],
      [expoRoute.POST as Handler, kitchen, { id }, { force: "yes" }, 400, { details: { field: "force" } }],
      [fireRoute.POST as Handler, kitchen, { id }, { course: 1 }, 409, {}],
      [fireRoute.POST as Handler, kitchen, { id }, { course: 0 }, 400, { details: { field: "course" } }],
      [fireRoute.POST as Handler, kitchen, { id }, {}, 400, { details: { field: "course" } }],
    ];
    for (const [handler, token, params, body, status, error] of cases) {
      const res = await post(handler, token, params, body);
      expect({ params, body, status: res.status }).toEqual({ params, body, status });
      expect(res.json.error).toMatchObject(error);
    }
    expect((await logPosition({ db: t.db })).lastEventId).toBe(before);
  });
});
