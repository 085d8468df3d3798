import { describe, expect, it } from "vitest";
import { StoredPosition } from "./live-stream";

describe("StoredPosition (readers without a snapshot)", () => {
  it("starts from now, takes the top from connected, then each id except replay-start's", () => {
    const p = new StoredPosition(`/test/${Math.random()}`);
    expect(p.get()).toEqual({ lastEventId: null, epoch: null });
    p.record({ id: null, event: "connected", data: { epoch: "e1", lastEventId: 40 } });
    expect(p.get()).toEqual({ lastEventId: 40, epoch: "e1" });
    p.record({ id: 30, event: "replay-start", data: {} });
    expect(p.get().lastEventId).toBe(40);
    p.record({ id: 41, event: "order.created", data: {} });
    p.record({ id: 45, event: "replay-complete", data: {} });
    expect(p.get()).toEqual({ lastEventId: 45, epoch: "e1" });
    // A later connected keeps the position (it resumes from there) and names the epoch.
    p.record({ id: null, event: "connected", data: { epoch: "e1", lastEventId: 50 } });
    expect(p.get().lastEventId).toBe(45);
  });

  it("replay-failed drops the position; the next connected gives a fresh one", () => {
    const p = new StoredPosition(`/test/${Math.random()}`);
    p.set({ lastEventId: 5, epoch: "old" });
    p.record({ id: null, event: "replay-failed", data: { reason: "EPOCH_CHANGED" } });
    expect(p.get().lastEventId).toBeNull();
    p.record({ id: null, event: "connected", data: { epoch: "new", lastEventId: 3 } });
    expect(p.get()).toEqual({ lastEventId: 3, epoch: "new" });
  });
});
