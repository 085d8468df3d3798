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

describe("LiveStream against a busy node", () => {
  it("waits out a 503's Retry-After (jittered) instead of its 0.5–1 s first backoff", async () => {
    const http = await import("node:http");
    const { LiveStream } = await import("./live-stream");
    const attempts: number[] = [];
    const server = http.createServer((_req, res) => {
      attempts.push(Date.now());
      if (attempts.length === 1) {
        res.writeHead(503, { "content-type": "application/json", "retry-after": "3" });
        res.end(JSON.stringify({ error: { code: "SERVER_BUSY", message: "busy" } }));
        return;
      }
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(`event: connected\nid: 1\ndata: {"epoch":"e","lastEventId":1}\n\n`);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as import("node:net").AddressInfo;
    const states: string[] = [];
    const stream = new LiveStream({
      url: `http://127.0.0.1:${port}/api/events/cashier`,
      handlers: { onEvent: () => undefined, onState: (s) => states.push(s.status), onReset: () => undefined },
    });
    try {
      stream.start();
      const deadline = Date.now() + 10_000;
      while (!states.includes("live") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(states).toContain("live");
      const waited = attempts[1]! - attempts[0]!;
      expect(waited).toBeGreaterThanOrEqual(2_400);
      expect(waited).toBeLessThanOrEqual(4_500);
    } finally {
      stream.stop();
      server.closeAllConnections();
      server.close();
    }
  });
});
