/**
 * `npm run pass -- partner set` (issue "Cashier and back office" item 2): the same lib function
 * and rules as PATCH /api/partners/{slug}; a refusal is one line naming the option, exit 1,
 * nothing written — on SQLite and PostgreSQL.
 */
import { beforeAll, expect, it } from "vitest";
import { logPosition } from "../lib/events/log";
import { describeEachDatabase } from "../lib/testing/each-database";
import { makePartner } from "../lib/testing/fixtures";
import { runCli } from "./cli-commands";

describeEachDatabase("CLI partner set", (ctx) => {
  const run = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, {
      open: async () => ({ db: ctx.db, destroy: async () => {} }),
      io: { out: (l) => out.push(l), err: (l) => err.push(l) },
    });
    return { code, out, err };
  };
  const row = () => ctx.db.selectFrom("partners").selectAll().where("slug", "=", "s").executeTakeFirstOrThrow();

  beforeAll(async () => {
    await makePartner(ctx.db, "s");
  });

  it("the issue's example: EUR, fr, kiosk auto-confirmed after 30 s, pending orders cancelled after 15 min", async () => {
    const res = await run(
      "partner",
      "set",
      "--slug",
      "s",
      "--currency",
      "EUR",
      "--locale",
      "fr",
      "--auto-confirm-sources",
      "kiosk",
      "--auto-confirm-seconds",
      "30",
      "--auto-cancel-minutes",
      "15",
      "--kitchen-ack-seconds",
      "90",
      "--default-payment",
      "CARD",
      "--expo-confirms",
      "yes",
      "--tables",
      "1, 2 ,Terrace",
    );
    expect(res.err).toEqual([]);
    expect(res.code).toBe(0);
    expect(res.out.join("\n")).toContain("EUR fr");
    const p = await row();
    expect(p).toMatchObject({
      currency: "EUR",
      locale: "fr",
      autoConfirmSources: '["kiosk"]',
      autoConfirmSeconds: 30,
      autoCancelMinutes: 15,
      kitchenAckSeconds: 90,
      defaultPaymentMethod: "CARD",
      tables: '["1","2","Terrace"]',
    });
    expect(Number(p.expoConfirms)).toBe(1);
    // "none" clears a number and a list.
    expect((await run("partner", "set", "--slug", "s", "--auto-cancel-minutes", "none", "--auto-confirm-sources", "none")).code).toBe(0);
    expect(await row()).toMatchObject({ autoCancelMinutes: null, autoConfirmSources: "[]" });
  });

  it("the invoice's address, tax number and tax rates; 'none' clears them", async () => {
    const res = await run(
      "partner",
      "set",
      "--slug",
      "s",
      "--address",
      "1 rue X, Lyon",
      "--tax-id",
      "FR99",
      "--tax-rates",
      "TVA=10, Service = 5.5%",
    );
    expect(res.err).toEqual([]);
    expect(await row()).toMatchObject({
      address: "1 rue X, Lyon",
      taxId: "FR99",
      taxRates: JSON.stringify([
        { name: "TVA", percent: 10 },
        { name: "Service", percent: 5.5 },
      ]),
    });
    expect((await run("partner", "set", "--slug", "s", "--address", "none", "--tax-id", "none", "--tax-rates", "none")).code).toBe(0);
    expect(await row()).toMatchObject({ address: null, taxId: null, taxRates: "[]" });
  });

  it.each([
    [["--tax-rates", "TVA"], "--tax-rates"],
    [["--tax-rates", "TVA=0"], "--tax-rates"],
    [["--tax-rates", "TVA=101"], "--tax-rates"],
    [["--tax-rates", "TVA=10,tva=5"], "--tax-rates"],
    [["--address", "a\u0000b"], "--address"],
    [["--tax-id", "x".repeat(41)], "--tax-id"],
    [["--currency", "EURO"], "--currency"],
    [["--currency", "QQQ"], "--currency"],
    [["--locale", "not_a_locale!"], "--locale"],
    [["--timezone", "Moon/Base"], "--timezone"],
    [["--cutover-hour", "25"], "--cutover-hour"],
    [["--auto-confirm-sources", "kiosk,fax"], "--auto-confirm-sources"],
    [["--auto-confirm-seconds=-3"], "--auto-confirm-seconds"],
    [["--auto-cancel-minutes", "0"], "--auto-cancel-minutes"],
    [["--kitchen-ack-seconds", "99999"], "--kitchen-ack-seconds"],
    [["--default-payment", "IOU"], "--default-payment"],
    [["--expo-confirms", "maybe"], "--expo-confirms"],
    [["--name", "A\u0000B"], "--name"],
    [["--currency", "EUR", "--locale", "??"], "--locale"],
  ])("%j is refused naming %s, nothing written", async (args, option) => {
    const before = { partner: await row(), position: (await logPosition({ db: ctx.db })).lastEventId };
    const res = await run("partner", "set", "--slug", "s", ...args);
    expect(res.code).toBe(1);
    expect(res.err).toHaveLength(1);
    expect(res.err[0]).toMatch(new RegExp(`^pass: ${option}: `));
    expect({ partner: await row(), position: (await logPosition({ db: ctx.db })).lastEventId }).toEqual(before);
  });

  it("an unknown partner or no setting at all is refused", async () => {
    expect((await run("partner", "set", "--slug", "nope", "--currency", "EUR")).err).toEqual(["pass: no partner 'nope'"]);
    expect((await run("partner", "set", "--slug", "s")).code).toBe(1);
  });
});
