// A client that loops `unsubscribe` / `subscribe {offset}` on /ws from N sockets for a while
// (the replay-amplification attack), in a process of its own so that its parsing does not load
// the server's event loop. Prints one JSON line of counts and exits by itself.
import WebSocket from "ws";

const [url, cookie, offset, sockets = "10", seconds = "4"] = process.argv.slice(2);
const until = Date.now() + Number(seconds) * 1000;
const totals = { replayFailed: 0, subscribed: 0, events: 0 };

async function loop() {
  const ws = new WebSocket(url, { headers: { cookie } });
  let subscribed = 0;
  ws.on("message", (d) => {
    const m = JSON.parse(d.toString());
    if (m.type === "replay-failed") totals.replayFailed++;
    if (m.type === "subscribed") {
      totals.subscribed++;
      subscribed++;
    }
    if (m.event) totals.events++;
  });
  await new Promise((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
  });
  while (Date.now() < until && ws.readyState === ws.OPEN) {
    const before = subscribed;
    ws.send(JSON.stringify({ type: "unsubscribe", channel: "order_changes" }));
    ws.send(JSON.stringify({ type: "subscribe", channel: "order_changes", offset: Number(offset) }));
    while (subscribed === before && Date.now() < until + 5000) await new Promise((r) => setTimeout(r, 2));
  }
  ws.close();
}

await Promise.all(Array.from({ length: Number(sockets) }, loop));
console.log(JSON.stringify(totals));
process.exit(0);
