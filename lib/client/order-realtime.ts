import { LiveStream, type ConnectionState } from "./live-stream";

/**
 * docs/contracts.md#seeds-000: the partner dashboard's realtime contract. The transport is the implementation's
 * choice; this one is SSE on the `partner` channel.
 */
export type OrderListDto = {
  id: number;
  partnerName: string;
  partnerImage: string | null;
  displayNumber: string;
  status: "RECEIVED" | "CONFIRMED" | "PREPARING" | "READY" | "PICKED_UP" | "DELIVERED" | "CANCELLED";
  priority: "NORMAL" | "HIGH";
  activeTimer: string;
  courierName: string | null;
};

export interface OrderEvents {
  onCreated?: (order: OrderListDto) => void;
  onUpdated?: (order: OrderListDto) => void;
}

export interface OrderRealtime {
  connect(events: OrderEvents): void;
  disconnect(): void;
}

export class SseOrderRealtime implements OrderRealtime {
  readonly #url: string;
  readonly #headers: Record<string, string>;
  readonly #onState?: (state: ConnectionState) => void;
  #stream: LiveStream | null = null;

  constructor({
    url = "/api/events/partner",
    headers = {},
    onState,
  }: { url?: string; headers?: Record<string, string>; onState?: (state: ConnectionState) => void } = {}) {
    this.#url = url;
    this.#headers = headers;
    this.#onState = onState;
  }

  connect({ onCreated, onUpdated }: OrderEvents): void {
    this.disconnect();
    this.#stream = new LiveStream({
      url: this.#url,
      headers: this.#headers,
      handlers: {
        onEvent: (event) => {
          // Handlers should be light; one failing must not stop the stream.
          try {
            if (event.event === "order-created") onCreated?.(event.data as OrderListDto);
            else if (event.event === "order-updated") onUpdated?.(event.data as OrderListDto);
          } catch (err) {
            console.error("OrderRealtime handler failed", err);
          }
        },
        onState: (state) => this.#onState?.(state),
        onReset: () => undefined,
      },
    });
    this.#stream.start();
  }

  disconnect(): void {
    this.#stream?.stop();
    this.#stream = null;
  }
}

type SocketLike = {
  readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
};

/**
 * The same contract over WebSocket (seeds/001 `order_changes`). Its messages are the e-commerce
 * shape of seeds/001, so each one is turned into the seeds/000 OrderListDto through
 * `GET /api/orders/{id}?view=list`, in message order. Reconnects with backoff and resumes by offset.
 */
export class WsOrderRealtime implements OrderRealtime {
  readonly #url: string;
  readonly #origin: string;
  readonly #headers: Record<string, string>;
  readonly #createSocket: (url: string) => SocketLike;
  #socket: SocketLike | null = null;
  #stopped = true;
  #lastId: number | null = null;
  #attempt = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #chain: Promise<void> = Promise.resolve();

  constructor({
    url = "/ws",
    origin = typeof location !== "undefined" ? location.origin : "",
    headers = {},
    createSocket = (u) => new WebSocket(u) as unknown as SocketLike,
  }: { url?: string; origin?: string; headers?: Record<string, string>; createSocket?: (url: string) => SocketLike } = {}) {
    this.#origin = origin;
    this.#url = url.startsWith("ws") ? url : `${origin.replace(/^http/, "ws")}${url}`;
    this.#headers = headers;
    this.#createSocket = createSocket;
  }

  connect(events: OrderEvents): void {
    this.disconnect();
    this.#stopped = false;
    this.#open(events);
  }

  disconnect(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#socket?.close();
    this.#socket = null;
  }

  #open(events: OrderEvents): void {
    const socket = this.#createSocket(this.#url);
    this.#socket = socket;
    socket.onopen = () => {
      this.#attempt = 0;
      socket.send(
        JSON.stringify({ type: "subscribe", channel: "order_changes", ...(this.#lastId !== null ? { offset: this.#lastId } : {}) }),
      );
    };
    socket.onmessage = (ev) => {
      let message: { id?: number; event?: string; data?: { id?: number } };
      try {
        message = JSON.parse(String(ev.data));
      } catch {
        return;
      }
      if (message.event !== "order:created" && message.event !== "order:updated") return;
      if (typeof message.id === "number") this.#lastId = message.id;
      const orderId = message.data?.id;
      const callback = message.event === "order:created" ? events.onCreated : events.onUpdated;
      if (!callback || typeof orderId !== "number") return;
      this.#chain = this.#chain.then(async () => {
        try {
          const res = await fetch(`${this.#origin}/api/orders/${orderId}?view=list`, {
            headers: this.#headers,
            credentials: "same-origin",
            cache: "no-store",
          });
          if (res.ok && !this.#stopped) callback((await res.json()) as OrderListDto);
        } catch (err) {
          console.error("OrderRealtime handler failed", err);
        }
      });
    };
    socket.onclose = () => {
      if (this.#stopped) return;
      const delay = Math.min(30_000, 1000 * 2 ** this.#attempt++) * (0.5 + Math.random() * 0.5);
      this.#timer = setTimeout(() => this.#open(events), delay);
    };
    socket.onerror = () => socket.close();
  }
}
