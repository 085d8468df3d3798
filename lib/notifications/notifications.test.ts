/**
 * notification:send through the outbox, on each database (issue "Jobs and notifications" item 5):
 * a fake webhook receiver checks the signature and counts deliveries, a fake SMS gateway counts
 * texts, and the Web Push payload is decrypted with the subscription's keys. Bad input from the
 * issue's list: webhook URLs, another order's token, a phone that does not parse.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Principal } from "../auth";
import { createJobRunner, type JobRunner } from "../jobs";
import { changeStatus, confirmOrder, loadOrder } from "../orders";
import { describeEachDatabase } from "../testing/each-database";
import {
  startFakePushService,
  startFakeSmsGateway,
  startFakeWebhookReceiver,
  type FakeServer,
  type FakeWebhookReceiver,
} from "../testing/fake-receivers";
import { makePartner, makeUser, placeOrder, type TestPartner } from "../testing/fixtures";
import { decryptPush, newSubscriber } from "../testing/web-push-decrypt";
import { createWebhook, deliverOutbox, listDeliveries, listWebhooks, removeWebhook, subscribePush, subscribeSms } from ".";
import { POST as pushRoute } from "@/app/api/orders/[id]/push-subscription/route";
import { POST as smsRoute } from "@/app/api/orders/[id]/sms-subscription/route";
import { POST as webhookRoute } from "@/app/api/partners/[slug]/webhooks/route";
import { setConfig } from "../config";
import { readEvents } from "../events/log";

async function until<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const call = <P extends Record<string, string>>(
  handler: (req: Request, ctx: { params: Promise<P> }) => Promise<Response>,
  path: string,
  params: P,
  body: unknown,
  headers: Record<string, string> = {},
) =>
  handler(
    new Request(`http://pass.test${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", host: "pass.test", ...headers },
      body: JSON.stringify(body),
    }),
    {
      params: Promise.resolve(params),
    },
  ).then(async (res) => ({
    status: res.status,
    json: (await res.json()) as { error?: { code: string; details?: { field?: string } } } & Record<string, unknown>,
  }));

describeEachDatabase("notifications", (ctx) => {
  const signIn = async () => {
    const { POST } = await import("@/app/api/auth/login/route");
    const res = await POST(
      new Request("http://pass.test/api/auth/login", {
        method: "POST",
        headers: { host: "pass.test", "content-type": "application/json" },
        body: JSON.stringify({ username: "notify-admin", password: "fixture-pass-4821" }),
      }),
      { params: Promise.resolve({}) },
    );
    expect(res.status).toBe(200);
    return res.headers.get("set-cookie")!.split(";")[0]!;
  };
  let runner: JobRunner;
  let demo: TestPartner;
  let admin: Principal;
  let receiver: FakeWebhookReceiver;
  let sms: FakeServer;
  let push: FakeServer;

  beforeAll(async () => {
    receiver = await startFakeWebhookReceiver();
    sms = await startFakeSmsGateway();
    push = await startFakePushService();
    ctx.t.config.smsGatewayUrl = `${sms.url}/send`;
    ctx.t.config.smsGatewayToken = "sms-token-123";
    setConfig(ctx.t.config);
    demo = await makePartner(ctx.db, "notify");
    admin = (await makeUser(ctx.db, { partnerId: null, role: "admin", username: "notify-admin" })).principal;
    runner = createJobRunner({ handle: ctx.t, config: ctx.t.config, recurring: [], pollMs: 100 });
    await runner.start();
  });
  afterAll(async () => {
    await runner.stop();
    await Promise.all([receiver.close(), sms.close(), push.close()]);
  });

  it("POSTs each subscribed event once to the partner's webhook, signed", async () => {
    const hook = await createWebhook({
      db: ctx.db,
      principal: admin,
      partner: demo.partner.slug,
      input: { url: `${receiver.url}/pass`, events: ["order.created", "order.confirmed"] },
      allowPrivate: true,
    });
    expect(hook.secret).toMatch(/^whsec_/);
    receiver.hook.secret = hook.secret;
    const { order } = await placeOrder(ctx.db, demo);
    await confirmOrder({ db: ctx.db, principal: admin, id: order.id, input: { paymentMethod: "CASH" } });
    await changeStatus({ db: ctx.db, principal: admin, id: order.id, status: "PREPARING" });
    await until("two deliveries", () => receiver.received.length >= 2 && (true as const));
    await until("the queue to drain", async () => (await runner.pendingCount()) === 0);
    expect(receiver.received).toHaveLength(2);
    expect(receiver.hook.validSignatures).toBe(2);
    // Deliveries run side by side: no order between them; eventId orders them.
    const bodies = receiver.received
      .map((r) => JSON.parse(r.body.toString("utf8")) as Record<string, unknown>)
      .sort((a, b) => Number(a.eventId) - Number(b.eventId));
    expect(bodies.map((b) => b.type)).toEqual(["order.created", "order.confirmed"]);
    // `eventId` is the event's position in the log (its SSE `id:`), on PostgreSQL too, where the
    // outbox row was written before the position was stamped.
    const logged = await readEvents({ db: ctx.db, partnerId: demo.partner.id, afterId: 0, orderId: order.id, limit: 10 });
    expect(bodies.map((b) => b.eventId)).toEqual(
      ["order.created", "order.confirmed"].map((type) => logged.find((e) => e.type === type)!.id),
    );
    expect(bodies[1]).toMatchObject({ partner: "notify", order: { id: order.id, status: "CONFIRMED", paymentMethod: "CASH" } });
    const first = receiver.received.find((r) => r.headers["x-pass-event"] === "order.created")!;
    expect(first.headers).toMatchObject({ "content-type": "application/json", "user-agent": "Pass-Webhooks/1" });
    expect(bodies[0]!.id).toBe(first.headers["x-pass-delivery"]);
    // A signature over another body does not check out.
    expect(receiver.hook.deliveryIds).toHaveLength(2);
    const log = await listDeliveries({ db: ctx.db, principal: admin, partner: "notify", id: hook.id });
    expect(log.deliveries.map((d) => [d.event, d.status, d.attempt]).sort()).toEqual([
      ["order.confirmed", 200, 1],
      ["order.created", 200, 1],
    ]);
    await ctx.db.updateTable("webhooks").set({ removedAt: new Date().toISOString() }).where("id", "=", hook.id).execute();
  });

  it("retries a webhook the receiver refused, with the attempts in the delivery log", async () => {
    const hook = await createWebhook({
      db: ctx.db,
      principal: admin,
      partner: "notify",
      input: { url: `${receiver.url}/retry`, events: ["order.created"] },
      allowPrivate: true,
    });
    receiver.hook.secret = hook.secret;
    const before = receiver.received.length;
    receiver.answer([503]);
    await placeOrder(ctx.db, demo);
    await until("the retry", () => receiver.received.length >= before + 2 && (true as const), 30_000);
    await until("the queue to drain", async () => (await runner.pendingCount()) === 0);
    expect(receiver.received.length - before).toBe(2);
    const log = await listDeliveries({ db: ctx.db, principal: admin, partner: "notify", id: hook.id });
    expect(log.deliveries.map((d) => [d.status, d.attempt])).toEqual([
      [200, 2],
      [503, 1],
    ]);
    expect(log.deliveries[0]!.deliveryId).toBe(log.deliveries[1]!.deliveryId);
    await ctx.db.updateTable("webhooks").set({ removedAt: new Date().toISOString() }).where("id", "=", hook.id).execute();
  }, 40_000);

  it("gives up visibly after the last attempt", async () => {
    const hook = await createWebhook({
      db: ctx.db,
      principal: admin,
      partner: "notify",
      input: { url: `${receiver.url}/down`, events: ["order.created"] },
      allowPrivate: true,
    });
    // The queue's attempts are minutes apart at the end; the sender's last attempt is called directly.
    await runner.stop();
    await placeOrder(ctx.db, demo);
    const row = await ctx.db.selectFrom("outbox").select("id").where("recipient", "=", hook.id).executeTakeFirstOrThrow();
    receiver.answer([500]);
    const channels = (await import("../jobs")).notificationChannels(ctx.t.config);
    await expect(deliverOutbox({ db: ctx.db, outboxId: row.id, attempt: 8, maxAttempts: 8, channels })).rejects.toThrow("answered 500");
    expect(await ctx.db.selectFrom("outbox").select(["status", "lastError"]).where("id", "=", row.id).executeTakeFirstOrThrow()).toEqual({
      status: "failed",
      lastError: expect.stringContaining("answered 500"),
    });
    // Failed is final: another attempt sends nothing.
    const count = receiver.received.length;
    expect(await deliverOutbox({ db: ctx.db, outboxId: row.id, attempt: 1, maxAttempts: 8, channels })).toBe("already-done");
    expect(receiver.received.length).toBe(count);
    await ctx.db.updateTable("webhooks").set({ removedAt: new Date().toISOString() }).where("id", "=", hook.id).execute();
    // The queued job finds the row already failed.
    await runner.start();
    await until("the queue to drain", async () => (await runner.pendingCount()) === 0);
    expect(receiver.received.length).toBe(count);
  });

  it("tells the guest by Web Push (decrypted with the subscription's keys) and SMS when the order is ready", async () => {
    const subscriber = newSubscriber();
    const { order, trackingToken } = await placeOrder(ctx.db, demo);
    await subscribePush({
      db: ctx.db,
      id: order.id,
      trackingToken,
      subscription: { endpoint: `${push.url}/push/abc`, keys: subscriber.keys },
      allowPrivate: true,
    });
    const smsSub = await subscribeSms({ db: ctx.db, id: order.id, trackingToken, phone: "+44 20 7946 0958" });
    expect(smsSub.phone).toBe("+442079460958");
    await confirmOrder({ db: ctx.db, principal: admin, id: order.id, input: { paymentMethod: "CASH" } });
    await changeStatus({ db: ctx.db, principal: admin, id: order.id, status: "PREPARING" });
    await changeStatus({ db: ctx.db, principal: admin, id: order.id, status: "READY" });
    await until("the push", () => push.received.length >= 1 && (true as const));
    await until("the text", () => sms.received.length >= 1 && (true as const));
    await until("the queue to drain", async () => (await runner.pendingCount()) === 0);
    expect(push.received).toHaveLength(1);
    const pushed = push.received[0]!;
    expect(pushed.path).toBe("/push/abc");
    expect(pushed.headers["content-encoding"]).toBe("aes128gcm");
    expect(String(pushed.headers.authorization)).toContain(`k=${ctx.t.config.vapid.publicKey}`);
    const message = JSON.parse(decryptPush(pushed.body, subscriber)) as Record<string, unknown>;
    expect(message).toMatchObject({
      title: `Order ${order.displayCode} is ready`,
      orderId: order.id,
      status: "READY",
      url: `/track/${order.id}`,
    });
    // Another subscriber's keys do not open it.
    expect(() => decryptPush(pushed.body, newSubscriber())).toThrow();
    expect(sms.received).toHaveLength(1);
    expect(sms.received[0]!.headers.authorization).toBe("Bearer sms-token-123");
    expect(JSON.parse(sms.received[0]!.body.toString("utf8"))).toMatchObject({
      to: "+442079460958",
      text: expect.stringContaining(`Order ${order.displayCode} is ready`),
    });
  });

  it("tells the guest when the order is cancelled, and drops a subscription the push service says is gone", async () => {
    const subscriber = newSubscriber();
    const { order, trackingToken } = await placeOrder(ctx.db, demo);
    await subscribePush({
      db: ctx.db,
      id: order.id,
      trackingToken,
      subscription: { endpoint: `${push.url}/push/gone`, keys: subscriber.keys },
      allowPrivate: true,
    });
    const before = push.received.length;
    push.answer([410]);
    await changeStatus({ db: ctx.db, principal: admin, id: order.id, status: "CANCELLED", reason: "kitchen closed" });
    await until("the push", () => push.received.length > before && (true as const));
    await until("the queue to drain", async () => (await runner.pendingCount()) === 0);
    expect(JSON.parse(decryptPush(push.received[before]!.body, subscriber))).toMatchObject({ status: "CANCELLED", body: "kitchen closed" });
    expect(push.received.length).toBe(before + 1);
    expect(await ctx.db.selectFrom("notificationSubscriptions").select("id").where("orderId", "=", order.id).execute()).toEqual([]);
  });

  it("refuses a push subscription for another order's token, and a phone that does not parse", async () => {
    const mine = await placeOrder(ctx.db, demo);
    const theirs = await placeOrder(ctx.db, demo);
    const subscription = { endpoint: `${push.url}/push/x`, keys: newSubscriber().keys };
    const wrong = await call(
      pushRoute,
      `/api/orders/${theirs.order.id}/push-subscription`,
      { id: String(theirs.order.id) },
      { subscription },
      { "x-tracking-token": mine.trackingToken },
    );
    expect(wrong.status).toBe(404);
    const none = await call(pushRoute, `/api/orders/${mine.order.id}/push-subscription`, { id: String(mine.order.id) }, { subscription });
    expect(none.status).toBe(401);
    const badKey = await call(
      pushRoute,
      `/api/orders/${mine.order.id}/push-subscription`,
      { id: String(mine.order.id) },
      { subscription: { ...subscription, keys: { ...subscription.keys, p256dh: "AAAA" } } },
      { "x-tracking-token": mine.trackingToken },
    );
    expect(badKey).toMatchObject({ status: 400, json: { error: { details: { field: "subscription.keys.p256dh" } } } });
    const ok = await call(
      pushRoute,
      `/api/orders/${mine.order.id}/push-subscription`,
      { id: String(mine.order.id) },
      { subscription },
      { "x-tracking-token": mine.trackingToken },
    );
    expect(ok.status).toBe(201);
    for (const phone of ["12", "not a phone", "+1 555 0100 99999999"]) {
      const res = await call(
        smsRoute,
        `/api/orders/${mine.order.id}/sms-subscription`,
        { id: String(mine.order.id) },
        { phone },
        { "x-tracking-token": mine.trackingToken },
      );
      expect(res, phone).toMatchObject({ status: 400, json: { error: { details: { field: "phone" } } } });
    }
    const nul = await call(
      smsRoute,
      `/api/orders/${mine.order.id}/sms-subscription`,
      { id: String(mine.order.id) },
      { phone: "+44\u00002079460958" },
      { "x-tracking-token": mine.trackingToken },
    );
    expect(nul).toMatchObject({ status: 400, json: { error: { details: { field: "phone" } } } });
    const subs = await ctx.db.selectFrom("notificationSubscriptions").select("channel").where("orderId", "=", mine.order.id).execute();
    expect(subs).toEqual([{ channel: "push" }]);
    expect((await loadOrder(ctx.db, theirs.order.id))!.status).toBe("PENDING");
  });

  it("keeps partners apart: a webhook is found only under its own partner's slug", async () => {
    await makePartner(ctx.db, "notify-other");
    const mine = await createWebhook({
      db: ctx.db,
      principal: admin,
      partner: "notify",
      input: { url: "https://hooks.example.com/mine" },
      allowPrivate: false,
    });
    expect(await listWebhooks({ db: ctx.db, principal: admin, partner: "notify-other" })).toEqual([]);
    await expect(listDeliveries({ db: ctx.db, principal: admin, partner: "notify-other", id: mine.id })).rejects.toMatchObject({
      status: 404,
    });
    await expect(removeWebhook({ db: ctx.db, principal: admin, partner: "notify-other", id: mine.id })).rejects.toMatchObject({
      status: 404,
    });
    expect((await listWebhooks({ db: ctx.db, principal: admin, partner: "notify" })).map((h) => h.id)).toContain(mine.id);
    // An operator (the counter) manages no webhooks, not even their own partner's.
    const { principal: operator } = await makeUser(ctx.db, { partnerId: demo.partner.id, role: "operator", username: "notify-operator" });
    await expect(listWebhooks({ db: ctx.db, principal: operator, partner: "notify" })).rejects.toMatchObject({ status: 403 });
    await removeWebhook({ db: ctx.db, principal: admin, partner: "notify", id: mine.id });
  });

  it("refuses webhook URLs that are not http(s), and private / metadata addresses in production", async () => {
    const cases: [string, boolean][] = [
      ["ftp://hooks.example.com/x", true],
      ["javascript:alert(1)", true],
      ["not a url", true],
      ["http://127.0.0.1:9/x", false],
      ["http://localhost/x", false],
      ["http://169.254.169.254/latest/meta-data", false],
      ["http://[::1]/x", false],
      ["http://[::ffff:127.0.0.1]/x", false],
      ["http://10.0.0.5/x", false],
    ];
    for (const [url, always] of cases) {
      for (const allowPrivate of always ? [true, false] : [false]) {
        await expect(
          createWebhook({ db: ctx.db, principal: admin, partner: "notify", input: { url }, allowPrivate }),
          url,
        ).rejects.toMatchObject({ details: { field: "url" } });
      }
    }
    const before = await ctx.db.selectFrom("webhooks").select("id").execute();
    // Through the route, as production configures it (NODE_ENV=production: webhookAllowPrivate false).
    ctx.t.config.webhookAllowPrivate = false;
    try {
      const cookie = await signIn();
      const post = (body: unknown) =>
        call(webhookRoute, "/api/partners/notify/webhooks", { slug: "notify" }, body, { cookie, origin: "http://pass.test" });
      expect(await post({ url: "http://127.0.0.1:8080/hook" })).toMatchObject({
        status: 400,
        json: { error: { details: { field: "url" } } },
      });
      expect(await post({ url: "http://169.254.169.254/latest" })).toMatchObject({
        status: 400,
        json: { error: { details: { field: "url" } } },
      });
      expect(await post({ url: "https://hooks.example.com/\u0000" })).toMatchObject({
        status: 400,
        json: { error: { details: { field: "url" } } },
      });
      expect(await post({ url: "https://hooks.example.com/x", events: ["order.location"] })).toMatchObject({
        status: 400,
        json: { error: { details: { field: "events.0" } } },
      });
      const made = await post({ url: "https://hooks.example.com/ok" });
      expect(made).toMatchObject({ status: 201, json: { url: "https://hooks.example.com/ok", secret: expect.stringMatching(/^whsec_/) } });
    } finally {
      ctx.t.config.webhookAllowPrivate = true;
    }
    expect((await ctx.db.selectFrom("webhooks").select("id").execute()).length).toBe(before.length + 1);
  });
});
