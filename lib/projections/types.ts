import type { PartnerInfo } from "../orders/dto";

/** What a projection may know besides the event: the partner's public face and the clock. */
export type ProjectionContext = { partner: PartnerInfo; now: Date };

/** An SSE event of a channel: its name and JSON data; null = the channel shows nothing of it. */
export type Projected = { event: string; data: unknown } | null;
