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
  soldOut() {
    return new SoldOutPanel(this.page);
  }
  /** The "Scheduled" list's row of an order (promisedAt), with its "For 19:30 · fires 19:05" badge. */
  scheduled(code: string) {
    return this.page.getByTestId("scheduled-order").and(this.page.locator(`[data-code="${code}"]`));
  }
  /** "19:30" as the screen writes a time (lib/client/schedule.ts clockTime, the browser's zone). */
  clock(iso: string) {
    return this.page.evaluate(
      (at) => new Date(at).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }),
      iso,
    );
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
  allergyBand(ticketNumber: number) {
    return this.ticket(ticketNumber).getByTestId("allergy-band");
  }
  async allergySeen(ticketNumber: number) {
    await this.ticket(ticketNumber).getByTestId("allergy-seen").click();
  }
  async bump(ticketNumber: number) {
    await this.ticket(ticketNumber).getByTestId("bump").click();
  }
  soldOut() {
    return new SoldOutPanel(this.page);
  }
}

/** The "Sold out" panel of the cashier and kitchen headers (components/sold-out-panel.tsx). */
export class SoldOutPanel {
  constructor(readonly page: Page) {}
  button() {
    return this.page.getByTestId("sold-out-open");
  }
  dialog() {
    return this.page.getByTestId("sold-out-panel");
  }
  async open(partner = "demo") {
    await this.button().click();
    await expect(this.dialog()).toBeVisible();
    const choose = this.dialog().getByTestId("sold-out-partner");
    if (await choose.isVisible()) await choose.selectOption(partner);
  }
  food(name: string) {
    return this.dialog()
      .getByTestId("sold-out-food")
      .and(this.page.locator(`[data-name="${name}"]`));
  }
  option(name: string) {
    return this.dialog()
      .getByTestId("sold-out-option")
      .and(this.page.locator(`[data-name="${name}"]`));
  }
  /** Turns a dish off ("until I turn it back" or "until end of day") or, when it is off, back on. */
  async toggle(name: string, until?: "manual" | "end-of-day") {
    const row = this.food(name);
    await row.getByTestId("sold-out-toggle").click();
    if (until) await row.getByTestId(until === "manual" ? "until-manual" : "until-end-of-day").click();
  }
  async close() {
    await this.dialog().getByTestId("sold-out-close").click();
    await expect(this.dialog()).toBeHidden();
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
  /** The slip on screen (the one printing, else the last printed, or one shown from the log). */
  slip() {
    return this.page.getByTestId("print-slip");
  }
  async show(entry: ReturnType<PrinterPage["entries"]>) {
    await entry.getByTestId("print-entry-show").click();
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
