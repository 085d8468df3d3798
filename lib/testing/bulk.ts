/**
 * Many order events at once, for replay tests: one real order's `order.created` event copied
 * `count` times into the log (each copy its own order id), written the way appendEvent writes
 * — one locked counter, dense ids — but in batches, so 5,000 events take a second, not minutes.
 */
import type { Db } from "../db";
import { readEvents } from "../events/log";
import { placeOrder, type TestPartner } from "./fixtures";

export async function bulkOrderEvents(db: Db, partner: TestPartner, count: number): Promise<{ first: number; last: number }> {
  // A realistic ticket: three lines, one with a long note (~1 KB on the cashier channel).
  const { order } = await placeOrder(db, partner, {
    customer: "bulk",
    table: "12",
    items: [
      { food: "Margherita", quantity: 2, notes: "no basil, extra crispy crust, cut in eight, allergy: tree nuts — please check the oil" },
      { food: "Fries", quantity: 3, notes: "well done" },
      { food: "Lemonade", quantity: 2, notes: null },
    ],
  });
  const [template] = await readEvents({ db, afterId: 0, orderId: order.id, limit: 1 });
  if (!template) throw new Error("no event for the template order");
  return db.transaction().execute(async (trx) => {
    const { lastEventId } = await trx
      .updateTable("logMeta")
      .set((eb) => ({ lastEventId: eb("lastEventId", "+", count) }))
      .where("id", "=", 1)
      .returning("lastEventId")
      .executeTakeFirstOrThrow();
    const last = Number(lastEventId);
    const first = last - count + 1;
    const payload = template.payload as { order: { id: number } };
    for (let start = first; start <= last; start += 500) {
      const rows = [];
      for (let id = start; id <= Math.min(last, start + 499); id++) {
        const copy = { ...payload, order: { ...payload.order, id: 1_000_000 + id } };
        rows.push({
          id,
          partnerId: template.partnerId,
          type: template.type,
          orderId: 1_000_000 + id,
          payloadVersion: template.version,
          payload: JSON.stringify(copy),
          createdAt: new Date().toISOString(),
        });
      }
      await trx.insertInto("events").values(rows).execute();
    }
    return { first, last };
  });
}
