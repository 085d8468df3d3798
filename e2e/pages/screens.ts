import { expect, type BrowserContext, type Page } from "@playwright/test";
import { clockTime } from "../../lib/client/schedule";

/** Page objects for the five screens; selectors are data-testid only. */
export class CashierPage {
  /**
   * `partner`: the restaurant whose orders the spec reads (default the demo). An admin's cashier
   * lists every restaurant's orders and display codes repeat across them (A01 at each).
   */
  constructor(
    readonly page: Page,
    readonly partner = "demo",
  ) {}
  async goto() {
    await this.page.goto("/cashier");
    // On a loaded machine, with five screens opening at once, the cashier (the biggest page) takes longest.
    await expect(this.page.getByTestId("connection-badge")).toHaveAttribute("data-status", "live", { timeout: 15_000 });
  }
  #mine(testId: string, code?: string) {
    const all = this.page.getByTestId(testId).and(this.page.locator(`[data-partner="${this.partner}"]`));
    return code ? all.and(this.page.locator(`[data-code="${code}"]`)) : all;
  }
  pending(code?: string) {
    return this.#mine("pending-order", code);
  }
  today(code: string) {
    return this.#mine("today-order", code);
  }
  soldOut() {
    return new SoldOutPanel(this.page);
  }
  /** The "Scheduled" list's row of an order (promisedAt), with its "For 19:30 · fires 19:05" badge. */
  scheduled(code: string) {
    return this.#mine("scheduled-order", code);
  }
  /** "19:30" (or "Wed 00:17" on another day) as the screen writes a time, in `timeZone` (the restaurant's). */
  clock(iso: string, timeZone: string) {
    return clockTime(iso, new Date(), timeZone);
  }
  async confirm(code: string, { discount, payment = "CARD" }: { discount?: string; payment?: "CARD" | "CASH" | "OTHER" } = {}) {
    await this.pending(code).getByTestId("confirm-open").click();
    const dialog = this.page.getByTestId("confirm-dialog");
    await dialog.getByTestId(`pay-${payment}`).check({ force: true });
    if (discount) await dialog.getByTestId("discount").fill(discount);
    return dialog;
  }
}

/**
 * The kitchen screen: expo (`/kitchen`) or a station (`/kitchen?station=bar`). Tickets sit on
 * pages of fixed slots; `reveal` turns to a ticket's page with the bump bar's PageUp/PageDown.
 */
export class KitchenPage {
  station: string | null = null;
  constructor(readonly page: Page) {}
  async goto(station?: string) {
    this.station = station ?? null;
    await this.page.goto(station ? `/kitchen?station=${station}` : "/kitchen");
    await expect(this.page.getByTestId("connection-badge")).toHaveAttribute("data-status", "live");
  }
  ticket(ticketNumber: number) {
    return this.page.getByTestId("ticket").and(this.page.locator(`[data-ticket="${ticketNumber}"]`));
  }
  ready(ticketNumber: number) {
    return this.page.getByTestId("ready-ticket").and(this.page.locator(`[data-ticket="${ticketNumber}"]`));
  }
  grid() {
    return this.page.getByTestId("kitchen-tickets");
  }
  /** The bump bar's selected card. */
  selected() {
    return this.page.locator('[data-testid="ticket"][data-selected="true"]');
  }
  /**
   * Turns to the ticket's page (PageUp/PageDown) until it is on screen and stays there: a CI run
   * saw a reconnecting station screen show the page and turn back to the first one a moment
   * later (cause not found; noted in the session note), so each turn is checked after 300 ms.
   */
  async reveal(ticketNumber: number) {
    const card = this.ticket(ticketNumber);
    await expect(card).toHaveCount(1);
    for (let i = 0; i < 50; i++) {
      if (await card.isVisible()) {
        await this.page.waitForTimeout(300);
        if (await card.isVisible()) break;
        continue;
      }
      const [at, shown] = await Promise.all([card.getAttribute("data-page"), this.grid().getAttribute("data-page")]);
      await this.page.keyboard.press(Number(at) > Number(shown) ? "PageDown" : "PageUp");
    }
    await expect(card).toBeVisible();
    return card;
  }
  allergyBand(ticketNumber: number) {
    return this.ticket(ticketNumber).getByTestId("allergy-band");
  }
  async allergySeen(ticketNumber: number) {
    await (await this.reveal(ticketNumber)).getByTestId("allergy-seen").click();
  }
  /** Taps Bump (a station: its lines of the order; expo: the expo bump, which may ask "Force ready?"). */
  async bump(ticketNumber: number) {
    await (await this.reveal(ticketNumber)).getByTestId("bump").click();
  }
  /** Expo's bump through to READY: confirms "Force ready?" when stations are still open. */
  async expoBump(ticketNumber: number) {
    const card = await this.reveal(ticketNumber);
    const waiting = await card.getAttribute("data-waiting");
    await card.getByTestId("bump").click();
    if (waiting) await card.getByTestId("force-ready").click();
  }
  async start(ticketNumber: number) {
    await (await this.reveal(ticketNumber)).getByTestId("start").click();
  }
  async undo(ticketNumber: number) {
    await (await this.reveal(ticketNumber)).getByTestId("undo").click();
  }
  line(ticketNumber: number, name: string) {
    return this.ticket(ticketNumber).getByTestId("ticket-line").filter({ hasText: name });
  }
  /** A station: tapping a line bumps just that line. */
  async bumpLine(ticketNumber: number, name: string) {
    await (await this.reveal(ticketNumber)).getByTestId("ticket-line").filter({ hasText: name }).getByTestId("line-bump").click();
  }
  /** Expo: the tick of one station on a ticket (data-state done | open | held). */
  tick(ticketNumber: number, station: string) {
    return this.ticket(ticketNumber).locator(`[data-testid="station-tick"][data-station="${station}"]`);
  }
  waitingOn(ticketNumber: number) {
    return this.ticket(ticketNumber).getByTestId("waiting-on");
  }
  async fireCourse(ticketNumber: number, course: number) {
    await (await this.reveal(ticketNumber)).locator(`[data-testid="fire-course"][data-course="${course}"]`).click();
  }
  async density(d: "normal" | "compact") {
    await this.page.getByTestId(`density-${d}`).click();
    await expect(this.grid()).toHaveAttribute("data-density", d);
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
  /** A network printer's card on the console (its state, Pause, Test page, its jobs). */
  networkPrinter(name: string) {
    return this.page.getByTestId("network-printer").and(this.page.locator(`[data-printer="${name}"]`));
  }
  networkJobs(name: string, ticket?: number) {
    const jobs = this.networkPrinter(name).getByTestId("printer-job");
    return ticket === undefined ? jobs : jobs.and(this.page.locator(`[data-ticket="${ticket}"]`));
  }
}

export class DashboardPage {
  /** `partner`: as for the cashier, an admin's dashboard lists every restaurant's orders (display codes repeat). */
  constructor(
    readonly page: Page,
    readonly partner = "demo",
  ) {}
  async goto() {
    await this.page.goto("/dashboard");
    await expect(this.page.getByTestId("connection-badge")).toHaveAttribute("data-status", "live");
  }
  row(code: string) {
    return this.page
      .getByTestId("dashboard-row")
      .and(this.page.locator(`[data-partner="${this.partner}"]`))
      .and(this.page.locator(`[data-code="${code}"]`));
  }
}

/** Print stations in tests record jobs without opening the browser's print dialog. */
export async function disableAutoPrint(context: BrowserContext) {
  await context.addInitScript(() => localStorage.setItem("pass.printer.auto", "false"));
}
