/**
 * Third-party clients as their authors write them (docs/contracts.md#seeds-003, #seeds-002): the
 * `eventsource` package with `onmessage` (seeds/003's example) and with `lastEventId` stored from
 * every event, against a real listener, on both databases.
 */
import { EventSource } from "eventsource";
import { beforeAll, expect, it } from "vitest";
import { describeEachDatabase } from "../testing/each-database";
import { makePartner, makeToken, placeOrder, type TestPartner } from "../testing/fixtures";
import { startTestNode, type TestNode } from "../testing/node";

type Seen = { type: string; id: string; data: string };

function listen(url: string, token: string, names: string[] = []) {
  const seen: Seen[] = [];
  const es = new EventSource(url, {
    fetch: (input, init) => fetch(input, { ...init, headers: { ...init?.headers, authorization: `Bearer ${token}` } }),
  });
  es.onmessage = (e) => seen.push({ type: "message", id: e.lastEventId, data: e.data });
  for (const name of names)
    es.addEventListener(name, (e) => seen.push({ type: name, id: (e as MessageEvent).lastEventId, data: (e as MessageEvent).data }));
  const waitFor = async (predicate: (s: Seen[]) => boolean, ms = 5_000) => {
    const deadline = Date.now() + ms;
    while (!predicate(seen)) {
      if (Date.now() > deadline) throw new Error(`timed out; saw ${JSON.stringify(seen.map((s) => `${s.id}:${s.type}`))}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  return { es, seen, waitFor };
}

describeEachDatabase("third-party EventSource clients", (ctx) => {
  let node: TestNode;
  let demo: TestPartner;
  let operator: string;
  let messageToken: string;

  beforeAll(async () => {
    demo = await makePartner(ctx.db, "demo");
    operator = (await makeToken(ctx.db, { partnerId: demo.partner.id, role: "operator" })).token;
    messageToken = (await makeToken(ctx.db, { partnerId: demo.partner.id, role: "operator", streamFormat: "message" })).token;
    node = await startTestNode({ db: ctx.db });
    return () => node.close();
  });

  it("seeds/003's example (onmessage) receives nothing from named frames, every order with ?format=message", async () => {
    const named = listen(`${node.url}/events/cashier`, operator, ["connected"]);
    const plain = listen(`${node.url}/events/cashier?format=message`, operator, ["connected"]);
    await named.waitFor((s) => s.some((x) => x.type === "connected"));
    await plain.waitFor((s) => s.some((x) => x.type === "connected"));
    const { order } = await placeOrder(ctx.db, demo);
    await plain.waitFor((s) => s.some((x) => x.type === "message"));
    const message = plain.seen.find((x) => x.type === "message")!;
    expect(JSON.parse(message.data)).toMatchObject({ id: order.id, displayCode: order.displayCode, status: "PENDING" });
    expect(Number(message.id)).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 100));
    expect(named.seen.filter((x) => x.type === "message")).toEqual([]);
    named.es.close();
    plain.es.close();
  });

  it("a token set to the message format gets unnamed frames without asking; a bad format is a 400", async () => {
    const client = listen(`${node.url}/events/cashier`, messageToken);
    await new Promise((r) => setTimeout(r, 200));
    const { order } = await placeOrder(ctx.db, demo);
    await client.waitFor((s) => s.some((x) => x.type === "message" && JSON.parse(x.data).id === order.id));
    client.es.close();
    const bad = await fetch(`${node.url}/events/cashier?format=xml`, { headers: { authorization: `Bearer ${operator}` } });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.details.field).toBe("format");
  });

  it("a client that keeps `lastEventId` from every event (control frames too) resumes without a gap", async () => {
    const first = listen(`${node.url}/events/cashier?format=message`, operator, ["connected"]);
    await first.waitFor((s) => s.some((x) => x.type === "connected"));
    // Its position after `connected` alone is already a log id, not "".
    expect(first.seen[0]!.id).toMatch(/^\d+$/);
    const a = await placeOrder(ctx.db, demo);
    await first.waitFor((s) => s.some((x) => x.type === "message"));
    const last = first.seen.at(-1)!.id;
    first.es.close();
    // Missed while away.
    const b = await placeOrder(ctx.db, demo);
    const c = await placeOrder(ctx.db, demo);
    const again = listen(`${node.url}/events/cashier?format=message&lastEventId=${last}`, operator);
    await again.waitFor((s) => s.filter((x) => x.type === "message").length >= 2);
    const ids = again.seen.filter((x) => x.type === "message").map((x) => JSON.parse(x.data).id);
    expect(ids).toEqual([b.order.id, c.order.id]);
    expect(ids).not.toContain(a.order.id);
    again.es.close();
  });
});
