/**
 * Credentials end streams (docs/architecture.md, "Authorisation"): revoking a token, logging
 * out, disabling a user or changing their role closes that principal's open SSE streams and
 * WebSockets within 5 s — on another node too (the revocation is an event in the log) — and a
 * session or token that expires ends its streams by itself. Other principals' streams go on.
 */
import WebSocket from "ws";
import { afterAll, beforeAll, expect, it } from "vitest";
import { disableUser, login, logout, revokeDeviceToken, setUserRole } from "../auth";
import { logPosition } from "../events/log";
import { requireServices } from "../testing/db";
import { describeEachDatabase } from "../testing/each-database";
import { makePartner, makeToken, makeUser, type TestPartner } from "../testing/fixtures";
import { startTestNode, type TestNode } from "../testing/node";
import { openSse, type SseConnection } from "../testing/sse-client";

type Target = { label: string; dialect: "sqlite" | "postgres"; skip: string | null; redis: boolean };
function targets(): Target[] {
  const ok = !!process.env.DATABASE_URL && !!process.env.REDIS_URL;
  if (requireServices() && !ok) throw new Error("REQUIRE_SERVICES=1 needs DATABASE_URL and REDIS_URL");
  return [
    { label: "one node on sqlite", dialect: "sqlite", skip: null, redis: false },
    { label: "two nodes over Redis on postgres", dialect: "postgres", skip: ok ? null : "DATABASE_URL and REDIS_URL not set", redis: true },
  ];
}

async function ended(conn: SseConnection, withinMs = 5_000) {
  const timeout = new Promise<"timeout">((r) => setTimeout(() => r("timeout"), withinMs));
  expect(await Promise.race([conn.ended.then(() => "ended" as const), timeout])).toBe("ended");
  return conn.events.at(-1);
}

function socket(url: string, cookie: string) {
  const ws = new WebSocket(url, { headers: { cookie } });
  const closed = new Promise<{ code: number; reason: string }>((r) =>
    ws.on("close", (code, reason) => r({ code, reason: reason.toString() })),
  );
  const opened = new Promise<void>((resolve, reject) => {
    ws.once("message", () => resolve()); // `connected`
    ws.once("error", reject);
  });
  return { ws, closed, opened };
}

