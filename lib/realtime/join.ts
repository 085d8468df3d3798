import "server-only";
import type { Hub } from "./hub";

/**
 * Join and recovery, the one module every transport uses (docs/architecture.md, "Join and
 * recovery"; the wire side in docs/contracts.md, "Recovery"): `planJoin` decides from facts
 * alone, `join` gathers the facts, writes through the transport's control frames, replays and
 * goes live. SSE channels, /v1/orders/live and each /ws topic give the same answer for the same
 * position.
 */

export type ReplayFailure = "EPOCH_CHANGED" | "EVENT_ID_UNKNOWN" | "EVENT_ID_EXPIRED";

export type JoinFacts = {
  /** The client's position (Last-Event-ID, offset, or the start of a time window); null = from now. */
  from: number | null;
  /** The client named an epoch and it is not this log's. */
  epochChanged: boolean;
  /** The newest id this node has delivered (live frames above it will follow). */
  top: number;
  /** The log's newest id; only consulted when `from` is ahead of `top`. */
  logTop: number;
  /** The highest id pruning removed in the client's scope. */
  prunedThrough: number;
};

export type JoinPlan =
  /** No position: live from now. */
  | { kind: "live" }
  /** Ahead of this node but issued by the log (another node delivered it): live, skipping up to `to`. */
  | { kind: "skip"; to: number }
  /** Replay (after, upto], then live. after = upto is a replay of nothing. */
  | { kind: "replay"; after: number; upto: number }
  /** The range cannot be replayed: the client must reload its snapshot; then live from now. */
  | { kind: "failed"; reason: ReplayFailure; oldestAvailable: number };

export function planJoin(f: JoinFacts): JoinPlan {
  if (f.from === null) return { kind: "live" };
  const oldestAvailable = f.prunedThrough + 1;
  // The log was reset since the client's id was issued: its ids mean nothing now.
  if (f.epochChanged) return { kind: "failed", reason: "EPOCH_CHANGED", oldestAvailable };
  if (f.from > f.top) {
    return f.from <= f.logTop ? { kind: "skip", to: f.from } : { kind: "failed", reason: "EVENT_ID_UNKNOWN", oldestAvailable };
  }
  if (f.from < f.prunedThrough) return { kind: "failed", reason: "EVENT_ID_EXPIRED", oldestAvailable };
  return { kind: "replay", after: f.from, upto: f.top };
}

/** A stream being joined: the hub already queues its live frames until `goLive`. */
export interface JoinTarget {
  /** Frames at or below this id are never written again. */
  lastSentId: number;
  readonly closed: boolean;
  writeEvent(id: number, frame: Buffer): void;
  /** Ends the join: queued live frames above `lastSentId` go out in order. */
  goLive(): void;
}

/** How a transport says what happened (SSE frames, /ws messages). */
export type JoinControl = {
  connected(top: number, extra?: { replayUnavailable: true }): void;
  replayStart?(count: number, from: number): void;
  replayComplete?(replayed: number, top: number): void;
  replayFailed(failure: { reason: ReplayFailure; oldestAvailable: number; requestedId: number | null }): void;
};

export type Replay = (afterId: number, uptoId: number) => Promise<{ count: number; frames: AsyncIterable<{ id: number; frame: Buffer }> }>;

/**
 * The join order (no gap, no duplicate): the caller has subscribed `target` to the hub (live
 * frames wait in its queue); note the hub's top, plan, answer, replay (from, top], go live.
 */
export async function join({
  hub,
  target,
  partnerId,
  from,
  epochChanged = false,
  control,
  replay,
}: {
  hub: Hub;
  target: JoinTarget;
  partnerId: string | null;
  from: number | null;
  epochChanged?: boolean;
  control: JoinControl;
  replay: Replay;
}): Promise<JoinPlan> {
  const top = hub.lastId;
  target.lastSentId = top;
  const plan =
    from === null
      ? planJoin({ from, epochChanged, top, logTop: top, prunedThrough: 0 })
      : planJoin({
          from,
          epochChanged,
          top,
          logTop: from > top ? await hub.logTop() : top,
          prunedThrough: await hub.prunedThrough(partnerId),
        });
  switch (plan.kind) {
    case "live":
      control.connected(top);
      break;
    case "skip":
      target.lastSentId = plan.to;
      control.connected(top);
      break;
    case "failed":
      control.replayFailed({ reason: plan.reason, oldestAvailable: plan.oldestAvailable, requestedId: from });
      control.connected(top, { replayUnavailable: true });
      break;
    case "replay": {
      control.connected(top);
      const { count, frames } = await replay(plan.after, plan.upto);
      control.replayStart?.(count, plan.after);
      target.lastSentId = plan.after;
      let replayed = 0;
      for await (const { id, frame } of frames) {
        if (target.closed) return plan;
        target.writeEvent(id, frame);
        replayed++;
      }
      target.lastSentId = Math.max(target.lastSentId, plan.upto);
      control.replayComplete?.(replayed, plan.upto);
      break;
    }
  }
  if (!target.closed) target.goLive();
  return plan;
}
