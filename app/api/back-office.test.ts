/**
 * The back office's routes (issue "Cashier and back office" item 2) through their real handlers,
 * on SQLite and PostgreSQL: PATCH /api/partners/{slug} answers every bad input with a 400 naming
 * the field and writes nothing; pairing a screen end to end over HTTP — the screen's pairing
 * cookie, the operator's claim, the device cookie that then opens the kitchen; claims are
 * rate-limited.
 */
import { afterEach, beforeAll, expect, it } from "vitest";
import { logPosition } from "@/lib/events/log";
import { PAIRING_TTL_MS, startPairing } from "@/lib/auth/pairing";
import { createLimits, scaledRules, setLimits } from "@/lib/limits";
import { describeEachDatabase } from "@/lib/testing/each-database";
import { makePartner, makeUser } from "@/lib/testing/fixtures";
import * as loginRoute from "./auth/login/route";
import * as meRoute from "./me/route";
import * as pairRoute from "./pair/route";
import * as partnerRoute from "./partners/[slug]/route";
import * as pairingsRoute from "./partners/[slug]/pairings/route";
import * as devicesRoute from "./partners/[slug]/devices/route";

const ORIGIN = "http://pass.test";
type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

async function call(
  handler: unknown,
  {
    method = "GET",
    cookie,
    body,
    params = {},
    origin = true,
  }: { method?: string; cookie?: string; body?: unknown; params?: Record<string, string>; origin?: boolean },
) {
  const headers: Record<string, string> = { host: "pass.test" };
  if (cookie) headers.cookie = cookie;
  if (origin) headers.origin = ORIGIN;
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await (handler as Handler)(
    new Request(`${ORIGIN}/x`, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    }),
    { params: Promise.resolve(params) },
  );
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null, cookies: res.headers.getSetCookie() };
}

