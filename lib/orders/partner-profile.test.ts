import { beforeAll, expect, it } from "vitest";
import type { Principal } from "../auth";
import { logPosition, readEvents } from "../events/log";
import { describeEachDatabase } from "../testing/each-database";
import { makePartner, makeToken, makeUser, placeConfirmedOrder, type TestPartner } from "../testing/fixtures";
import { getPartnerProfile, updatePartnerProfile } from "./partner-profile";
import { flagUnacknowledged } from "./screens";

describeEachDatabase("the restaurant's profile (PATCH /api/partners/{slug})", (t) => {
  let demo: TestPartner;
  let operator: Principal;
  let otherOperator: Principal;
  let chef: Principal;
  let admin: Principal;

  beforeAll(async () => {
    demo = await makePartner(t.db, "demo");
    const other = await makePartner(t.db, "other");
    operator = (await makeUser(t.db, { partnerId: demo.partner.id, role: "operator", username: "op" })).principal;
    otherOperator = (await makeUser(t.db, { partnerId: other.partner.id, role: "operator", username: "op2" })).principal;
    chef = (await makeUser(t.db, { partnerId: demo.partner.id, role: "kitchen", username: "chef" })).principal;
    admin = (await makeUser(t.db, { partnerId: null, role: "admin", username: "root" })).principal;
  });

  const update = (patch: Record<string, unknown>, principal: Principal | null = operator, slug = "demo") =>
    updatePartnerProfile({ db: t.db, principal, slug, patch });

  it("defaults, then every field changed at once, with one partner.updated event", async () => {
    const before = await getPartnerProfile({ db: t.db, principal: chef, slug: "demo" });
    expect(before).toMatchObject({ currency: "USD", locale: "en-US", defaultPaymentMethod: "CASH", autoConfirmSources: [], tables: [] });
    const from = (await logPosition({ db: t.db })).lastEventId;
    const after = await update({
      name: "Demo Bistro",
      imageUrl: "/logo.png",
      timezone: "Europe/Paris",
      cutoverHour: 5,
      currency: "eur",
      locale: "fr-fr",
      kitchenAckSeconds: 45,
      defaultPaymentMethod: "CARD",
      autoConfirmSources: ["qr", "kiosk", "qr"],
      autoConfirmSeconds: 30,
      autoCancelMinutes: 15,
      expoConfirms: true,
      tables: ["1", "2", "Terrace 3"],
    });
    expect(after).toMatchObject({
      slug: "demo",
      name: "Demo Bistro",
      imageUrl: "/logo.png",
      timezone: "Europe/Paris",
      cutoverHour: 5,
      currency: "EUR",
      locale: "fr-FR",
      kitchenAckSeconds: 45,
      defaultPaymentMethod: "CARD",
      autoConfirmSources: ["kiosk", "qr"],
      autoConfirmSeconds: 30,
      autoCancelMinutes: 15,
      expoConfirms: true,
      tables: ["1", "2", "Terrace 3"],
    });
    expect(await getPartnerProfile({ db: t.db, principal: admin, slug: "demo" })).toEqual(after);
    const events = await readEvents({ db: t.db, afterId: from, limit: 10 });
    expect(events.map((e) => [e.type, e.partnerId])).toEqual([["partner.updated", demo.partner.id]]);
    expect((events[0]!.payload as { partner: { currency: string } }).partner.currency).toBe("EUR");
    // null clears a number back to the default.
    expect((await update({ kitchenAckSeconds: null, autoCancelMinutes: null })).kitchenAckSeconds).toBeNull();
  });

  it.each([
    [{ currency: "EUROS" }, "currency"],
    [{ currency: "XYZ" }, "currency"],
    [{ locale: "not a locale" }, "locale"],
    [{ locale: "xx-invalid-tag-123456789" }, "locale"],
    [{ timezone: "Mars/Olympus" }, "timezone"],
    [{ cutoverHour: 24 }, "cutoverHour"],
    [{ cutoverHour: 2.5 }, "cutoverHour"],
    [{ kitchenAckSeconds: 4 }, "kitchenAckSeconds"],
    [{ kitchenAckSeconds: 2_147_483_648 }, "kitchenAckSeconds"],
    [{ autoConfirmSeconds: -1 }, "autoConfirmSeconds"],
    [{ autoCancelMinutes: 0 }, "autoCancelMinutes"],
    [{ autoCancelMinutes: 99_999 }, "autoCancelMinutes"],
    [{ defaultPaymentMethod: "BITCOIN" }, "defaultPaymentMethod"],
    [{ autoConfirmSources: ["kiosk", "fax"] }, "autoConfirmSources.1"],
    [{ autoConfirmSources: "kiosk" }, "autoConfirmSources"],
    [{ name: "Bad\u0000Name" }, "name"],
    [{ name: "   " }, "name"],
    [{ imageUrl: "javascript:alert(1)" }, "imageUrl"],
    [{ tables: ["1", "1"] }, "tables.1"],
    [{ tables: ["ok", "x\u0000"] }, "tables.1"],
    [{ warnPercent: 200, latePercent: 150 }, "latePercent"],
    [{ expoConfirms: "yes" }, "expoConfirms"],
    [{ currency: "EUR", locale: "bogus!" }, "locale"],
    [{ colour: "red" }, "colour"],
    [{}, "body"],
  ])("%j is refused naming %s, nothing written", async (patch, field) => {
    const before = await getPartnerProfile({ db: t.db, principal: operator, slug: "demo" });
    const position = (await logPosition({ db: t.db })).lastEventId;
    await expect(update(patch)).rejects.toMatchObject({ status: 400, details: { field } });
    expect(await getPartnerProfile({ db: t.db, principal: operator, slug: "demo" })).toEqual(before);
    expect((await logPosition({ db: t.db })).lastEventId).toBe(position);
  });

  it("operators change their own partner only; the kitchen and tokens not at all; admins any; the CLI (null) any", async () => {
    await expect(update({ currency: "GBP" }, otherOperator)).rejects.toMatchObject({ status: 404, details: { field: "partner" } });
    await expect(getPartnerProfile({ db: t.db, principal: otherOperator, slug: "demo" })).rejects.toMatchObject({ status: 404 });
    await expect(update({ currency: "GBP" }, chef)).rejects.toMatchObject({ status: 403 });
    const tok = await makeToken(t.db, { partnerId: demo.partner.id, role: "operator" });
    const token: Principal = {
      kind: "token",
      tokenId: tok.id,
      name: tok.name,
      role: "operator",
      partnerId: demo.partner.id,
      channels: tok.channels,
    };
    await expect(update({ currency: "GBP" }, token)).rejects.toMatchObject({ status: 403 });
    expect((await update({ currency: "GBP" }, admin, "other")).currency).toBe("GBP");
    expect((await update({ currency: "CHF" }, null, "other")).currency).toBe("CHF");
    await expect(update({ currency: "CHF" }, null, "nope")).rejects.toMatchObject({ status: 404 });
  });

  it("the kitchen watch uses the partner's kitchenAckSeconds when set", async () => {
    // The watch alone: no auto-confirm from the tests above (its queue is the job runner's, not started here).
    await update({ kitchenAckSeconds: 10, autoConfirmSources: [] });
    const order = await placeConfirmedOrder(t.db, demo, operator, { items: [{ food: "Fries" }] });
    const confirmedAt = Date.parse(order.confirmedAt!);
    // 20 s later: past the partner's 10 s, well inside the process default of 60 s.
    expect(await flagUnacknowledged({ db: t.db, afterMs: 60_000, now: new Date(confirmedAt + 5_000) })).toEqual([]);
    expect(await flagUnacknowledged({ db: t.db, afterMs: 60_000, now: new Date(confirmedAt + 20_000) })).toContain(order.id);
    // Cleared: back to the default.
    await update({ kitchenAckSeconds: null });
    const later = await placeConfirmedOrder(t.db, demo, operator, { items: [{ food: "Fries" }] });
    const at = Date.parse(later.confirmedAt!);
    expect(await flagUnacknowledged({ db: t.db, afterMs: 60_000, now: new Date(at + 20_000) })).not.toContain(later.id);
    expect(await flagUnacknowledged({ db: t.db, afterMs: 60_000, now: new Date(at + 61_000) })).toContain(later.id);
  });
});
