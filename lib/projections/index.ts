import type { Channel } from "../auth/access";
import type { EventType, LoggedEvent } from "../events/log";
import { upgradeEvent } from "../orders/events";
import { cartView } from "./cart";
import { customer } from "./customer";
import { menu } from "./menu";
import { pass, passDisplay, passMenu, passPartner } from "./pass";
import { formatFrame } from "./sse-frame";
import { cashier, display, kitchen, partner, printer } from "./staff";
import type { Projected, ProjectionContext } from "./types";
import { renderWsLines } from "./ws";

/**
 * Every wire shape Pass sends, in one registry (docs/architecture.md, "Projections"): a channel
 * is a list of event types and a pure function from a logged event to the bytes of one frame.
 * The hub renders each event once per channel through `renderFrame` and shares those bytes with
 * every subscriber of the channel; it knows no transport and no contract by name.
 *
 * - staff channels (seeds/003 cashier/display/printer, Pass's kitchen, seeds/000 partner)
 * - `customer`: seeds/002 /v1/orders/live
 * - `cart`: a table's shared cart as its phones read it (`/v1/orders/live?view=cart`, lib/projections/cart.ts)
 * - `menu`: the guests' public menu changes (anonymous, one partner; lib/projections/menu.ts)
 * - `ws`: seeds/001 messages, as `topic<TAB>json` lines (one event may concern several topics)
 * - `pass:<channel>`: the same channel's events as Pass's own screens read them (full order)
 * - `msg:<channel>`: the seeds shapes as unnamed `data:` frames (`?format=message`), for clients
 *   written like seeds/003's example with `EventSource.onmessage`
 */
export type StreamChannel = Channel | "customer" | "cart" | "menu" | "ws" | `pass:${Channel}` | `msg:${Channel}`;

export type ChannelProjection = {
  readonly types: readonly EventType[];
  render(event: LoggedEvent, ctx: ProjectionContext): string | null;
};

const sse =
  (project: (event: ReturnType<typeof upgradeEvent>, ctx: ProjectionContext) => Projected, { named = true } = {}) =>
  (event: LoggedEvent, ctx: ProjectionContext): string | null => {
    const projected = project(upgradeEvent(event), ctx);
    if (!projected) return null;
    return formatFrame({ id: event.id, event: named ? projected.event : undefined, data: JSON.stringify(projected.data) });
  };

const TYPES = {
  cashier: [
    "order.created",
    "order.confirmed",
    "order.status",
    "order.acknowledged",
    "order.unacknowledged",
    "order.allergy-acknowledged",
    "order.station",
    "order.fired",
  ],
  display: ["order.confirmed", "order.status"],
  printer: ["order.confirmed", "order.reprinted", "order.unacknowledged"],
  kitchen: ["order.confirmed", "order.status", "order.allergy-acknowledged", "order.station", "order.fired"],
  partner: ["order.created", "order.confirmed", "order.status", "order.courier"],
} as const satisfies Record<Channel, readonly EventType[]>;

/**
 * Pass's own staff screens also follow the menu (the "Sold out" panels refetch it), so their
 * `pass:` channels add the menu events, each sent as one `menu.changed` frame (pass.ts passMenu).
 * The seeds channels and `msg:*` keep their lists; the public board has no menu to follow.
 */
const PASS_MENU_TYPES = ["food.created", "food.updated", "food.archived", "menu.changed"] as const satisfies readonly EventType[];
/**
 * Pass's own print station prints a station's slip when its lines fire (issue "Station
 * workflow" item 8, app/printer/jobs.ts), so `pass:printer` adds `order.fired`; the seeds
 * `printer` channel (and `msg:printer`) keeps printing whole orders on `confirmed-order`.
 * The cashier assigns couriers (issue "Cashier and back office"), so `pass:cashier` adds
 * `order.courier`; the seeds/003 cashier channel keeps its list.
 */
const PASS_ORDER_TYPES: Partial<Record<Channel, readonly EventType[]>> = { printer: ["order.fired"], cashier: ["order.courier"] };
/** The back office changed the restaurant (currency, locale, defaults): every staff screen re-reads it. */
const PASS_PROFILE_TYPES = ["partner.updated"] as const satisfies readonly EventType[];
const passTypes = (channel: Channel): readonly EventType[] =>
  channel === "display"
    ? TYPES[channel]
    : [...TYPES[channel], ...(PASS_ORDER_TYPES[channel] ?? []), ...PASS_PROFILE_TYPES, ...PASS_MENU_TYPES];
const passView = (channel: Channel) => {
  const orders = channel === "display" ? passDisplay : pass;
  return (event: ReturnType<typeof upgradeEvent>) => passPartner(event) ?? passMenu(event) ?? orders(event);
};

const staff: Record<Channel, (event: ReturnType<typeof upgradeEvent>, ctx: ProjectionContext) => Projected> = {
  cashier,
  display,
  printer,
  kitchen,
  partner,
};

export const PROJECTIONS: Record<StreamChannel, ChannelProjection> = {
  ...(Object.fromEntries(
    (Object.keys(TYPES) as Channel[]).flatMap((channel) => [
      [channel, { types: TYPES[channel], render: sse(staff[channel]) }],
      // The board's channel carries no cancel reasons (lib/projections/pass.ts passDisplay).
      [`pass:${channel}`, { types: passTypes(channel), render: sse(passView(channel)) }],
      [`msg:${channel}`, { types: TYPES[channel], render: sse(staff[channel], { named: false }) }],
    ]),
  ) as unknown as Record<Channel | `pass:${Channel}` | `msg:${Channel}`, ChannelProjection>),
  customer: {
    types: [
      "order.created",
      "order.confirmed",
      "order.status",
      "order.courier",
      "order.location",
      "cart.opened",
      "cart.item-added",
      "cart.item-removed",
      "cart.updated",
      "cart.expired",
    ],
    render: sse(customer),
  },
  // One cart's phones (the stream is narrowed to its order id): every cart event, and its submission.
  cart: {
    types: ["cart.opened", "cart.member", "cart.updated", "cart.expired", "order.created"],
    render: sse(cartView),
  },
  menu: {
    types: ["food.created", "food.updated", "food.archived", "menu.changed"],
    render: sse(menu),
  },
  ws: {
    types: [
      "order.created",
      "order.confirmed",
      "order.status",
      "order.courier",
      "order.location",
      "food.created",
      "food.updated",
      "food.archived",
      "customer.created",
      "customer.updated",
    ],
    render: (event, ctx) => renderWsLines(upgradeEvent(event), { currency: ctx.partner.currency }),
  },
};

/** The event types a channel shows: "how many events will a replay send" is a COUNT over them. */
export const CHANNEL_EVENT_TYPES = Object.fromEntries(Object.entries(PROJECTIONS).map(([k, v]) => [k, v.types])) as Record<
  StreamChannel,
  readonly EventType[]
>;

/** One event's frame on one channel, or null when the channel shows nothing of it. */
export function renderFrame(channel: StreamChannel, event: LoggedEvent, ctx: ProjectionContext): string | null {
  const projection = PROJECTIONS[channel];
  if (!projection.types.includes(event.type)) return null;
  return projection.render(event, ctx);
}

export { customerEventName } from "./customer";
export type { MenuFrame } from "./menu";
export { formatFrame, jsonFrame, type SseFrame } from "./sse-frame";
export type { ProjectionContext } from "./types";
export { WS_TOPICS, type WsTopic } from "./ws";
export type { PassMenuEvent, PassOrderEvent, PassPartnerEvent } from "./pass";
