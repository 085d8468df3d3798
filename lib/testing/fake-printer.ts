/**
 * A network thermal printer for tests and benches: a TCP server on loopback that speaks enough
 * ESC/POS (Epson's command set, as Epson TM, Star in ESC/POS mode and Xprinter understand it) to
 * check what Pass sends. It decodes text through the selected code page (ESC t n, Epson's table),
 * tracks inverse (GS B), bold (ESC E) and character size (GS !), records QR codes (GS ( k, function
 * 180 "store"), cuts (GS V) and drawer/buzzer pulses (ESC p), and answers the real-time status
 * query DLE EOT n (n = 1 printer, 2 offline cause, 4 paper sensor) from its configurable state:
 * offline, cover open, paper near end, paper out. While it is not ready it prints nothing (what
 * it receives is counted as dropped), as a real printer in error does.
 *
 * A ticket is what came between two cuts while the printer was ready; an unfinished ticket (no
 * cut before the connection closed) is kept apart in `partial`, never in `tickets`. `bytesPerMs`
 * makes it read slowly (a printer whose buffer is full), `close()` / `listen()` take the port
 * down and bring it back on the same number.
 */
import net from "node:net";
import CodepageEncoder, { type Codepage } from "@point-of-sale/codepage-encoder";

/** Epson's ESC t table (TM-T88 and compatibles) for the pages Pass selects. */
const EPSON_PAGES: Record<number, Codepage> = {
  0: "cp437",
  2: "cp850",
  3: "cp860",
  4: "cp863",
  5: "cp865",
  11: "cp851",
  12: "cp853",
  13: "cp857",
  14: "cp737",
  15: "iso8859-7",
  16: "windows1252",
  17: "cp866",
  18: "cp852",
  19: "cp858",
  40: "iso8859-15",
  45: "windows1250",
  46: "windows1251",
  47: "windows1253",
  48: "windows1254",
  49: "windows1255",
  50: "windows1256",
  51: "windows1257",
  52: "windows1258",
};

const tables = new Map<number, number[]>();
function glyphs(page: number): number[] {
  let table = tables.get(page);
  if (!table) {
    const name = EPSON_PAGES[page] ?? "cp437";
    table = CodepageEncoder.getCodepoints(name, true).map((c, i) => c ?? (i < 128 ? i : 0xfffd));
    tables.set(page, table);
  }
  return table;
}

export type PrinterState = {
  offline: boolean;
  coverOpen: boolean;
  paperOut: boolean;
  paperNearEnd: boolean;
};

export type PrintedLine = { text: string; inverse: boolean; bold: boolean; width: number; height: number };

export type PrintedTicket = {
  lines: PrintedLine[];
  /** The lines' text joined with \n (trailing blanks trimmed per line). */
  text: string;
  qr: string[];
  cut: boolean;
  pulses: number;
  /** Code pages selected while it printed (ESC t n). */
  codepages: number[];
  receivedAt: number;
  /** When the first byte of this ticket arrived (ms since epoch). */
  firstByteAt: number;
};

export type FakePrinterOptions = {
  port?: number;
  /** Read at most this many bytes per millisecond (0 = as fast as the socket). */
  bytesPerMs?: number;
  /** Answer DLE EOT only after this many ms (a printer that is slow to answer). */
  statusDelayMs?: number;
  /** Never answer DLE EOT (a printer that hangs). */
  mute?: boolean;
  /** Called as each ticket is cut, before anything after it is read (e.g. the roll ends on it). */
  onTicket?: (ticket: PrintedTicket) => void;
};

export class FakePrinter {
  readonly tickets: PrintedTicket[] = [];
  /** Tickets cut off by a closed connection (no cut). */
  readonly partial: PrintedTicket[] = [];
  state: PrinterState = { offline: false, coverOpen: false, paperOut: false, paperNearEnd: false };
  droppedBytes = 0;
  receivedBytes = 0;
  statusQueries = 0;
  connections = 0;
  options: FakePrinterOptions;
  #server: net.Server | null = null;
  #sockets = new Set<net.Socket>();
  #port = 0;
  #waiters: { n: number; resolve: () => void }[] = [];

  constructor(options: FakePrinterOptions = {}) {
    this.options = options;
    this.#port = options.port ?? 0;
  }