describeEachDatabase(
  "credentials end streams, $label",
  (ctx) => {
    let a: TestNode;
    /** Where the streams are: another node when there is Redis, so the revocation travels. */
    let b: TestNode;
    let demo: TestPartner;
    let n = 0;

    beforeAll(async () => {
      demo = await makePartner(ctx.db, "demo");
      const redisUrl = ctx.target.redis ? process.env.REDIS_URL! : null;
      a = await startTestNode({ db: ctx.db, redisUrl });
      b = ctx.target.redis ? await startTestNode({ db: ctx.db, redisUrl, publishLocalCommits: false, gapCheckMs: 3_600_000 }) : a;
    });
    afterAll(async () => {
      if (b !== a) await b?.close();
      await a?.close();
    });

    const user = async (role: "operator" | "kitchen" = "operator") => {
      const username = `u${++n}`;
      await makeUser(ctx.db, { partnerId: demo.partner.id, role, username });
      const { sessionToken } = await login({ db: ctx.db, username, password: "fixture-pass-4821" });
      return { username, sessionToken, cookie: `pass_session=${sessionToken}` };
    };
    const stream = async (path: string, headers: Record<string, string>) => {
      const conn = await openSse(`${b.url}${path}`, { headers });
      expect(conn.status).toBe(200);
      await conn.waitFor((e) => e.some((x) => x.event === "connected"));
      return conn;
    };

    it("revoking a token ends its streams (channel and /v1/orders/live); another token's stream goes on", async () => {
      const { id, token } = await makeToken(ctx.db, { partnerId: demo.partner.id, role: "operator" });
      const other = (await makeToken(ctx.db, { partnerId: demo.partner.id, role: "operator" })).token;
      const cashier = await stream("/api/events/cashier", { authorization: `Bearer ${token}` });
      const live = await stream("/v1/orders/live", { authorization: `Bearer ${token}` });
      const bystander = await stream("/api/events/cashier", { authorization: `Bearer ${other}` });
      const started = Date.now();
      expect(await revokeDeviceToken({ db: ctx.db, id })).toBe(true);
      expect(await ended(cashier)).toMatchObject({ event: "disconnecting", json: { reason: "CREDENTIALS_REVOKED", detail: "revoked" } });
      expect(await ended(live)).toMatchObject({ event: "disconnecting", json: { reason: "CREDENTIALS_REVOKED" } });
      console.log(`revocation → stream closed on ${ctx.target.redis ? "another node" : "the node"} in ${Date.now() - started} ms`);
      expect(bystander.isEnded()).toBe(false);
      bystander.cut();
      const again = await openSse(`${b.url}/api/events/cashier`, { headers: { authorization: `Bearer ${token}` } });
      expect(again.status).toBe(401);
    });

    it("a paired screen's device cookie opens its channel like its token; revoking the device ends that stream", async () => {
      const { id, token } = await makeToken(ctx.db, { partnerId: demo.partner.id, role: "kitchen" });
      const kitchen = await stream("/api/events/kitchen?view=pass", { cookie: `pass_device=${token}` });
      expect((await openSse(`${b.url}/api/events/cashier`, { headers: { cookie: `pass_device=${token}` } })).status).toBe(403);
      expect(await revokeDeviceToken({ db: ctx.db, id })).toBe(true);
      expect(await ended(kitchen)).toMatchObject({ event: "disconnecting", json: { reason: "CREDENTIALS_REVOKED" } });
      // A revoked device cookie is no credential at all.
      expect((await openSse(`${b.url}/api/events/kitchen`, { headers: { cookie: `pass_device=${token}` } })).status).toBe(401);
    });

    it("logging out ends that session's SSE streams and WebSocket; the same user's other session goes on", async () => {
      const u = await user();
      const second = await login({ db: ctx.db, username: u.username, password: "fixture-pass-4821" });
      const sse = await stream("/api/events/cashier", { cookie: u.cookie });
      const ws = socket(`${b.url.replace("http", "ws")}/ws`, u.cookie);
      await ws.opened;
      const otherSession = await stream("/api/events/cashier", { cookie: `pass_session=${second.sessionToken}` });
      await logout({ db: ctx.db, sessionToken: u.sessionToken });
      expect(await ended(sse)).toMatchObject({ json: { reason: "CREDENTIALS_REVOKED", detail: "logout" } });
      expect(await ws.closed).toEqual({ code: 1008, reason: "credentials revoked" });
      expect(otherSession.isEnded()).toBe(false);
      otherSession.cut();
    });

    it("disabling a user or changing their role ends all of their streams", async () => {
      const disabled = await user();
      const changed = await user("kitchen");
      const s1 = await stream("/api/events/cashier", { cookie: disabled.cookie });
      const w1 = socket(`${b.url.replace("http", "ws")}/ws`, disabled.cookie);
      await w1.opened;
      const s2 = await stream("/api/events/kitchen", { cookie: changed.cookie });
      await disableUser({ db: ctx.db, username: disabled.username });
      expect(await ended(s1)).toMatchObject({ json: { reason: "CREDENTIALS_REVOKED", detail: "disabled" } });
      expect((await w1.closed).code).toBe(1008);
      expect(s2.isEnded()).toBe(false);
      await setUserRole({ db: ctx.db, username: changed.username, role: "operator" });
      expect(await ended(s2)).toMatchObject({ json: { reason: "CREDENTIALS_REVOKED", detail: "role-changed" } });
      // The new role takes effect on the next connection.
      const as = await openSse(`${b.url}/api/events/cashier`, { headers: { cookie: changed.cookie } });
      expect(as.status).toBe(200);
      as.cut();
    });

    it("a session or token that expires ends its streams by itself", async () => {
      const u = await user();
      const soon = new Date(Date.now() + 1_200).toISOString();
      await ctx.db
        .updateTable("sessions")
        .set({ expiresAt: soon })
        .where(
          "userId",
          "=",
          (await ctx.db.selectFrom("users").select("id").where("username", "=", u.username).executeTakeFirstOrThrow()).id,
        )
        .execute();
      const { id, token } = await makeToken(ctx.db, { partnerId: demo.partner.id, role: "operator" });
      await ctx.db.updateTable("deviceTokens").set({ expiresAt: soon }).where("id", "=", id).execute();
      const before = (await logPosition({ db: ctx.db })).lastEventId;
      const bySession = await stream("/api/events/cashier", { cookie: u.cookie });
      const byToken = await stream("/api/events/cashier", { authorization: `Bearer ${token}` });
      const ws = socket(`${b.url.replace("http", "ws")}/ws`, u.cookie);
      await ws.opened;
      expect(await ended(bySession, 3_000)).toMatchObject({ json: { reason: "CREDENTIALS_EXPIRED" } });
      expect(await ended(byToken, 3_000)).toMatchObject({ json: { reason: "CREDENTIALS_EXPIRED" } });
      expect(await ws.closed).toEqual({ code: 1008, reason: "credentials expired" });
      // An expiry needs no event: each stream ended itself.
      expect((await logPosition({ db: ctx.db })).lastEventId).toBe(before);
    });
  },
  { targets: targets() },
);
