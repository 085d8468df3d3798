/**
 * Customers (issue "Jobs and notifications" item 4, lib/orders/customers.ts) on each database:
 * created at order time from a phone or an email, matched by phone then email within the partner,
 * brought up to date, refused by field when the contact is bad (nothing written), and sent on
 * /ws `customer_changes` as seeds/001 shows; `customer_id` in order messages is their integer id.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { login } from "../auth";
import { logPosition, readEvents } from "../events/log";
import { ValidationError } from "../errors";
import { describeEachDatabase } from "../testing/each-database";
import { makePartner, makeUser, placeOrder, type TestPartner } from "../testing/fixtures";
import { startTestNode, type TestNode } from "../testing/node";
import * as orderRoute from "@/app/api/orders/[id]/route";

type Msg = Record<string, any>;

function connect(url: string, cookie: string) {
  const ws = new WebSocket(url, { headers: { cookie } });
  const messages: Msg[] = [];
  ws.on("message", (data) => messages.push(JSON.parse(data.toString())));
  const opened = new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  const waitFor = async (predicate: (m: Msg[]) => boolean, timeoutMs = 5_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(messages)) {
      if (Date.now() > deadline) throw new Error(`timed out; got ${JSON.stringify(messages)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    return messages;
  };
  const send = (m: unknown) => ws.send(JSON.stringify(m));
  return { ws, messages, opened, waitFor, send };
}

describeEachDatabase("customers", (ctx) => {
  let demo: TestPartner;
  let other: TestPartner;

  beforeAll(async () => {
    demo = await makePartner(ctx.db, "demo");
    other = await makePartner(ctx.db, "other");
  });

  const customers = (partnerId: string) =>
    ctx.db.selectFrom("customers").selectAll().where("partnerId", "=", partnerId).orderBy("id").execute();
  const eventsAfter = (afterId: number) => readEvents({ db: ctx.db, afterId, limit: 100 });

  it("created at order time: integer id, E.164 phone, lower-cased email, consent; customer.created before order.created", async () => {
    const from = (await logPosition({ db: ctx.db })).lastEventId;
    const { order } = await placeOrder(ctx.db, demo, {
      customer: "Ada Lovelace",
      customerPhone: "+44 20 7946 0958",
      customerEmail: " Ada@Example.COM ",
      marketingConsent: true,
    });
    expect(order.customerId).toEqual(expect.any(Number));
    expect(Number.isInteger(order.customerId)).toBe(true);
    const [row] = await customers(demo.partner.id);
    expect(row).toMatchObject({
      id: order.customerId,
      name: "Ada Lovelace",
      phone: "+442079460958",
      email: "ada@example.com",
      marketingConsent: 1,
    });
    const events = await eventsAfter(from);
    expect(events.map((e) => e.type)).toEqual(["customer.created", "order.created"]);
    expect(events[0]).toMatchObject({ partnerId: demo.partner.id, orderId: null });
    expect((events[0]!.payload as any).customer).toMatchObject({ id: order.customerId, phone: "+442079460958", marketingConsent: true });
    expect((events[1]!.payload as any).order.customerId).toBe(order.customerId);
  });

  it("matched on a later order by phone (however it is written), then by email; a name alone makes no customer", async () => {
    const first = await placeOrder(ctx.db, demo, { customer: "Grace", customerPhone: "+1 (202) 456-1111" });
    const from = (await logPosition({ db: ctx.db })).lastEventId;
    const again = await placeOrder(ctx.db, demo, { customer: "Grace", customerPhone: "2024561111" }); // national, read in en-US
    expect(again.order.customerId).toBe(first.order.customerId);
    expect((await eventsAfter(from)).map((e) => e.type)).toEqual(["order.created"]);

    const byMail = await placeOrder(ctx.db, demo, { customer: "Linus", customerEmail: "linus@example.org" });
    const byMailAgain = await placeOrder(ctx.db, demo, { customer: "Linus", customerEmail: "LINUS@example.org" });
    expect(byMailAgain.order.customerId).toBe(byMail.order.customerId);
    expect(byMail.order.customerId).not.toBe(first.order.customerId);

    // Phone first: a phone of one customer and the email of another is the phone's customer.
    const mixed = await placeOrder(ctx.db, demo, { customer: "Grace", customerPhone: "+12024561111", customerEmail: "linus@example.org" });
    expect(mixed.order.customerId).toBe(first.order.customerId);
    const grace = (await customers(demo.partner.id)).find((c) => c.id === first.order.customerId)!;
    expect(grace.email).toBeNull(); // the email stays Linus's

    const nameOnly = await placeOrder(ctx.db, demo, { customer: "Nobody" });
    expect(nameOnly.order.customerId).toBeNull();
  });

  it("a changed name or consent updates the customer with customer.updated naming what changed", async () => {
    const { order } = await placeOrder(ctx.db, demo, { customer: "Alan", customerPhone: "+33 1 42 68 53 00" });
    const from = (await logPosition({ db: ctx.db })).lastEventId;
    const later = await placeOrder(ctx.db, demo, {
      customer: "Alan Turing",
      customerPhone: "+33142685300",
      customerEmail: "alan@example.com",
      marketingConsent: true,
    });
    expect(later.order.customerId).toBe(order.customerId);
    const events = await eventsAfter(from);
    expect(events.map((e) => e.type)).toEqual(["customer.updated", "order.created"]);
    expect((events[0]!.payload as any).changed).toEqual({ name: "Alan Turing", marketingConsent: true, email: "alan@example.com" });
    const row = (await customers(demo.partner.id)).find((c) => c.id === order.customerId)!;
    expect(row).toMatchObject({ name: "Alan Turing", email: "alan@example.com", marketingConsent: 1 });
    expect(row.updatedAt >= row.createdAt).toBe(true);
    // Consent not said keeps what it was; the same again changes nothing.
    const to = (await logPosition({ db: ctx.db })).lastEventId;
    await placeOrder(ctx.db, demo, { customer: "Alan Turing", customerPhone: "+33142685300" });
    expect((await eventsAfter(to)).map((e) => e.type)).toEqual(["order.created"]);
  });

  it("a phone that does not parse or a bad email is refused naming the field, and nothing is written", async () => {
    const count = async () => {
      const n = async (table: "orders" | "customers") =>
        Number(
          (
            await ctx.db
              .selectFrom(table)
              .select((eb) => eb.fn.countAll().as("n"))
              .executeTakeFirstOrThrow()
          ).n,
        );
      return { orders: await n("orders"), customers: await n("customers"), events: (await logPosition({ db: ctx.db })).lastEventId };
    };
    const before = await count();
    for (const [input, field] of [
      [{ customerPhone: "not a phone" }, "customerPhone"],
      [{ customerPhone: "+1 555" }, "customerPhone"],
      [{ customerPhone: "+44 20 7946 0958", customerEmail: "nope@" }, "customerEmail"],
      [{ customerEmail: "two@@example.com" }, "customerEmail"],
      [{ marketingConsent: true }, "marketingConsent"],
    ] as const) {
      const refused = await placeOrder(ctx.db, demo, { customer: "Eve", ...input }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(ValidationError);
      expect((refused as ValidationError).details).toMatchObject({ field });
    }
    expect(await count()).toEqual(before);
  });

  it("another partner's same phone is another customer; partners never share one", async () => {
    const mine = await placeOrder(ctx.db, demo, { customer: "Marie", customerPhone: "+49 30 901820" });
    const theirs = await placeOrder(ctx.db, other, { customer: "Marie C.", customerPhone: "+4930901820" });
    expect(theirs.order.customerId).toEqual(expect.any(Number));
    expect(theirs.order.customerId).not.toBe(mine.order.customerId);
    const mineRow = (await customers(demo.partner.id)).find((c) => c.id === mine.order.customerId)!;
    expect(mineRow.name).toBe("Marie"); // the other partner's order did not rename her
    expect((await customers(other.partner.id)).map((c) => c.phone)).toEqual(["+4930901820"]);
  });

  it("orders racing with the same new phone end with one customer", async () => {
    const placed = await Promise.all(
      Array.from({ length: 5 }, () => placeOrder(ctx.db, demo, { customer: "Rush", customerPhone: "+44 161 496 0000" })),
    );
    const ids = new Set(placed.map((p) => p.order.customerId));
    expect(ids.size).toBe(1);
    expect((await customers(demo.partner.id)).filter((c) => c.phone === "+441614960000")).toHaveLength(1);
  });

  describe("/ws customer_changes (seeds/001) and the staff's order view", () => {
    let node: TestNode;
    let wsUrl: string;
    let cookie: string;
    let otherCookie: string;
    let kitchenCookie: string;

    beforeAll(async () => {
      await makeUser(ctx.db, { partnerId: demo.partner.id, role: "operator", username: "cust-op" });
      await makeUser(ctx.db, { partnerId: other.partner.id, role: "operator", username: "cust-op2" });
      await makeUser(ctx.db, { partnerId: demo.partner.id, role: "kitchen", username: "cust-kitchen" });
      const cookieOf = async (username: string) =>
        `pass_session=${(await login({ db: ctx.db, username, password: "fixture-pass-4821" })).sessionToken}`;
      cookie = await cookieOf("cust-op");
      otherCookie = await cookieOf("cust-op2");
      kitchenCookie = await cookieOf("cust-kitchen");
      node = await startTestNode({ db: ctx.db, wsLimits: { perIp: 8, attemptsPerMinute: 1000 } });
      wsUrl = `${node.url.replace("http", "ws")}/ws`;
    });
    afterAll(async () => {
      await node?.close();
    });

    it("customer:created / customer:updated field for field, customer_id the integer id, only to the partner's cashier", async () => {
      const c = connect(wsUrl, cookie);
      const stranger = connect(wsUrl, otherCookie);
      const kitchen = connect(wsUrl, kitchenCookie);
      await Promise.all([c.opened, stranger.opened, kitchen.opened]);
      c.send({ type: "subscribe", channel: "customer_changes" });
      c.send({ type: "subscribe", channel: "order_changes" });
      stranger.send({ type: "subscribe", channel: "customer_changes" });
      kitchen.send({ type: "subscribe", channel: "customer_changes" });
      await c.waitFor((m) => m.filter((x) => x.type === "subscribed").length === 2);
      await stranger.waitFor((m) => m.some((x) => x.type === "subscribed"));
      await kitchen.waitFor((m) => m.some((x) => x.type === "error"));
      expect(kitchen.messages.find((x) => x.type === "error")).toMatchObject({ code: "FORBIDDEN" });

      const first = await placeOrder(ctx.db, demo, {
        customer: "Katherine Coleman Johnson",
        customerPhone: "+1 202 358 0000",
        customerEmail: "KJ@example.com",
      });
      const id = first.order.customerId!;
      await placeOrder(ctx.db, demo, { customer: "Katherine Johnson", customerPhone: "+12023580000", marketingConsent: true });
      const guest = await placeOrder(ctx.db, demo, { customer: "Walk-in" });
      await c.waitFor((m) => m.filter((x) => x.event).length >= 5);
      const events = c.messages.filter((x) => x.event);
      expect(events.map((e) => e.event)).toEqual([
        "customer:created",
        "order:created",
        "customer:updated",
        "order:created",
        "order:created",
      ]);
      const timestamp = expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/);
      expect(events[0]).toEqual({
        id: expect.any(Number),
        event: "customer:created",
        data: { id, email: "kj@example.com", first_name: "Katherine", last_name: "Coleman Johnson" },
        timestamp,
      });
      expect(events[2]).toEqual({
        id: expect.any(Number),
        event: "customer:updated",
        data: {
          id,
          email: "kj@example.com",
          first_name: "Katherine",
          last_name: "Johnson",
          changed_fields: { first_name: "Katherine", last_name: "Johnson", marketing_consent: true },
        },
        timestamp,
      });
      expect(events[1]!.data).toMatchObject({ id: first.order.id, customer_id: id });
      expect(typeof events[1]!.data.customer_id).toBe("number");
      expect(events[3]!.data.customer_id).toBe(id);
      expect(events[4]!.data).toMatchObject({ id: guest.order.id, customer_id: null });

      await new Promise((r) => setTimeout(r, 150));
      expect(stranger.messages.filter((x) => x.event)).toEqual([]);
      // Resuming replays the same frames from the log.
      const resumed = connect(wsUrl, cookie);
      await resumed.opened;
      resumed.send({ type: "subscribe", channel: "customer_changes", offset: events[0]!.id - 1 });
      await resumed.waitFor((m) => m.filter((x) => x.event).length >= 2);
      expect(resumed.messages.filter((x) => x.event).slice(0, 2)).toEqual([events[0], events[2]]);
      for (const s of [c, stranger, kitchen, resumed]) s.ws.close();
    });

    it("GET /api/orders/{id}: the cashier's staff see the customer; the kitchen, the guest and another partner do not", async () => {
      const placed = await placeOrder(ctx.db, demo, {
        customer: "Dorothy Vaughan",
        customerPhone: "+1 757 864 1000",
        customerEmail: "dv@example.com",
      });
      const plain = await placeOrder(ctx.db, demo, { customer: "Walk-in" });
      const get = async (id: number, headers: Record<string, string>) => {
        const res = await orderRoute.GET(new Request(`http://pass.test/api/orders/${id}`, { headers: { host: "pass.test", ...headers } }), {
          params: Promise.resolve({ id: String(id) }),
        });
        return { status: res.status, json: (await res.json()) as Record<string, any> };
      };
      const staff = await get(placed.order.id, { cookie });
      expect(staff.json.customerDetails).toEqual({
        id: placed.order.customerId,
        name: "Dorothy Vaughan",
        phone: "+17578641000",
        email: "dv@example.com",
        marketingConsent: false,
      });
      expect((await get(plain.order.id, { cookie })).json.customerDetails).toBeNull();
      const kitchenView = await get(placed.order.id, { cookie: kitchenCookie });
      expect(kitchenView.status).toBe(200);
      expect(kitchenView.json).not.toHaveProperty("customerDetails");
      const guest = await get(placed.order.id, { "x-tracking-token": placed.trackingToken });
      expect(guest.status).toBe(200);
      expect(guest.json).not.toHaveProperty("customerDetails");
      expect(JSON.stringify(guest.json)).not.toContain("7578641000");
      // Another order's token does not open this one.
      expect((await get(placed.order.id, { "x-tracking-token": plain.trackingToken })).status).toBe(404);
      expect((await get(placed.order.id, { cookie: otherCookie })).status).toBe(404);
    });
  });
});
