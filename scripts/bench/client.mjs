// Bench client (child process): opens N SSE connections and records, per connection, the
// delivery latency of every event (arrival − the payload's createdAt) and which ids arrived.
// Talks to the orchestrator over IPC: "ready" when connected; on {cmd:"reset"} forgets the
// warm-up; on {cmd:"report", expected} answers with the figures and exits.
import http from "node:http";

const { url, n, headers, concurrency } = JSON.parse(process.argv[2]);
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
const latencies = [];
const seen = []; // per connection: Map id -> count
let failed = 0;
let disconnects = 0;

const ID = /"id":(\d+)/;
const CREATED = /"createdAt":"([^"]+)"/;

function open(index) {
  return new Promise((resolve) => {
    const counts = new Map();
    seen[index] = counts;
    const req = http.get(url, { agent, headers: { accept: "text/event-stream", ...headers } }, (res) => {
      if (res.statusCode !== 200) {
        failed++;
        res.resume();
        return resolve();
      }
      let buffer = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => {
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf("\n\n")) !== -1) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const dataAt = frame.indexOf("data: ");
          if (dataAt === -1) continue;
          const data = frame.slice(dataAt + 6);
          const created = CREATED.exec(data);
          const id = ID.exec(data);
          if (!created || !id || frame.includes("event: connected")) continue;
          latencies.push(Date.now() - Date.parse(created[1]));
          counts.set(id[1], (counts.get(id[1]) ?? 0) + 1);
        }
      });
      res.on("close", () => disconnects++);
      resolve();
    });
    req.on("error", () => {
      failed++;
      resolve();
    });
  });
}

let next = 0;
await Promise.all(
  Array.from({ length: Math.min(concurrency, n) }, async () => {
    while (next < n) await open(next++);
  }),
);
process.send({ type: "ready", failed });

process.on("message", (msg) => {
  if (msg.cmd === "reset") {
    latencies.length = 0;
    for (const m of seen) m?.clear();
    process.send({ type: "reset" });
  }
  if (msg.cmd === "report") {
    const expected = msg.expected.map(String);
    let lost = 0;
    let dup = 0;
    for (const counts of seen) {
      if (!counts) continue;
      for (const id of expected) {
        const c = counts.get(id) ?? 0;
        if (c === 0) lost++;
        else if (c > 1) dup += c - 1;
      }
    }
    latencies.sort((a, b) => a - b);
    const q = (p) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] : null);
    const cpu = process.cpuUsage();
    process.send({
      type: "report",
      received: latencies.length,
      lost: lost + failed * expected.length,
      dup,
      failed,
      disconnects,
      p50: q(0.5),
      p99: q(0.99),
      max: latencies.at(-1) ?? null,
      clientCpuS: (cpu.user + cpu.system) / 1e6,
    });
    setTimeout(() => process.exit(0), 50);
  }
});
