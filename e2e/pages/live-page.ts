import { expect, type APIRequestContext, type Page } from "@playwright/test";
import { E2E_ADMIN_PASSWORD } from "../../playwright.config";

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

/** Signs the browser context in as admin through the API (same cookie jar as the pages). */
export async function signInAsAdmin(request: APIRequestContext) {
  const res = await request.post("/api/auth/login", { data: { username: "admin", password: E2E_ADMIN_PASSWORD } });
  expect(res.status()).toBe(200);
}

export async function placeDemoOrder(request: APIRequestContext, customer = "Ada") {
  const menu = await (await request.get("/api/menu?partner=demo")).json();
  const res = await request.post("/api/orders", {
    data: { partner: "demo", customer, items: [{ foodId: menu.foods[0].id, quantity: 1 }] },
    headers: { cookie: "" },
  });
  expect(res.status()).toBe(201);
  return (await res.json()) as { id: number; displayCode: string };
}

export async function openStreams(request: APIRequestContext): Promise<number> {
  const health = await (await request.get("/api/health")).json();
  return health.realtime.streams as number;
}
