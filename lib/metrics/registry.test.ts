/** The registry's exposition: what the hub holds is read at scrape time; labels are patterns and names, never URLs. */
import { expect, it } from "vitest";
import { createMetrics } from "./registry";

it("renders the hub's streams and deliveries per channel, replays, drops and outcomes in Prometheus text", async () => {
  const deliveries = new Map([
    ["cashier", 7],
    ["pass:kitchen", 3],
  ]);
  const stats = { delivered: 5, repaired: 2 };
  const m = createMetrics({
    hub: () => ({
      streamsOpen: () => [
        ["cashier", 2],
        ["ws", 1],
      ],
      deliveries: () => deliveries,
      stats: () => stats,
    }),
  });
  m.http("/api/orders/[id]/confirm", "POST", 200, 0.004);
  m.replay("cashier", 42);
  m.slowConsumer("sse");
  m.job("auto-confirm", "done");
  m.print("printed");
  m.notification("webhook", "error");
  const { contentType, body } = await m.render();
  expect(contentType).toContain("text/plain");
  expect(body).toMatch(/^pass_streams_open\{channel="cashier"\} 2$/m);
  expect(body).toMatch(/^pass_streams_open\{channel="ws"\} 1$/m);
  expect(body).toMatch(/^pass_deliveries_total\{channel="pass:kitchen"\} 3$/m);
  expect(body).toMatch(/^pass_events_delivered_total 5$/m);
  expect(body).toMatch(/^pass_log_repairs_total 2$/m);
  expect(body).toMatch(/^pass_replay_events_bucket\{le="50",channel="cashier"\} 1$/m);
  expect(body).toMatch(/^pass_replay_events_bucket\{le="10",channel="cashier"\} 0$/m);
  expect(body).toMatch(/^pass_slow_consumer_disconnects_total\{transport="sse"\} 1$/m);
  expect(body).toMatch(/^pass_job_attempts_total\{task="auto-confirm",outcome="done"\} 1$/m);
  expect(body).toMatch(/^pass_print_jobs_total\{outcome="printed"\} 1$/m);
  expect(body).toMatch(/^pass_notifications_total\{channel="webhook",outcome="error"\} 1$/m);
  expect(body).toMatch(
    /^pass_http_request_duration_seconds_bucket\{le="0.005",route="\/api\/orders\/\[id\]\/confirm",method="POST",status="200"\} 1$/m,
  );

  // Read again at the next scrape: the counters follow the hub, they are not added twice.
  deliveries.set("cashier", 9);
  stats.repaired = 3;
  const again = (await m.render()).body;
  expect(again).toMatch(/^pass_deliveries_total\{channel="cashier"\} 9$/m);
  expect(again).toMatch(/^pass_log_repairs_total 3$/m);
});
