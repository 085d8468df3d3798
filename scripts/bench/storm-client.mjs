// Storm client (child process of storm.mjs): N SSE connections that reconnect the way an
// EventSource does — after the last `retry:` the server sent, with `Last-Event-ID` — and, like
// Pass's own LiveStream, wait out a 503's `Retry-After` instead of giving up. Records per
// connection when it was last live and when each order first arrived.
// IPC: "ready" once all are connected; {cmd:"mark"} notes the restart; {cmd:"status", expected}
// answers how many are live / complete; {cmd:"report", expected, from} answers the figures.
import http from "node:http";

const { url, n, tokens, concurrency } = JSON.parse(process.argv[2]);
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
const ORDER_ID = /"id":(\d+)/;
let markAt = 0;
let stopped = false;
const statuses = {};
let refused = 0;

const clients = Array.from({ length: n }, (_, i) => ({
  i,
  token: tokens[i % tokens.length],
  lastId: null,
  retry: 1000,
  live: false,
  liveAt: 0,
  firstSeen: new Map(), // order id -> ms
  dup: 0,
}));

function connect(c) {
  return new Promise((resolve) => {
    let settled = false;
    const done = () => {
      if (!settled) {
        settled = true;
        resolve();
      }
    };
    c.askedAt = Date.now();
    const headers = { accept: "text/event-stream", authorization: `Bearer ${c.token}` };
    if (c.lastId !== null) headers["last-event-id"] = String(c.lastId);
    const req = http.get(url, { agent, headers }, (res) => {
      statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
      if (res.statusCode !== 200) {
        const after = Number(res.headers["retry-after"]);
        res.resume();
        res.on("end", () => again(c, res.statusCode === 503 && after > 0 ? after * 1000 : c.retry));
        return done();
      }
      res.setEncoding("utf8");
      let buffer = "";
      res.on("data", (chunk) => {
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf("\n\n")) !== -1) {
          frame(c, buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      });
      res.on("close", () => {
        c.live = false;
        again(c, c.retry);
      });
      done();
    });
    req.on("error", (err) => {
      if (err.code === "ECONNREFUSED") refused++;
      c.live = false;
      again(c, c.retry);
      done();
    });
  });
}

function frame(c, text) {
  let event = "message";
  let data = "";
  for (const line of text.split("\n")) {
    if (line.startsWith("id: ")) c.lastId = line.slice(4);
    else if (line.startsWith("retry: ")) c.retry = Number(line.slice(7));
    else if (line.startsWith("event: ")) event = line.slice(7);
    else if (line.startsWith("data: ")) data += line.slice(6);
  }
  if (event === "connected") {
    c.live = true;
    c.liveAt = Date.now();
    c.waitedMs = c.liveAt - c.askedAt;
  } else if (event === "new-order") {
    const id = ORDER_ID.exec(data)?.[1];
    if (!id) return;
    if (c.firstSeen.has(id)) c.dup++;
    else c.firstSeen.set(id, Date.now());
  }
}

function again(c, ms) {
  if (stopped || c.waiting) return;
  c.waiting = true;
  setTimeout(() => {
    c.waiting = false;
    void connect(c);
  }, ms);
}

let next = 0;
await Promise.all(
  Array.from({ length: Math.min(concurrency, n) }, async () => {
    while (next < n) await connect(clients[next++]);
  }),
);
process.send({ type: "ready" });

const complete = (c, expected) => expected.every((id) => c.firstSeen.has(id));
const q = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : null);

process.on("message", (msg) => {
  if (msg.cmd === "mark") {
    markAt = Date.now();
    process.send({ type: "mark" });
  }
  if (msg.cmd === "status") {
    const expected = msg.expected.map(String);
    let live = 0;
    let done = 0;
    for (const c of clients) {
      if (c.live && (!markAt || c.liveAt >= markAt)) live++;
      if (complete(c, expected)) done++;
    }
    process.send({ type: "status", live, complete: done });
  }
  if (msg.cmd === "report") {
    stopped = true;
    const expected = msg.expected.map(String);
    const liveMs = [];
    const waited = clients.map((c) => c.waitedMs ?? 0).sort((a, b) => a - b);
    const completeMs = [];
    let lost = 0;
    let dup = 0;
    for (const c of clients) {
      liveMs.push(c.liveAt >= markAt ? c.liveAt - msg.from : Number.POSITIVE_INFINITY);
      let last = 0;
      for (const id of expected) {
        const at = c.firstSeen.get(id);
        if (at === undefined) lost++;
        else last = Math.max(last, at);
      }
      completeMs.push(last - msg.from);
      dup += c.dup;
    }
    liveMs.sort((a, b) => a - b);
    completeMs.sort((a, b) => a - b);
    const cpu = process.cpuUsage();
    process.send({
      type: "report",
      live: { p50: q(liveMs, 0.5), p99: q(liveMs, 0.99), max: liveMs.at(-1) },
      complete: { p50: q(completeMs, 0.5), p99: q(completeMs, 0.99), max: completeMs.at(-1) },
      lost,
      dup,
      statuses,
      refused,
      clientCpuS: (cpu.user + cpu.system) / 1e6,
      // Request sent → `connected`, for each client's last connect.
      waited: { p50: q(waited, 0.5), p99: q(waited, 0.99), max: waited.at(-1) },
    });
    setTimeout(() => process.exit(0), 50);
  }
});
