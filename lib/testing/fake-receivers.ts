/**
 * Loopback HTTP servers standing in for the world Pass notifies (issue "Jobs and notifications"):
 * a partner's webhook receiver, a generic SMS gateway and a Web Push service. Each records what
 * it received; the webhook receiver checks the signature as a real receiver would.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { verifyWebhook } from "../notifications/webhooks";

export type Received = { path: string; headers: http.IncomingHttpHeaders; body: Buffer; at: number };

export type FakeServer = {
  url: string;
  received: Received[];
  /** What the next requests are answered (one status per request; afterwards 200/201). */
  answer(statuses: number[]): void;
  close(): Promise<void>;
};

async function startRecorder(defaultStatus: number, respond?: (r: Received) => void): Promise<FakeServer> {
  const received: Received[] = [];
  let queue: number[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const r = { path: req.url ?? "/", headers: req.headers, body: Buffer.concat(chunks), at: Date.now() };
      received.push(r);
      respond?.(r);
      res.writeHead(queue.shift() ?? defaultStatus, { "content-type": "text/plain" }).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    answer(statuses) {
      queue = [...statuses];
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A partner's receiver: `hook.validSignatures` counts requests whose X-Pass-Signature checks out with `hook.secret`. */
export type FakeWebhookReceiver = FakeServer & { hook: { secret: string | null; validSignatures: number; deliveryIds: string[] } };

export async function startFakeWebhookReceiver(): Promise<FakeWebhookReceiver> {
  const hook = { secret: null as string | null, validSignatures: 0, deliveryIds: [] as string[] };
  const server = await startRecorder(200, (r) => {
    const ok =
      hook.secret !== null &&
      verifyWebhook({
        secret: hook.secret,
        timestamp: r.headers["x-pass-timestamp"] as string | undefined,
        body: r.body.toString("utf8"),
        signature: r.headers["x-pass-signature"] as string | undefined,
      });
    if (ok) hook.validSignatures++;
    hook.deliveryIds.push(String(r.headers["x-pass-delivery"]));
  });
  return { ...server, hook };
}

/** The generic HTTP SMS gateway (lib/notifications/sms.ts): JSON `{ to, text, reference }`, bearer token. */
export async function startFakeSmsGateway(): Promise<FakeServer> {
  return startRecorder(202);
}

/** A push service (RFC 8030): answers 201 Created, as FCM / Mozilla autopush do. */
export async function startFakePushService(): Promise<FakeServer> {
  return startRecorder(201);
}
