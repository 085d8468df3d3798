import { expect, type APIRequestContext, type Page } from "@playwright/test";

export class LivePage {
  constructor(readonly page: Page) {}

  async goto(channel: string) {
    await this.page.goto(`/live/${channel}`);
    await expect(this.page.getByTestId("live-channel")).toHaveText(channel);
  }

  badge() {
    return this.page.getByTestId("connection-badge");
  }

  events(event?: string) {
    const all = this.page.getByTestId("live-event");
    return event ? all.and(this.page.locator(`[data-event="${event}"]`)) : all;
  }
}

export async function openStreams(request: APIRequestContext): Promise<number> {
  const health = await (await request.get("/api/health")).json();
  return health.realtime.streams as number;
}
