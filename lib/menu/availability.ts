import "server-only";
import { type Principal, assertCan, assertPartnerVisible } from "../auth/access";
import type { Db } from "../db";
import { nowIso } from "../db/ids";
import { ConflictError, NotFoundError } from "../errors";
import { mutate } from "../events";
import { nextCutover } from "../orders/business-day";
import { EVENT_PAYLOAD_VERSION } from "../orders/events";
import { toFoodDto } from "./model";

/**
 * "86": a dish or an option is sold out (issue "The menu" item 3), from any staff screen in one
 * tap, either until someone turns it back (`manual`) or until the end of the business day
 * (`end-of-day`): then `availableAgainAt` is the partner's next cut-over and `restoreDue86`
 * brings it back by itself — once, whichever node's timer gets there first, because the restore
 * is a conditional update that only one transaction can win.
 */
export type SoldOutUntil = "manual" | "end-of-day";

/** An option is addressed under its group (`/api/modifier-groups/{groupId}/options/{id}`). */
type Target = { kind: "food"; id: string } | { kind: "option"; id: string; groupId?: string };

export async function setAvailability({
  db,
  principal,
  target,
  available,
  until = "manual",
  now = new Date(),
}: {
  db: Db;
  principal: Principal;
  target: Target;
  available: boolean;
  until?: SoldOutUntil;
  now?: Date;
}) {
  assertCan(principal, "menu:86");
  const table = target.kind === "food" ? "foods" : "modifierOptions";
  const what = target.kind === "food" ? "food" : "option";
  return mutate(db, async (trx, emit) => {
    const row = await trx.selectFrom(table).selectAll().where("id", "=", target.id).executeTakeFirst();
    if (!row || (target.kind === "option" && target.groupId !== undefined && (row as { groupId?: string }).groupId !== target.groupId))
      throw new NotFoundError(what);
    assertPartnerVisible(principal, row.partnerId, what);
    if (row.archived) throw new ConflictError(`the ${what} is archived`, { field: "id" });
    let availableAgainAt: string | null = null;
    if (!available && until === "end-of-day") {
      const partner = (await trx.selectFrom("partners").selectAll().where("id", "=", row.partnerId).executeTakeFirstOrThrow())!;
      availableAgainAt = nextCutover({ at: now, timezone: partner.timezone, cutoverHour: Number(partner.cutoverHour) }).toISOString();
    }
    await trx
      .updateTable(table)
      .set({ available: available ? 1 : 0, availableAgainAt, updatedAt: nowIso() })
      .where("id", "=", target.id)
      .execute();
    if (target.kind === "food") {
      const food = (await trx.selectFrom("foods").selectAll().where("id", "=", target.id).executeTakeFirstOrThrow())!;
      const links = await trx
        .selectFrom("foodModifierGroups")
        .select("groupId")
        .where("foodId", "=", food.id)
        .orderBy("position")
        .execute();
      const dto = toFoodDto(
        food,
        links.map((l) => l.groupId),
      );
      await emit({
        version: EVENT_PAYLOAD_VERSION,
        partnerId: row.partnerId,
        type: "food.updated",
        orderId: null,
        payload: { food: dto, changed: { available: dto.available, availableAgainAt: dto.availableAgainAt } },
      });
    } else {
      await emit({
        version: EVENT_PAYLOAD_VERSION,
        partnerId: row.partnerId,
        type: "menu.changed",
        orderId: null,
        payload: { entity: "option", action: available ? "updated" : "sold-out", id: target.id },
      });
    }
    return { kind: target.kind, id: target.id, available, availableAgainAt };
  });
}

/** Brings back everything whose "until the end of the day" has passed; returns what this call restored. */
export async function restoreDue86({ db, now = new Date() }: { db: Db; now?: Date }): Promise<{ kind: "food" | "option"; id: string }[]> {
  const at = now.toISOString();
  const restored: { kind: "food" | "option"; id: string }[] = [];
  for (const kind of ["food", "option"] as const) {
    const table = kind === "food" ? "foods" : "modifierOptions";
    const due = await db
      .selectFrom(table)
      .select(["id", "availableAgainAt"])
      .where("available", "=", 0)
      .where("availableAgainAt", "is not", null)
      .where("availableAgainAt", "<=", at)
      .limit(500)
      .execute();
    for (const { id, availableAgainAt } of due) {
      const won = await mutate(db, async (trx, emit) => {
        const result = await trx
          .updateTable(table)
          .set({ available: 1, availableAgainAt: null, updatedAt: at })
          .where("id", "=", id)
          .where("available", "=", 0)
          .where("availableAgainAt", "=", availableAgainAt)
          .executeTakeFirst();
        if (Number(result.numUpdatedRows) !== 1) return false; // another node, or someone turned it back by hand
        if (kind === "food") {
          const food = (await trx.selectFrom("foods").selectAll().where("id", "=", id).executeTakeFirstOrThrow())!;
          const links = await trx.selectFrom("foodModifierGroups").select("groupId").where("foodId", "=", id).orderBy("position").execute();
          const dto = toFoodDto(
            food,
            links.map((l) => l.groupId),
          );
          await emit({
            version: EVENT_PAYLOAD_VERSION,
            partnerId: food.partnerId,
            type: "food.updated",
            orderId: null,
            payload: { food: dto, changed: { available: true, availableAgainAt: null }, restored: true },
          });
        } else {
          const option = (await trx.selectFrom("modifierOptions").select("partnerId").where("id", "=", id).executeTakeFirstOrThrow())!;
          await emit({
            version: EVENT_PAYLOAD_VERSION,
            partnerId: option.partnerId,
            type: "menu.changed",
            orderId: null,
            payload: { entity: "option", action: "restored", id },
          });
        }
        return true;
      });
      if (won) restored.push({ kind, id });
    }
  }
  return restored;
}
