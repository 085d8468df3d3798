import "server-only";
import type { Principal } from "../auth/access";
import type { Db } from "../db";
import { isAppError } from "../errors";
import { PAYMENT_METHODS } from "./partner-profile";
import { changeStatus, confirmOrder, ORDER_SOURCES } from "./service";

/**
 * The restaurant's auto-confirm and auto-cancel settings at work (seeds/004 `order:auto_confirm`,
 * `order:auto_cancel`; the back office sets them, lib/orders/partner-profile.ts). Every node's
 * 5-second watch (lib/process-runtime.ts) runs both; confirmOrder and changeStatus change a
 * PENDING order with one conditional update, so two nodes racing confirm or cancel it once and
 * the loser's 409 is ignored. Each change is the ordinary one: its event, its ticket number,
 * its print, exactly as if the cashier had tapped.
 */
const who = (partnerId: string, name: string): Principal => ({
  kind: "token",
  tokenId: name,
  name,
  role: "operator",
  partnerId,
  channels: [],
});

type Due = { id: number; partnerId: string };

async function each(rows: Due[], run: (row: Due) => Promise<unknown>): Promise<number[]> {
  const done: number[] = [];
  for (const row of rows) {
    try {
      await run(row);
      done.push(row.id);
    } catch (err) {
      // Confirmed, cancelled or changed by someone else first: nothing to do.
      if (!(isAppError(err) && err.status === 409)) throw err;
    }
  }
  return done;
}

/** PENDING orders from a partner's auto-confirm sources, older than its autoConfirmSeconds (null: at once). */
export async function autoConfirmDue({ db, now = new Date() }: { db: Db; now?: Date }): Promise<number[]> {
  const partners = await db
    .selectFrom("partners")
    .select(["id", "autoConfirmSources", "autoConfirmSeconds", "defaultPaymentMethod"])
    .where("autoConfirmSources", "!=", "[]")
    .execute();
  const confirmed: number[] = [];
  for (const p of partners) {
    let sources: string[];
    try {
      sources = (JSON.parse(p.autoConfirmSources) as unknown[]).filter(
        (s): s is string => typeof s === "string" && (ORDER_SOURCES as readonly string[]).includes(s),
      );
    } catch {
      continue;
    }
    if (sources.length === 0) continue;
    const cutoff = new Date(now.getTime() - Number(p.autoConfirmSeconds ?? 0) * 1000).toISOString();
    const due = await db
      .selectFrom("orders")
      .select(["id", "partnerId"])
      .where("partnerId", "=", p.id)
      .where("status", "=", "PENDING")
      .where("source", "in", sources)
      .where("createdAt", "<=", cutoff)
      .orderBy("id")
      .limit(100)
      .execute();
    const method = (PAYMENT_METHODS as readonly string[]).includes(p.defaultPaymentMethod) ? p.defaultPaymentMethod : "CASH";
    const principal = who(p.id, "auto-confirm");
    confirmed.push(
      ...(await each(due, (o) =>
        confirmOrder({ db, principal, id: Number(o.id), input: { paymentMethod: method as "CASH" | "CARD" | "OTHER" }, now }),
      )),
    );
  }
  return confirmed;
}

/** PENDING orders older than their partner's autoCancelMinutes are cancelled, with the reason saying why. */
export async function autoCancelDue({ db, now = new Date() }: { db: Db; now?: Date }): Promise<number[]> {
  const partners = await db.selectFrom("partners").select(["id", "autoCancelMinutes"]).where("autoCancelMinutes", "is not", null).execute();
  const cancelled: number[] = [];
  for (const p of partners) {
    const minutes = Number(p.autoCancelMinutes);
    const cutoff = new Date(now.getTime() - minutes * 60_000).toISOString();
    const due = await db
      .selectFrom("orders")
      .select(["id", "partnerId"])
      .where("partnerId", "=", p.id)
      .where("status", "=", "PENDING")
      .where("createdAt", "<=", cutoff)
      .orderBy("id")
      .limit(100)
      .execute();
    const principal = who(p.id, "auto-cancel");
    cancelled.push(
      ...(await each(due, (o) =>
        changeStatus({ db, principal, id: Number(o.id), status: "CANCELLED", reason: `not confirmed within ${minutes} min`, now }),
      )),
    );
  }
  return cancelled;
}
