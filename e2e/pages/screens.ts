import { expect, type BrowserContext, type Page } from "@playwright/test";

/** Page objects for the five screens; selectors are data-testid only. */
export class CashierPage {
  constructor(readonly page: Page) {}
  async goto() {
    await this.page.goto("/cashier");
    await expect(this.page.getByTestId("connection-badge")).toHaveAttribute("data-status", "live");
  }
  pending(code?: string) {
    const all = this.page.getByTestId("pending-order");
    return code ? all.and(this.page.locator(`[data-code="${code}"]`)) : all;
  }
  today(code: string) {
    return this.page.getByTestId("today-order").and(this.page.locator(`[data-code="${code}"]`));
  }
  async confirm(code: string, { discount, payment = "CARD" }: { discount?: string; payment?: "CARD" | "CASH" | "OTHER" } = {}) {
    await this.pending(code).getByTestId("confirm-open").click();
    const dialog = this.page.getByTestId("confirm-dialog");
    await dialog.getByTestId(`pay-${payment}`).check({ force: true });
    if (discount) await dialog.getByTestId("discount").fill(discount);
    return dialog;
  }
}

export class KitchenPage {
  constructor(readonly page: Page) {}
  async goto(station?: string) {
    await this.page.goto(station ? `/kitchen?station=${station}` : "/kitchen");
    await expect(this.page.getByTestId("connection-badge")).toHaveAttribute("data-status", "live");
  }
  ticket(ticketNumber: number) {
    return this.page.getByTestId("ticket").and(this.page.locator(`[data-ticket="${ticketNumber}"]`));
  }
  ready(ticketNumber: number) {
    return this.page.getByTestId("ready-ticket").and(this.page.locator(`[data-ticket="${ticketNumber}"]`));
  }
}

export class BoardPage {
  constructor(readonly page: Page) {}
  async goto() {
    await this.page.goto("/board");
    await expect(this.page.getByTestId("connection-badge")).toHaveAttribute("data-status", "live");
  }
  preparing(ticketNumber: number) {
    return this.page.getByTestId("board-preparing").locator(`[data-ticket="${ticketNumber}"]`);
  }
  ready(ticketNumber: number) {
    return this.page.getByTestId("board-ready").locator(`[data-ticket="${ticketNumber}"]`);
  }
}

export class PrinterPage {
  constructor(readonly page: Page) {}
  async goto() {
    await this.page.goto("/printer");
    await expect(this.page.getByTestId("connection-badge")).toHaveAttribute("data-status", "live");
  }
  entries(kind?: "kitchen" | "receipt", reprint?: boolean) {
    let l = this.page.getByTestId("print-entry").and(this.page.locator('[data-result="printed"]'));
    if (kind) l = l.and(this.page.locator(`[data-kind="${kind}"]`));
    if (reprint !== undefined) l = l.and(this.page.locator(`[data-reprint="${reprint}"]`));
    return l;
  }
  printed() {
    return this.page.evaluate(() => window.__passPrinted ?? []);
  }
}

export class DashboardPage {
  constructor(readonly page: Page) {}
  async goto() {
    await this.page.goto("/dashboard");
    await expect(this.page.getByTestId("connection-badge")).toHaveAttribute("data-status", "live");
  }
  row(code: string) {
    return this.page.getByTestId("dashboard-row").and(this.page.locator(`[data-code="${code}"]`));
  }
}

/** Print stations in tests record jobs without opening the browser's print dialog. */
export async function disableAutoPrint(context: BrowserContext) {
  await context.addInitScript(() => localStorage.setItem("pass.printer.auto", "false"));
}
