/**
 * Fake printers in a process of their own for `npm run bench:printer` (a real printer is another
 * device: it must not share Pass's event loop). Starts one FakePrinter per name given, tells the
 * parent their ports, then every ticket it prints (text, first byte and cut times).
 */
import { FakePrinter } from "../../lib/testing/fake-printer";

async function main() {
  const names = process.argv.slice(2);
  const ports: Record<string, number> = {};
  for (const name of names) {
    const printer = await new FakePrinter().listen();
    ports[name] = printer.port;
    const tickets = printer.tickets;
    const push = tickets.push.bind(tickets);
    tickets.push = (...items) => {
      for (const t of items)
        process.send!({ kind: "ticket", printer: name, text: t.text, firstByteAt: t.firstByteAt, receivedAt: t.receivedAt });
      return push(...items);
    };
  }
  process.send!({ kind: "ports", ports });
  process.on("disconnect", () => process.exit(0));
}

void main();
