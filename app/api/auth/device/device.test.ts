/**
 * A screen signed in with its device token (issue "Network printers" item 4: the print station
 * works with a printer token, no operator login), on SQLite and PostgreSQL: the cookie is httpOnly
 * and carries exactly the token's rights; a revoked token signs the screen out; a wrong token is
 * 401; a cross-site write with the cookie is refused (CSRF) as with a session.
 */
import { beforeAll, expect, it } from "vitest";
import { revokeDeviceToken } from "@/lib/auth";
import { describeEachDatabase } from "@/lib/testing/each-database";
import { createPrinter } from "@/lib/printing";
import { makePartner, makeToken, makeUser, type TestPartner } from "@/lib/testing/fixtures";
import * as printersRoute from "../../printers/route";
import * as printerRoute from "../../printers/[id]/route";
import * as ordersRoute from "../../orders/route";
import * as deviceRoute from "./route";

const ORIGIN = "http://pass.test";
type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
const call = (
  handler: unknown,
  {
    method = "GET",
    headers = {},
    body,
    params = {},
  }: { method?: string; headers?: Record<string, string>; body?: unknown; params?: Record<string, string> },
) =>
  (handler as Handler)(
    new Request(`${ORIGIN}/x`, {
      method,
      headers: { host: "pass.test", ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    { params: Promise.resolve(params) },
  );

describeEachDatabase("device sign-in", (t) => {
  let demo: TestPartner;
  beforeAll(async () => {
    demo = await makePartner(t.db, "demo");
  });

  it("a printer token signs the print station in with the token's rights only", async () => {
    const token = await makeToken(t.db, { partnerId: demo.partner.id, role: "printer" });
    const res = await call(deviceRoute.POST, { method: "POST", headers: { origin: ORIGIN }, body: { token: token.token } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ device: { name: token.name, role: "printer", channels: ["printer"] } });
    const cookie = res.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^pass_device=[^;]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+$/);
    const jar = { cookie: cookie.split(";")[0]! };

    expect((await call(printersRoute.GET, { headers: jar })).status).toBe(200);
    expect((await call(ordersRoute.GET, { headers: jar })).status).toBe(403); // a printer token reads no orders
    const admin = (await makeUser(t.db, { partnerId: null, role: "admin", username: "device-admin" })).principal;
    const printer = await createPrinter({ db: t.db, principal: admin, input: { partner: "demo", name: "grill", host: "127.0.0.1" } });
    // Writes with the cookie: from our own origin yes, from another site no.
    const pause = (origin: string) =>
      call(printerRoute.PATCH, { method: "PATCH", headers: { ...jar, origin }, body: { paused: true }, params: { id: printer.id } });
    expect((await pause("https://evil.example")).status).toBe(403);
    expect((await pause(ORIGIN)).status).toBe(200);

    await revokeDeviceToken({ db: t.db, id: token.id });
    expect((await call(printersRoute.GET, { headers: jar })).status).toBe(401);
  });

  it("a wrong token is 401 and sets no cookie; signing out clears it", async () => {
    const res = await call(deviceRoute.POST, { method: "POST", body: { token: "tok_nope" } });
    expect(res.status).toBe(401);
    expect(res.headers.get("set-cookie")).toBeNull();
    const out = await call(deviceRoute.DELETE, { method: "DELETE" });
    expect(out.headers.get("set-cookie")).toMatch(/^pass_device=; Path=\/; HttpOnly; SameSite=Lax; Max-Age=0$/);
  });
});
