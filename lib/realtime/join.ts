import "server-only";
import type { Hub } from "./hub";

/**
 * Join and recovery, the one module every transport uses (docs/architecture.md, "Join and
 * recovery"; the wire side in docs/contracts.md, "Recovery"): `planJoin` decides from facts
 * alone, `join` gathers the facts, writes through the transport's control frames, replays and
 * goes live. SSE channels, /v1/orders/live and each /ws topic give the same answer for the same
 * position.
 */

export type ReplayFailure = "EPOCH_CHANGED" | "EVENT_ID_UNKNOWN" | "EVENT_ID_EXPIRED" | "REPLAY_TOO_LARGE" | "REPLAY_RATE_LIMITED";

export type JoinFacts = {
  /**
   * The client's position (Last-Event-ID, offset, or the start of a time window); null = from
   * now; "invalid" = something that is not a log id (`undefined`, `null`, text, negative):
   * answered as an unknown position, never as a 400 a client would retry forever.
   */
  from: number | null | "invalid";
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
  if (f.from === "invalid") return { kind: "failed", reason: "EVENT_ID_UNKNOWN", oldestAvailable };
  // The log was reset since the client's id was issued: its ids mean nothing now.
  if (f.epochChanged) return { kind: "failed", reason: "EPOCH_CHANGED", oldestAvailable };
  if (f.from > f.top) {
    return f.from <= f.logTop ? { kind: "skip", to: f.from } : { kind: "failed", reason: "EVENT_ID_UNKNOWN", oldestAvailable };
  }
  if (f.from < f.prunedThrough) return { kind: "failed", reason: "EVENT_ID_EXPIRED", oldestAvailable };
  return { kind: "replay", after: f.from, upto: f.top };
}

/** A replay larger than the bound is not served: the client reloads its snapshot instead. */
export function limitReplay(plan: JoinPlan & { kind: "replay" }, count: number, maxEvents: number, prunedThrough: number): JoinPlan {
  return count > maxEvents ? { kind: "failed", reason: "REPLAY_TOO_LARGE", oldestAvailable: prunedThrough + 1 } : plan;
}

/** A stream being joined: the hub already queues its live frames until `goLive`. */
export interface JoinTarget {
  /** Frames at or below this id are never written again; also the position control frames carry. */
  lastSentId: number;
  readonly closed: boolean;
  /** A replayed frame; resolves when the client has room for more (the replay is paced, not queued). */
  writeReplayed(id: number, frame: Buffer): Promise<void>;
  /** Ends the join: queued live frames above `lastSentId` go out in order. */
  goLive(): void;
}

/**
 * How a transport says what happened (SSE frames, /ws messages). Each is called with the
 * target's `lastSentId` already at the position the frame stands for, so a client that stores
 * every frame's id keeps its place.
 */
export type JoinControl = {
  connected(top: number, extra?: { replayUnavailable: true }): void;
  replayStart?(count: number, from: number): void;
  replayComplete?(replayed: number, top: number): void;
  replayFailed(failure: { reason: ReplayFailure; oldestAvailable: number; requestedId: number | string | null }): void;
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
  requested = null,
  budgetKey = null,
  epochChanged = false,
  control,
  replay,
}: {
  hub: Hub;
  target: JoinTarget;
  partnerId: string | null;
  from: number | null | "invalid";
  /** What the client sent, for `requestedId` when it was not a log id. */
  requested?: string | null;
  /** Whose replay budget pays (a credential or principal id); null = not budgeted. */
  budgetKey?: string | null;
  epochChanged?: boolean;
  control: JoinControl;
  replay: Replay;
}): Promise<JoinPlan> {
  const top = hub.lastId;
  target.lastSentId = top;
  const prunedThrough = from === null ? 0 : await hub.prunedThrough(partnerId);
  let plan = planJoin({
    from,
    epochChanged,
    top,
    logTop: typeof from === "number" && from > top ? await hub.logTop() : top,
    prunedThrough,
  });
  // A principal that spent its replay budget is refused before any query or wait.
  if (plan.kind === "replay" && plan.upto > plan.after && budgetKey !== null && !hub.hasReplayBudget(budgetKey)) {
    plan = { kind: "failed", reason: "REPLAY_RATE_LIMITED", oldestAvailable: prunedThrough + 1 };
  }
  // A replay holds one of the node's replay slots from its count to its last frame.
  const release = plan.kind === "replay" && plan.upto > plan.after ? await hub.replaySlot() : () => undefined;
  try {
    let replayed: Awaited<ReturnType<Replay>> | null = null;
    if (plan.kind === "replay" && plan.upto === plan.after) {
      // Nothing was missed (a client back at the top, as after most restarts): no read at all.
      replayed = { count: 0, frames: nothing() };
    } else if (plan.kind === "replay") {
      replayed = await replay(plan.after, plan.upto);
      plan = limitReplay(plan, replayed.count, hub.maxReplayEvents, prunedThrough);
      if (plan.kind === "replay" && budgetKey !== null && replayed.count > 0 && !hub.chargeReplay(budgetKey, replayed.count)) {
        plan = { kind: "failed", reason: "REPLAY_RATE_LIMITED", oldestAvailable: prunedThrough + 1 };
      }
    }
    switch (plan.kind) {
      case "live":
        control.connected(top);
        break;
      case "skip":
        target.lastSentId = plan.to;
        control.connected(top);
        break;
      case "failed":
        // Live from here; the client reloads its snapshot. Both frames stand at `top`.
        control.replayFailed({
          reason: plan.reason,
          oldestAvailable: plan.oldestAvailable,
          requestedId: from === "invalid" ? requested : from,
        });
        control.connected(top, { replayUnavailable: true });
        break;
      case "replay": {
        const { count, frames } = replayed!;
        target.lastSentId = plan.after;
        control.connected(top);
        control.replayStart?.(count, plan.after);
        let sent = 0;
        for await (const { id, frame } of frames) {
          if (target.closed) return plan;
          await target.writeReplayed(id, frame);
          sent++;
        }
        if (target.closed) return plan;
        target.lastSentId = Math.max(target.lastSentId, plan.upto);
        control.replayComplete?.(sent, plan.upto);
        break;
      }
    }
  } finally {
    release();
  }
  if (!target.closed) target.goLive();
  return plan;
}

async function* nothing(): AsyncIterable<{ id: number; frame: Buffer }> {}
