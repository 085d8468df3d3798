import "server-only";
import net from "node:net";
import { parseStatusBytes, type PrinterState } from "./status";

/**
 * One TCP connection to a network printer (raw port 9100): the real-time status query and the
 * job's bytes. Every wait has a deadline, so a printer that does not answer ends as "timeout"
 * and never holds the dispatcher; a refused connection is "refused".
 */
export type StatusAnswer = { state: PrinterState; detail: string | null };

export class PrinterLinkError extends Error {
  constructor(
    readonly state: PrinterState,
    message: string,
  ) {
    super(message);
  }
}

const DLE_EOT = (n: number) => Buffer.from([0x10, 0x04, n]);

export class PrinterLink {
  #socket: net.Socket;
  #bytes: number[] = [];
  #wake: (() => void) | null = null;
  #closed: Error | null = null;

  private constructor(socket: net.Socket) {
    this.#socket = socket;
    socket.on("data", (d) => {
      this.#bytes.push(...d);
      this.#wake?.();
    });
    socket.on("error", (err) => {
      this.#closed = err;
      this.#wake?.();
    });
    socket.on("close", () => {
      this.#closed ??= new Error("the printer closed the connection");
      this.#wake?.();
    });
  }

  static open({ host, port, timeoutMs }: { host: string; port: number; timeoutMs: number }): Promise<PrinterLink> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port });
      socket.setNoDelay(true);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new PrinterLinkError("timeout", `no connection to ${host}:${port} within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once("connect", () => {
        clearTimeout(timer);
        socket.removeAllListeners("error");
        resolve(new PrinterLink(socket));
      });
      socket.once("error", (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        socket.destroy();
        const state: PrinterState = err.code === "ECONNREFUSED" ? "refused" : err.code === "ETIMEDOUT" ? "timeout" : "offline";
        reject(new PrinterLinkError(state, `${host}:${port}: ${err.code ?? err.message}`));
      });
    });
  }

  async #readByte(deadline: number): Promise<number> {
    for (;;) {
      if (this.#bytes.length) return this.#bytes.shift()!;
      if (this.#closed) throw new PrinterLinkError("offline", this.#closed.message);
      const left = deadline - Date.now();
      if (left <= 0) {
        // Timers run before I/O in each turn of the event loop: after a long synchronous stretch
        // (a busy SQLite writer) an answer that did arrive may not be read yet. Look once more.
        await new Promise((r) => setImmediate(r));
        if (this.#bytes.length) continue;
        throw new PrinterLinkError("timeout", "the printer did not answer the status query");
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.#wake = () => {
          clearTimeout(t);
          this.#wake = null;
          resolve();
        };
      });
    }
  }

  /** DLE EOT 1, 2 and 4, answered in order (a printer answers each once it has read what came before). */
  async status(timeoutMs: number): Promise<StatusAnswer> {
    this.#bytes = [];
    this.#socket.write(Buffer.concat([DLE_EOT(1), DLE_EOT(2), DLE_EOT(4)]));
    const deadline = Date.now() + timeoutMs;
    const printer = await this.#readByte(deadline);
    const offlineCause = await this.#readByte(deadline);
    const paper = await this.#readByte(deadline);
    return parseStatusBytes({ printer, offlineCause, paper });
  }

  /** Hands the bytes to the socket; the status query that follows tells when the printer took them. */
  write(bytes: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.#closed) return reject(new PrinterLinkError("offline", this.#closed.message));
      this.#socket.write(bytes, (err) => (err ? reject(new PrinterLinkError("offline", err.message)) : resolve()));
    });
  }

  close(): void {
    this.#socket.end();
    this.#socket.destroy();
  }
}