  get port(): number {
    return this.#port;
  }

  get ready(): boolean {
    const s = this.state;
    return !s.offline && !s.coverOpen && !s.paperOut;
  }

  async listen(): Promise<this> {
    if (this.#server) return this;
    const server = net.createServer((socket) => this.#serve(socket));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.#port, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
    this.#port = (server.address() as net.AddressInfo).port;
    this.#server = server;
    return this;
  }

  /** Takes the port down: open connections are reset, new ones refused. */
  async close(): Promise<void> {
    const server = this.#server;
    this.#server = null;
    for (const s of this.#sockets) s.destroy();
    this.#sockets.clear();
    if (server) await new Promise((r) => server.close(r));
  }

  set(state: Partial<PrinterState>): void {
    this.state = { ...this.state, ...state };
  }

  /** Resolves once `n` tickets have printed (or rejects after `timeoutMs`). */
  waitForTickets(n: number, timeoutMs = 5_000): Promise<void> {
    if (this.tickets.length >= n) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(
        () => reject(new Error(`fake printer: ${this.tickets.length} of ${n} tickets after ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.#waiters.push({
        n,
        resolve: () => {
          clearTimeout(t);
          resolve();
        },
      });
    });
  }

  #serve(socket: net.Socket): void {
    this.connections++;
    this.#sockets.add(socket);
    const parser = new EscPosParser({
      onStatus: (n) => this.#answerStatus(socket, n),
      onTicket: (ticket) => {
        if (ticket.cut) {
          this.tickets.push(ticket);
          this.options.onTicket?.(ticket);
          for (const w of [...this.#waiters]) {
            if (this.tickets.length >= w.n) {
              this.#waiters.splice(this.#waiters.indexOf(w), 1);
              w.resolve();
            }
          }
        } else this.partial.push(ticket);
      },
      printing: () => this.ready,
      onDropped: (n) => (this.droppedBytes += n),
    });
    const rate = this.options.bytesPerMs ?? 0;
    let queue: Buffer = Buffer.alloc(0);
    let draining = false;
    let last = 0;
    const drain = () => {
      if (draining) return;
      draining = true;
      last = performance.now();
      const step = () => {
        if (queue.length === 0) {
          draining = false;
          socket.resume();
          return;
        }
        // As many bytes as the time since the last read allows (timers fire late on a busy machine).
        const now = performance.now();
        const n = Math.max(1, Math.floor((now - last) * rate));
        last = now;
        const chunk = queue.subarray(0, n);
        queue = queue.subarray(n);
        this.receivedBytes += chunk.length;
        parser.feed(chunk);
        setTimeout(step, 1);
      };
      step();
    };
    socket.on("data", (data) => {
      if (!rate) {
        this.receivedBytes += data.length;
        parser.feed(data);
        return;
      }
      queue = Buffer.concat([queue, data]);
      // Back-pressure: the kernel buffers fill and the sender waits, as on a busy printer.
      socket.pause();
      drain();
    });
    socket.on("error", () => {});
    socket.on("close", () => {
      this.#sockets.delete(socket);
      // What reached the printer's buffer still prints; then the unfinished rest is cut off.
      const finish = () => (queue.length ? setTimeout(finish, 5) : parser.end());
      finish();
    });
  }

  #answerStatus(socket: net.Socket, n: number): void {
    this.statusQueries++;
    if (this.options.mute) return;
    const s = this.state;
    // Fixed bits: bit 1 set, bit 4 set, bit 0/7 clear (Epson "DLE EOT" transmission format).
    let byte = 0x12;
    if (n === 1 && (s.offline || s.coverOpen || s.paperOut)) byte |= 0x08;
    if (n === 2) {
      if (s.coverOpen) byte |= 0x04;
      if (s.paperOut) byte |= 0x20;
    }
    if (n === 4) {
      if (s.paperNearEnd || s.paperOut) byte |= 0x0c;
      if (s.paperOut) byte |= 0x60;
    }
    const send = () => !socket.destroyed && socket.write(Buffer.from([byte]));
    if (this.options.statusDelayMs) setTimeout(send, this.options.statusDelayMs);
    else send();
  }
}

type ParserHooks = {
  /** DLE EOT n arrived. */
  onStatus: (n: number) => void;
  onTicket: (t: PrintedTicket) => void;
  /** Whether print data is printed now (false: dropped, as by a printer in error). */
  printing: () => boolean;
  onDropped: (n: number) => void;
};

/** The decoding half, usable on its own (a byte dump in a unit test). */
export class EscPosParser {
  #buf: number[] = [];
  #page = 0;
  #inverse = false;
  #bold = false;
  #width = 1;
  #height = 1;
  #line = "";
  #lineInverse = false;
  #lineBold = false;
  #lineWidth = 1;
  #lineHeight = 1;
  #ticket: PrintedTicket | null = null;
  readonly #hooks: ParserHooks;

  constructor(hooks: Partial<ParserHooks> & Pick<ParserHooks, "onTicket">) {
    this.#hooks = { onStatus: () => {}, printing: () => true, onDropped: () => {}, ...hooks };
  }

  /** Decodes a whole dump; returns the tickets (cut or not). */
  static decode(bytes: Uint8Array): PrintedTicket[] {
    const out: PrintedTicket[] = [];
    const p = new EscPosParser({ onTicket: (t) => out.push(t) });
    p.feed(bytes);
    p.end();
    return out;
  }

  feed(chunk: Uint8Array): void {
    for (const b of chunk) this.#buf.push(b);
    this.#run();
  }

  /** The connection closed: an unfinished ticket is reported as cut off. */
  end(): void {
    this.#flushLine(false);
    if (this.#ticket && (this.#ticket.lines.some((l) => l.text.trim()) || this.#ticket.qr.length)) this.#emit(false);
    this.#ticket = null;
  }

  #current(): PrintedTicket {
    this.#ticket ??= { lines: [], text: "", qr: [], cut: false, pulses: 0, codepages: [], receivedAt: 0, firstByteAt: Date.now() };
    return this.#ticket;
  }

  #emit(cut: boolean): void {
    const t = this.#current();
    t.cut = cut;
    t.receivedAt = Date.now();
    t.text = t.lines.map((l) => l.text.trimEnd()).join("\n");
    this.#ticket = null;
    this.#hooks.onTicket(t);
  }

  #flushLine(always: boolean): void {
    if (!always && this.#line === "") return;
    this.#current().lines.push({
      text: this.#line,
      inverse: this.#lineInverse,
      bold: this.#lineBold,
      width: this.#lineWidth,
      height: this.#lineHeight,
    });
    this.#line = "";
    this.#lineInverse = this.#inverse;
    this.#lineBold = this.#bold;
    this.#lineWidth = this.#width;
    this.#lineHeight = this.#height;
  }

  #char(byte: number): void {
    if (!this.#hooks.printing()) {
      this.#hooks.onDropped(1);
      return;
    }
    if (this.#line === "") {
      this.#lineInverse = this.#inverse;
      this.#lineBold = this.#bold;
      this.#lineWidth = this.#width;
      this.#lineHeight = this.#height;
    } else {
      // A line is inverse / bold / large if any of its printed characters is.
      this.#lineInverse ||= this.#inverse;
      this.#lineBold ||= this.#bold;
      this.#lineWidth = Math.max(this.#lineWidth, this.#width);
      this.#lineHeight = Math.max(this.#lineHeight, this.#height);
    }
    this.#current();
    this.#line += String.fromCodePoint(glyphs(this.#page)[byte] ?? 0xfffd);
  }

  /** Consumes complete commands from the buffer; stops at an incomplete one until more arrives. */
  #run(): void {
    const b = this.#buf;
    let i = 0;
    const need = (n: number) => i + n <= b.length;
    loop: while (i < b.length) {
      const c = b[i]!;
      if (c === 0x10) {
        if (!need(3)) break;
        if (b[i + 1] === 0x04) this.#hooks.onStatus(b[i + 2]!);
        i += 3;
      } else if (c === 0x0a) {
        // A feed between tickets (after a cut) starts no ticket.
        if (this.#hooks.printing()) this.#flushLine(this.#ticket !== null);
        else this.#hooks.onDropped(1);
        i += 1;
      } else if (c === 0x0d) {
        i += 1;
      } else if (c === 0x1b) {
        if (!need(2)) break;
        const cmd = b[i + 1]!;
        const one = (k: number) => {
          if (!need(k)) return false;
          return true;
        };
        switch (cmd) {
          case 0x40: // ESC @
            this.#page = 0;
            this.#inverse = this.#bold = false;
            this.#width = this.#height = 1;
            i += 2;
            break;
          case 0x74: // ESC t n
            if (!one(3)) break loop;
            this.#page = b[i + 2]!;
            if (this.#hooks.printing()) this.#current().codepages.push(this.#page);
            i += 3;
            break;
          case 0x45: // ESC E n
            if (!one(3)) break loop;
            this.#bold = (b[i + 2]! & 1) === 1;
            i += 3;
            break;
          case 0x21: // ESC ! n
            if (!one(3)) break loop;
            this.#bold = (b[i + 2]! & 0x08) !== 0;
            this.#height = b[i + 2]! & 0x10 ? 2 : 1;
            this.#width = b[i + 2]! & 0x20 ? 2 : 1;
            i += 3;
            break;
          case 0x70: // ESC p m t1 t2
            if (!one(5)) break loop;
            if (this.#hooks.printing()) this.#current().pulses++;
            i += 5;
            break;
          case 0x32: // ESC 2
            i += 2;
            break;
          case 0x64: // ESC d n: feed n lines
            if (!one(3)) break loop;
            if (this.#hooks.printing()) {
              this.#flushLine(false);
              for (let k = 0; k < b[i + 2]!; k++) this.#flushLine(true);
            }
            i += 3;
            break;
          default: // ESC with one parameter: M, a, -, 4, 3, G, J, V, …
            if (!one(3)) break loop;
            i += 3;
        }
      } else if (c === 0x1c) {
        // FS . / FS & (kanji off/on) take none; others one.
        if (!need(2)) break;
        i += b[i + 1] === 0x2e || b[i + 1] === 0x26 ? 2 : 3;
      } else if (c === 0x1d) {
        if (!need(2)) break;
        const cmd = b[i + 1]!;
        if (cmd === 0x28) {
          // GS ( X pL pH data
          if (!need(5)) break;
          const len = b[i + 3]! + b[i + 4]! * 256;
          if (!need(5 + len)) break;
          const fn = b[i + 2]!;
          const data = b.slice(i + 5, i + 5 + len);
          // GS ( k  cn=49 (QR) fn=80 (store): the payload after "1 P 0"
          if (fn === 0x6b && data[0] === 0x31 && data[1] === 0x50 && this.#hooks.printing()) {
            this.#current().qr.push(Buffer.from(data.slice(3)).toString("latin1"));
          }
          i += 5 + len;
        } else if (cmd === 0x56) {
          // GS V m [n]
          if (!need(3)) break;
          const m = b[i + 2]!;
          const extra = m === 65 || m === 66 || m === 97 || m === 98 ? 1 : 0;
          if (!need(3 + extra)) break;
          i += 3 + extra;
          if (this.#hooks.printing()) {
            this.#flushLine(false);
            this.#emit(true);
          }
        } else if (cmd === 0x42) {
          if (!need(3)) break;
          this.#inverse = (b[i + 2]! & 1) === 1;
          i += 3;
        } else if (cmd === 0x21) {
          if (!need(3)) break;
          const n = b[i + 2]!;
          this.#width = ((n >> 4) & 0x07) + 1;
          this.#height = (n & 0x07) + 1;
          i += 3;
        } else if (cmd === 0x76 && b[i + 2] === 0x30) {
          // GS v 0 m xL xH yL yH data (raster image)
          if (!need(8)) break;
          const len = (b[i + 4]! + b[i + 5]! * 256) * (b[i + 6]! + b[i + 7]! * 256);
          if (!need(8 + len)) break;
          i += 8 + len;
        } else if (cmd === 0x6b) {
          // GS k m n data (barcode, format B)
          if (!need(4)) break;
          const len = b[i + 3]!;
          if (!need(4 + len)) break;
          i += 4 + len;
        } else {
          if (!need(3)) break;
          i += 3;
        }
      } else if (c >= 0x20 || c === 0x09) {
        this.#char(c);
        i += 1;
      } else {
        i += 1;
      }
    }
    this.#buf = b.slice(i);
  }
}
