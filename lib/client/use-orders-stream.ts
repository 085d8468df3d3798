"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef } from "react";
import type { Channel } from "../auth/access";
import type { OrderDto } from "../orders/dto";
import { menuKeys } from "./menu-query";
import { applyOrderEvents, menuEventOf, orderEventOf, type MenuEvent, type OrderEvent, type StreamFrame } from "./order-events";
import { ordersQuery, type OrdersFilter } from "./orders-query";
import { useEventStream } from "./use-event-stream";

/** The URL Pass's own screens read a channel at: every frame carries the whole order. */
export const passStreamUrl = (channel: Channel) => `/api/events/${channel}?view=pass`;

/**
 * An order screen's data: the list snapshot (react-query) kept current by the channel's Pass
 * events through applyOrderEvent, resumed from the snapshot's own position (./order-events.ts).
 * `onOrderEvent` runs once per event the list did not hold yet, with the order as it was
 * before: screens derive their sounds, alerts and toasts from it. A `menu.changed` frame (a dish
 * 86'd or back, a menu edit) refetches every menu query of the page, then `onMenuEvent` runs.
 *
 * Frames are applied in bursts: the ones one network read delivers (a replay brings thousands)
 * are queued and applied together in a microtask (applyOrderEvents): one copy of the list and
 * one cache update per read instead of per frame, and no delay for a lone live event.
 */
export function useOrdersStream({
  channel,
  filter,
  onOrderEvent,
  onMenuEvent,
}: {
  channel: Channel;
  filter: OrdersFilter;
  onOrderEvent?(event: OrderEvent, before: OrderDto | undefined): void;
  onMenuEvent?(event: MenuEvent): void;
}) {
  const queryClient = useQueryClient();
  const query = ordersQuery(filter);
  const snapshot = useQuery(query);
  const react = useRef(onOrderEvent);
  react.current = onOrderEvent;
  const reactMenu = useRef(onMenuEvent);
  reactMenu.current = onMenuEvent;

  const pending = useRef<StreamFrame[]>([]);
  const flush = () => {
    const frames = pending.current;
    pending.current = [];
    const before = queryClient.getQueryData(query.queryKey);
    if (!before || frames.length === 0) return;
    const { snapshot: after, applied } = applyOrderEvents(before, frames);
    if (after === before) return;
    queryClient.setQueryData(query.queryKey, after);
    let menuChanged = false;
    for (const { frame, before: was } of applied) {
      const menu = menuEventOf(frame);
      if (menu) {
        if (!menuChanged) void queryClient.invalidateQueries({ queryKey: menuKeys.all });
        menuChanged = true;
        reactMenu.current?.(menu);
        continue;
      }
      const event = orderEventOf(frame);
      if (event) react.current?.(event, was);
    }
  };

  const flushLatest = useRef(flush);
  flushLatest.current = flush;

  const state = useEventStream({
    url: passStreamUrl(channel),
    position: snapshot.data
      ? () => {
          const s = queryClient.getQueryData(query.queryKey);
          return { lastEventId: s?.lastEventId ?? null, epoch: s?.epoch ?? null };
        }
      : undefined,
    onEvent: (frame) => {
      const queue = pending.current;
      queue.push(frame);
      if (queue.length === 1) queueMicrotask(() => flushLatest.current());
    },
    // Resolves once the list is reloaded; events wait until then.
    onReset: () => queryClient.invalidateQueries({ queryKey: query.queryKey }),
  });

  return { snapshot, state, lastEventId: snapshot.data?.lastEventId ?? null };
}
