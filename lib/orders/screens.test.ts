import { beforeAll, expect, it } from "vitest";
import { describeEachDatabase } from "../testing/each-database";
import { makePartner, makeToken, makeUser, placeConfirmedOrder, type TestPartner } from "../testing/fixtures";
import { logPosition, readEvents } from "../events/log";
import type { Principal } from "../auth";
import { acknowledgeAllergy, changeStatus, getOrder } from "./service";
import { flagUnacknowledged, listScreens, recordHeartbeat } from "./screens";

describeEachDatabase("screens, acknowledgements and the kitchen watch", (t) => {
  let demo: TestPartner;
  let operator: Principal;
  let chef: Principal;
  let otherChef: Principal;

  beforeAll(async () => {
    demo = await makePartner(t.db, "demo");
    const other = await makePartner(t.db, "other");
    operator = (await makeUser(t.db, { partnerId: demo.partner.id, role: "operator", username: "op" })).principal;
    chef = (await makeUser(t.db, { partnerId: demo.partner.id, role: "kitchen", username: "chef" })).principal;
    otherChef = (await makeUser(t.db, { partnerId: other.partner.id, role: "kitchen", username: "chef2" })).principal;
  });

  const confirmed = () => placeConfirmedOrder(t.db, demo, operator, { items: [{ food: "Fries" }] });
  const beat = (screen: string, shownOrderIds?: number[]) => ({
    screenId: `screen-${screen}-0001`,
    screen,
    lastEventId: 0,
    soundUnlocked: true,
    awake: true,
    shownOrderIds,
  });

  it("the first kitchen screen to show a ticket acknowledges it, once; other partners cannot", async () => {
    const order = await confirmed();
    const otherScreen = { ...beat("kitchen", [order.id]), screenId: "other-partner-kitchen-0001" };
    expect((await recordHeartbeat({ db: t.db, principal: otherChef, beat: otherScreen })).acknowledged).toEqual([]);
    const before = (await logPosition({ db: t.db })).lastEventId;
    expect((await recordHeartbeat({ db: t.db, principal: chef, beat: beat("kitchen:fryer", [order.id]) })).acknowledged).toEqual([
      order.id,
    ]);
    expect((await recordHeartbeat({ db: t.db, principal: chef, beat: beat("kitchen", [order.id]) })).acknowledged).toEqual([]);
    const events = await readEvents({ db: t.db, afterId: before, limit: 10 });
    expect(events.map((e) => e.type)).toEqual(["order.acknowledged"]);
    expect((await getOrder({ db: t.db, principal: operator, id: order.id })).kitchenAckAt).not.toBeNull();
    // A cashier screen's heartbeat acknowledges nothing.
    const other = await confirmed();
    expect((await recordHeartbeat({ db: t.db, principal: operator, beat: beat("cashier", [other.id]) })).acknowledged).toEqual([]);
  });

  it("a ticket nobody showed in time is flagged exactly once, even by racing nodes", async () => {
    const seen = await confirmed();
    await recordHeartbeat({ db: t.db, principal: chef, beat: beat("kitchen", [seen.id]) });
    const unseen = await confirmed();
    const later = new Date(Date.now() + 120_000);
    const before = (await logPosition({ db: t.db })).lastEventId;
    const [a, b] = await Promise.all([
      flagUnacknowledged({ db: t.db, afterMs: 60_000, now: later }),
      flagUnacknowledged({ db: t.db, afterMs: 60_000, now: later }),
    ]);
    const flagged = [...a, ...b];
    expect(flagged.filter((id) => id === unseen.id)).toHaveLength(1);
    expect(flagged).not.toContain(seen.id);
    const events = await readEvents({ db: t.db, afterId: before, limit: 100 });
    expect(events.filter((e) => e.type === "order.unacknowledged" && e.orderId === unseen.id)).toHaveLength(1);
    expect(await flagUnacknowledged({ db: t.db, afterMs: 60_000, now: later })).toEqual([]);
    // Not yet late: nothing to flag.
    await confirmed();
    expect(await flagUnacknowledged({ db: t.db, afterMs: 60_000 })).toEqual([]);
  });

  it("an allergy ticket is seen only by the tap: a heartbeat showing it does not acknowledge it, the watch flags it", async () => {
    const allergic = await placeConfirmedOrder(t.db, demo, operator, {
      items: [{ food: "Fries" }],
      allergies: { codes: ["peanuts"], note: "severe" },
    });
    expect(allergic.allergyAlert).toBe(true);
    const plain = await confirmed();
    const before = (await logPosition({ db: t.db })).lastEventId;
    // The kitchen screen shows both: only the plain ticket is acknowledged by being shown.
    const shown = await recordHeartbeat({ db: t.db, principal: chef, beat: beat("kitchen", [allergic.id, plain.id]) });
    expect(shown.acknowledged).toEqual([plain.id]);
    expect((await getOrder({ db: t.db, principal: operator, id: allergic.id })).kitchenAckAt).toBeNull();
    const acks = await readEvents({ db: t.db, afterId: before, limit: 10 });
    expect(acks.filter((e) => e.orderId === allergic.id)).toEqual([]);
    // Still unacknowledged when the watch runs: it joins the "not seen by kitchen" alarm.
    const later = new Date(Date.now() + 120_000);
    const flagged = await flagUnacknowledged({ db: t.db, afterMs: 60_000, now: later });
    expect(flagged).toContain(allergic.id);
    expect(flagged).not.toContain(plain.id);
    const alarm = (await readEvents({ db: t.db, afterId: before, limit: 100 })).filter((e) => e.orderId === allergic.id);
    expect(alarm.map((e) => e.type)).toEqual(["order.unacknowledged"]);
    // Bumping before the tap is refused; the tap acknowledges (allergy and kitchen), then it bumps.
    await changeStatus({ db: t.db, principal: chef, id: allergic.id, status: "PREPARING" });
    await expect(changeStatus({ db: t.db, principal: chef, id: allergic.id, status: "READY" })).rejects.toMatchObject({ status: 409 });
    const seen = await acknowledgeAllergy({ db: t.db, principal: chef, id: allergic.id, now: later });
    expect(seen).toMatchObject({ allergyAckAt: later.toISOString(), allergyAckBy: "chef", kitchenAckAt: later.toISOString() });
    const tapped = (await readEvents({ db: t.db, afterId: before, limit: 100 })).filter((e) => e.orderId === allergic.id);
    expect(tapped.map((e) => e.type)).toEqual(["order.unacknowledged", "order.status", "order.allergy-acknowledged"]);
    // Heartbeats after the tap add nothing, and the watch does not flag it again.
    expect((await recordHeartbeat({ db: t.db, principal: chef, beat: beat("kitchen", [allergic.id]) })).acknowledged).toEqual([]);
    expect(await flagUnacknowledged({ db: t.db, afterMs: 60_000, now: new Date(later.getTime() + 120_000) })).not.toContain(allergic.id);
    expect((await changeStatus({ db: t.db, principal: chef, id: allergic.id, status: "READY" })).status).toBe("READY");
  });

  it("an allergy ticket tapped in time is never flagged", async () => {
    const allergic = await placeConfirmedOrder(t.db, demo, operator, { items: [{ food: "Fries" }], allergies: { codes: ["sesame"] } });
    await acknowledgeAllergy({ db: t.db, principal: chef, id: allergic.id });
    expect(await flagUnacknowledged({ db: t.db, afterMs: 60_000, now: new Date(Date.now() + 120_000) })).not.toContain(allergic.id);
    expect((await getOrder({ db: t.db, principal: operator, id: allergic.id })).kitchenAckAt).not.toBeNull();
  });

  it("a screen id belongs to its partner: another partner's heartbeat cannot move it", async () => {
    const mine = { ...beat("kitchen:pass"), screenId: "scoped-screen-0001" };
    await recordHeartbeat({ db: t.db, principal: chef, beat: mine });
    await expect(recordHeartbeat({ db: t.db, principal: otherChef, beat: { ...mine, screen: "kitchen:hijacked" } })).rejects.toMatchObject({
      status: 404,
      details: { field: "screenId" },
    });
    const screens = (await listScreens({ db: t.db, principal: operator })).devices;
    expect(screens.find((s) => s.screen === "kitchen:pass")).toMatchObject({ who: "chef" });
    expect(screens.map((s) => s.screen)).not.toContain("kitchen:hijacked");
    // The owner keeps reporting.
    await recordHeartbeat({ db: t.db, principal: chef, beat: { ...mine, lastEventId: 2 } });
  });

  it("a blank screen name is refused", async () => {
    for (const screen of ["   ", "\t", " \n "]) {
      await expect(recordHeartbeat({ db: t.db, principal: chef, beat: { ...beat("x"), screen } })).rejects.toMatchObject({
        status: 400,
        details: { field: "screen" },
      });
    }
  });

  it("printer, display and integration tokens do not acknowledge tickets, even calling themselves kitchen", async () => {
    for (const role of ["printer", "display", "integration"] as const) {
      const token = await makeToken(t.db, {
        partnerId: demo.partner.id,
        role,
        channels: role === "integration" ? undefined : [role, "kitchen"],
      });
      const order = await confirmed();
      const device: Principal = {
        kind: "token",
        tokenId: token.id,
        name: token.name,
        role,
        partnerId: demo.partner.id,
        channels: token.channels,
        streamFormat: "named",
      };
      const result = await recordHeartbeat({
        db: t.db,
        principal: device,
        beat: { ...beat("kitchen", [order.id]), screenId: `device-${role}-0001` },
      });
      expect(result.acknowledged, role).toEqual([]);
      expect((await getOrder({ db: t.db, principal: operator, id: order.id })).kitchenAckAt, role).toBeNull();
    }
    // A kitchen token does.
    const kitchenToken = await makeToken(t.db, { partnerId: demo.partner.id, role: "kitchen" });
    const order = await confirmed();
    const kitchenDevice: Principal = {
      kind: "token",
      tokenId: kitchenToken.id,
      name: kitchenToken.name,
      role: "kitchen",
      partnerId: demo.partner.id,
      channels: kitchenToken.channels,
      streamFormat: "named",
    };
    const result = await recordHeartbeat({
      db: t.db,
      principal: kitchenDevice,
      beat: { ...beat("kitchen", [order.id]), screenId: "device-kitchen-0001" },
    });
    expect(result.acknowledged).toEqual([order.id]);
  });

  it("the health panel lists this partner's screens and how far behind each is", async () => {
    await recordHeartbeat({ db: t.db, principal: chef, beat: { ...beat("kitchen:grill"), lastEventId: 1, soundUnlocked: false } });
    const screens = (await listScreens({ db: t.db, principal: operator })).devices;
    const grill = screens.find((s) => s.screen === "kitchen:grill")!;
    expect(grill).toMatchObject({ who: "chef", soundUnlocked: false, awake: true });
    expect(grill.behind).toBe((await logPosition({ db: t.db })).lastEventId - 1);
    expect((await listScreens({ db: t.db, principal: otherChef })).devices.map((s) => s.screen)).not.toContain("kitchen:grill");
  });
});
