import type { DomainEvent } from "../orders/events";
import type { Projected } from "./types";

/**
 * The guests' menu channel (`GET /api/events/menu?partner=SLUG`, anonymous): one
 * `menu-changed` frame per menu event of the partner, telling the customer page what changed so
 * it refetches `GET /api/menu`. Only what that public menu already shows: a food's public
 * fields, never its station or prep target, never an order.
 */
export type MenuFrame = {
  type: "food.created" | "food.updated" | "food.archived" | "menu.changed";
  entity: "station" | "category" | "food" | "group" | "option";
  /** null for a reorder of a whole list. */
  id: string | null;
  /** `menu.changed`: what happened (created, updated, archived, reordered, sold-out, restored). */
  action?: string;
  /** food.created and food.updated: the dish as the public menu shows it. */
  food?: Record<string, unknown>;
};

/** The fields of a food that GET /api/menu shows a guest. */
const PUBLIC_FOOD_FIELDS = [
  "id",
  "name",
  "price",
  "surcharge",
  "category",
  "categoryId",
  "description",
  "imageUrl",
  "allergens",
  "available",
  "availableAgainAt",
  "position",
  "modifierGroupIds",
] as const;

export function menu(event: DomainEvent): Projected {
  if (event.type === "food.created" || event.type === "food.updated" || event.type === "food.archived") {
    const food = event.payload.food as Record<string, unknown>;
    const data: MenuFrame = { type: event.type, entity: "food", id: String(food.id) };
    if (event.type !== "food.archived") {
      data.food = Object.fromEntries(PUBLIC_FOOD_FIELDS.filter((k) => food[k] !== undefined).map((k) => [k, food[k]]));
    }
    return { event: "menu-changed", data };
  }
  if (event.type === "menu.changed") {
    const { entity, action, id } = event.payload;
    const data: MenuFrame = { type: event.type, entity, id, action };
    return { event: "menu-changed", data };
  }
  return null;
}
