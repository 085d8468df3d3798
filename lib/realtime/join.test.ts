import { describe, expect, it } from "vitest";
import { planJoin, type JoinFacts } from "./join";

/** The planner alone: every case of docs/contracts.md "Recovery", from facts. */
describe("planJoin", () => {
  const facts = (f: Partial<JoinFacts>): JoinFacts => ({ from: 10, epochChanged: false, top: 20, logTop: 20, prunedThrough: 5, ...f });

  it.each([
    ["no position", { from: null }, { kind: "live" }],
    ["middle", { from: 10 }, { kind: "replay", after: 10, upto: 20 }],
    ["equal to top", { from: 20 }, { kind: "replay", after: 20, upto: 20 }],
    ["at the pruning mark (nothing missing)", { from: 5 }, { kind: "replay", after: 5, upto: 20 }],
    ["ahead of this node, known to the log", { from: 25, logTop: 30 }, { kind: "skip", to: 25 }],
    ["never issued", { from: 31, logTop: 30 }, { kind: "failed", reason: "EVENT_ID_UNKNOWN", oldestAvailable: 6 }],
    ["pruned", { from: 4 }, { kind: "failed", reason: "EVENT_ID_EXPIRED", oldestAvailable: 6 }],
    ["other epoch", { from: 10, epochChanged: true }, { kind: "failed", reason: "EPOCH_CHANGED", oldestAvailable: 6 }],
    ["other epoch wins over ahead", { from: 99, epochChanged: true }, { kind: "failed", reason: "EPOCH_CHANGED", oldestAvailable: 6 }],
  ] as const)("%s", (_name, f, plan) => {
    expect(planJoin(facts(f))).toEqual(plan);
  });
});
