/**
 * The fake printer the printing tests rely on: what it decodes must be what a real ESC/POS
 * printer would print, and its status answers must follow Epson's DLE EOT bits.
 */
import net from "node:net";
import ReceiptPrinterEncoder from "@point-of-sale/receipt-printer-encoder";
import { afterEach, describe, expect, it } from "vitest";
import { EscPosParser, FakePrinter } from "./fake-printer";

const printers: FakePrinter[] = [];
afterEach(async () => {
  for (const p of printers.splice(0)) await p.close();
});
async function start(options: ConstructorParameters<typeof FakePrinter>[0] = {}) {
  const p = await new FakePrinter(options).listen();
  printers.push(p);
  return p;
}

function send(port: number, bytes: Uint8Array, { readReplies = 0 } = {}): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const replies: number[] = [];
    const socket = net.connect(port, "127.0.0.1", () => {
      socket.write(bytes, () => {
        if (readReplies === 0) socket.end();
      });
    });
    socket.on("data", (d) => {
      replies.push(...d);
      if (replies.length >= readReplies) socket.end();
    });
    socket.on("close", () => resolve(replies));
    socket.on("error", reject);
  });
}

describe("fake ESC/POS printer", () => {
  it("decodes text through the selected code page, sizes, inverse, QR and cut", () => {
    const bytes = new ReceiptPrinterEncoder({ language: "esc-pos", columns: 48, codepageMapping: "epson" })
      .initialize()
      .codepage("cp858")
      .line("Crème brûlée €5")
      .size(2, 2)
      .line("#42")
      .size(1, 1)
      .invert(true)
      .line("ALLERGY: PEANUTS")
      .invert(false)
      .qrcode("https://pass.test/track/7?code=A1")
      .cut()
      .encode();
    const [ticket, ...rest] = EscPosParser.decode(bytes);
    expect(rest).toEqual([]);
    expect(ticket!.cut).toBe(true);
    expect(ticket!.codepages).toContain(19); // Epson's PC858
    const byText = (t: string) => ticket!.lines.find((l) => l.text.trim() === t);
    expect(byText("Crème brûlée €5")).toMatchObject({ inverse: false, width: 1 });
    expect(byText("#42")).toMatchObject({ width: 2, height: 2 });
    expect(byText("ALLERGY: PEANUTS")).toMatchObject({ inverse: true });
    expect(ticket!.qr).toEqual(["https://pass.test/track/7?code=A1"]);
  });

  it("Cyrillic through PC866 matches the platform's own IBM866 decoder", () => {
    const bytes = new ReceiptPrinterEncoder({ language: "esc-pos", codepageMapping: "epson" })
      .initialize()
      .codepage("cp866")
      .line("Борщ")
      .cut()
      .encode();
    const ticket = EscPosParser.decode(bytes)[0]!;
    expect(ticket.codepages).toContain(17);
    const raw = Buffer.from(bytes);
    const start = raw.indexOf(Buffer.from([0x1b, 0x74, 17])) + 3;
    expect(new TextDecoder("ibm866").decode(raw.subarray(start, start + 4))).toBe("Борщ");
    expect(ticket.text.trim()).toBe("Борщ");
  });

  it("answers DLE EOT 1/2/4 with the configured status bits", async () => {
    const p = await start();
    const query = Buffer.from([0x10, 0x04, 1, 0x10, 0x04, 2, 0x10, 0x04, 4]);
    expect(await send(p.port, query, { readReplies: 3 })).toEqual([0x12, 0x12, 0x12]);
    p.set({ paperOut: true });
    const [s1, s2, s4] = await send(p.port, query, { readReplies: 3 });
    expect(s1! & 0x08).toBe(0x08); // offline
    expect(s2! & 0x20).toBe(0x20); // stopped by paper end
    expect(s4! & 0x60).toBe(0x60); // paper end sensor
    p.set({ paperOut: false, coverOpen: true });
    const [, c2] = await send(p.port, query, { readReplies: 3 });
    expect(c2! & 0x04).toBe(0x04);
    p.set({ coverOpen: false, paperNearEnd: true });
    const [n1, , n4] = await send(p.port, query, { readReplies: 3 });
    expect(n1! & 0x08).toBe(0); // near end still prints
    expect(n4! & 0x0c).toBe(0x0c);
  });

  it("prints nothing while out of paper; an unfinished ticket is partial", async () => {
    const p = await start();
    p.set({ paperOut: true });
    await send(p.port, new ReceiptPrinterEncoder().initialize().line("lost").cut().encode());
    expect(p.tickets).toEqual([]);
    expect(p.droppedBytes).toBeGreaterThan(0);
    p.set({ paperOut: false });
    await send(p.port, new ReceiptPrinterEncoder().initialize().line("half a ticket").encode());
    await new Promise((r) => setTimeout(r, 20));
    expect(p.tickets).toEqual([]);
    expect(p.partial.map((t) => t.text.trim())).toEqual(["half a ticket"]);
  });

  it("reads slowly at 1 byte/ms; closed, then back on the same port", async () => {
    const p = await start({ bytesPerMs: 1 });
    const bytes = new ReceiptPrinterEncoder().initialize().line("x".repeat(150)).cut().encode();
    const t0 = Date.now();
    await send(p.port, bytes);
    await p.waitForTickets(1, 5_000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(bytes.length * 0.9);
    const port = p.port;
    await p.close();
    await expect(send(port, bytes)).rejects.toThrow(/ECONNREFUSED/);
    await p.listen();
    expect(p.port).toBe(port);
    p.options.bytesPerMs = 0;
    await send(port, bytes);
    await p.waitForTickets(2, 2_000);
  });
});
