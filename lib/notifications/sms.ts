import "server-only";
import { postOutbound } from "./outbound";

/**
 * Text messages go through an adapter; Pass ships one for a generic HTTP gateway
 * (SMS_GATEWAY_URL + SMS_GATEWAY_TOKEN): `POST <url>` with `Authorization: Bearer <token>` and
 * `{ "to": "+4420…", "text": "…", "reference": "<delivery id>" }`; any 2xx is sent. The
 * reference is the same across retries, so a gateway can drop a repeat.
 */
export interface SmsAdapter {
  readonly name: string;
  send(message: { to: string; text: string; reference: string }): Promise<void>;
}

export class HttpSmsGateway implements SmsAdapter {
  readonly name = "http";
  constructor(
    private readonly url: string,
    private readonly token: string | null,
  ) {}

  async send(message: { to: string; text: string; reference: string }): Promise<void> {
    const res = await postOutbound({
      url: this.url,
      headers: { "content-type": "application/json", ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
      body: JSON.stringify(message),
      // The gateway is the operator's own configuration, not a guest's or a partner's URL.
      allowPrivate: true,
    });
    if (res.status < 200 || res.status >= 300) throw new Error(`SMS gateway answered ${res.status}: ${res.body.slice(0, 200)}`);
  }
}