describeEachDatabase("back office routes", (t) => {
  let op: string;

  beforeAll(async () => {
    const demo = await makePartner(t.db, "demo");
    await makeUser(t.db, { partnerId: demo.partner.id, role: "operator", username: "op" });
    const res = await (loginRoute.POST as Handler)(
      new Request(`${ORIGIN}/api/auth/login`, { method: "POST", body: JSON.stringify({ username: "op", password: "fixture-pass-4821" }) }),
      { params: Promise.resolve({}) },
    );
    op = res.headers.get("set-cookie")!.split(";")[0]!;
  });
  afterEach(() => setLimits(createLimits({ rules: scaledRules(1000) })));

  const snapshot = async () => ({
    partner: await t.db.selectFrom("partners").selectAll().where("slug", "=", "demo").executeTakeFirstOrThrow(),
    position: (await logPosition({ db: t.db })).lastEventId,
  });

  it.each([
    ['{"currency":"EUR"', "body"],
    [{ currency: "EURO" }, "currency"],
    [{ currency: "ZZZ" }, "currency"],
    [{ locale: "fr_FR!" }, "locale"],
    [{ timezone: "Europe/Atlantis" }, "timezone"],
    [{ cutoverHour: -1 }, "cutoverHour"],
    [{ cutoverHour: "4" }, "cutoverHour"],
    [{ kitchenAckSeconds: 3601 }, "kitchenAckSeconds"],
    [{ autoConfirmSeconds: 2_147_483_648 }, "autoConfirmSeconds"],
    [{ autoCancelMinutes: 1.5 }, "autoCancelMinutes"],
    [{ autoConfirmSources: ["kiosk", "pigeon"] }, "autoConfirmSources.1"],
    [{ defaultPaymentMethod: "IOU" }, "defaultPaymentMethod"],
    [{ name: "Nul\u0000Diner" }, "name"],
    [{ imageUrl: "/a\u0000b" }, "imageUrl"],
    [{ tables: ["A", "a"] }, "tables.1"],
    [{ slug: "renamed" }, "slug"],
  ])("PATCH %j → 400 naming %s, nothing written", async (body, field) => {
    const before = await snapshot();
    const res = await call(partnerRoute.PATCH, { method: "PATCH", cookie: op, body, params: { slug: "demo" } });
    expect(res.status, JSON.stringify(res.json)).toBe(400);
    expect(res.json.error.details.field).toBe(field);
    expect(await snapshot()).toEqual(before);
  });

  it("PATCH then GET: EUR and fr-FR; another origin is refused (CSRF)", async () => {
    const res = await call(partnerRoute.PATCH, {
      method: "PATCH",
      cookie: op,
      body: { currency: "EUR", locale: "fr-FR" },
      params: { slug: "demo" },
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ currency: "EUR", locale: "fr-FR" });
    expect((await call(partnerRoute.GET, { cookie: op, params: { slug: "demo" } })).json).toMatchObject({ currency: "EUR" });
    const csrf = await call(partnerRoute.PATCH, {
      method: "PATCH",
      cookie: op,
      origin: false,
      body: { currency: "GBP" },
      params: { slug: "demo" },
    });
    expect(csrf.status).toBe(403);
    expect((await call(partnerRoute.GET, { cookie: op, params: { slug: "nope" } })).status).toBe(404);
  });

  it("a wall screen pairs over HTTP: pairing cookie, claim, then a device cookie that is the kitchen", async () => {
    const started = await call(pairRoute.POST, { method: "POST" });
    expect(started.status).toBe(201);
    expect(started.json.display).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const pairingCookie = started.cookies.find((c) => c.startsWith("pass_pairing="))!;
    expect(pairingCookie).toMatch(/HttpOnly/);
    expect(pairingCookie).toMatch(/SameSite=Lax/);
    const screen = pairingCookie.split(";")[0]!;
    // Another site cannot start pairings in a visitor's browser.
    expect((await call(pairRoute.POST, { method: "POST", origin: false })).status).toBe(403);
    expect((await call(pairRoute.GET, {})).status).toBe(401);
    expect((await call(pairRoute.GET, { cookie: screen })).json).toMatchObject({ status: "waiting" });

    const claimed = await call(pairingsRoute.POST, {
      method: "POST",
      cookie: op,
      params: { slug: "demo" },
      body: { code: started.json.display, role: "kitchen", station: "oven", name: "Oven TV" },
    });
    expect(claimed.status, JSON.stringify(claimed.json)).toBe(200);
    const paired = await call(pairRoute.GET, { cookie: screen });
    expect(paired.json).toEqual({ status: "paired", path: "/kitchen?station=oven", name: "Oven TV" });
    const device = paired.cookies.find((c) => c.startsWith("pass_device="))!;
    expect(device).toMatch(/HttpOnly/);
    expect(paired.cookies.some((c) => /^pass_pairing=;/.test(c))).toBe(true);
    const me = await call(meRoute.GET, { cookie: device.split(";")[0]! });
    expect(me.status).toBe(200);
    expect(JSON.stringify(me.json)).toContain("Oven TV");
    // The token's secret is in no answer but the screen's own.
    const list = await call(devicesRoute.GET, { cookie: op, params: { slug: "demo" } });
    expect(JSON.stringify(list.json)).not.toContain(device.split(";")[0]!.slice("pass_device=".length));
    expect((await call(pairRoute.GET, { cookie: screen })).json).toEqual({ status: "used" });
  });

  // The bad pairing codes through the route: a code used already, one expired, one another
  // restaurant's screen asked for. Each is a 4xx naming `code`, and no pairing, device token or
  // event is written.
  it("claiming a code reused, expired or for another partner → 4xx naming code, nothing written", async () => {
    await makePartner(t.db, "other");
    const pairingState = async () => ({
      pairings: await t.db.selectFrom("pairings").selectAll().orderBy("id").execute(),
      tokens: await t.db.selectFrom("deviceTokens").selectAll().orderBy("id").execute(),
      position: (await logPosition({ db: t.db })).lastEventId,
    });
    const claimAs = (code: string) =>
      call(pairingsRoute.POST, { method: "POST", cookie: op, params: { slug: "demo" }, body: { code, role: "kitchen", name: "Pass TV" } });

    const used = await startPairing({ db: t.db });
    expect((await claimAs(used.code)).status).toBe(200);
    const expired = await startPairing({ db: t.db, now: new Date(Date.now() - PAIRING_TTL_MS - 60_000) });
    const theirs = await startPairing({ db: t.db, partner: "other" });

    for (const [code, status, message] of [
      [used.code, 400, /used already/],
      [expired.code, 400, /expired/],
      [theirs.code, 404, /not found/],
    ] as const) {
      const before = await pairingState();
      const res = await claimAs(code);
      expect(res.status, JSON.stringify(res.json)).toBe(status);
      expect(res.json.error.details.field).toBe("code");
      expect(res.json.error.message).toMatch(message);
      expect(await pairingState()).toEqual(before);
    }
    // The other restaurant's screen still waits for its own operator.
    const screen = await t.db
      .selectFrom("pairings")
      .select("claimedAt")
      .where("partnerId", "=", (await t.db.selectFrom("partners").select("id").where("slug", "=", "other").executeTakeFirstOrThrow()).id)
      .execute();
    expect(screen.map((r) => r.claimedAt)).toEqual([null]);
  });

  it("claims are rate-limited per person: a guessing loop is stopped with 429", async () => {
    setLimits(createLimits({ rules: { "pairing:claim": { points: 3, durationS: 60 } } }));
    const guess = () =>
      call(pairingsRoute.POST, {
        method: "POST",
        cookie: op,
        params: { slug: "demo" },
        body: { code: "AAAABBBB", role: "kitchen", name: "Guess" },
      });
    for (let i = 0; i < 3; i++) expect((await guess()).status).toBe(404);
    const limited = await guess();
    expect(limited.status).toBe(429);
    expect(limited.json.error.code).toBe("RATE_LIMITED");
  });
});
