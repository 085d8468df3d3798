// The baseline: the smallest correct SSE broadcaster on node:http. GET /events streams,
// POST /publish stamps the body with an id and createdAt and writes one frame to every client.
import http from "node:http";

const clients = new Set();
let seq = 0;
const server = http.createServer((req, res) => {
  if (req.method === "GET" && req.url.startsWith("/events")) {
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache, no-transform" });
    res.write(":\n\n");
    clients.add(res);
    req.on("close", () => clients.delete(res));
    return;
  }
  if (req.method === "POST" && req.url === "/publish") {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const id = ++seq;
      const payload = { id, createdAt: new Date().toISOString(), ...JSON.parse(body) };
      const frame = Buffer.from(`id: ${id}\nevent: new-order\ndata: ${JSON.stringify(payload)}\n\n`);
      for (const c of clients) c.write(frame);
      res.writeHead(201, { "content-type": "application/json" });
      res.end(JSON.stringify({ id }));
    });
    return;
  }
  if (req.url === "/health") {
    res.end("ok");
    return;
  }
  res.writeHead(404).end();
});
server.listen(Number(process.env.PORT), "127.0.0.1", () => console.log("ready"));
process.on("SIGTERM", () => process.exit(0));
