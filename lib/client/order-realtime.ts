import { LiveStream, type ConnectionState } from "./live-stream";

/**
 * seeds/000: the partner dashboard's realtime contract. The transport is the implementation's
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
