import { expect, type Page } from "@playwright/test";

/** The guest's ordering page, /order/{slug} (app/order/[slug]); selectors are data-testid only. */
export class OrderPage {
  constructor(readonly page: Page) {}

  async goto(slug: string, { table }: { table?: string } = {}) {
    await this.page.goto(`/order/${slug}${table ? `?table=${encodeURIComponent(table)}` : ""}`);
    // The live menu stream is connected: changes from here on reach the page.
    await expect(this.page.getByTestId("connection-badge")).toHaveAttribute("data-status", "live");
  }

  dish(name: string) {
    return this.page.getByTestId("menu-item").and(this.page.locator(`[data-name="${name}"]`));
  }

  category(name: string) {
    return this.page.getByTestId("menu-category").and(this.page.locator(`[data-name="${name}"]`));
  }

  // --- allergies ---------------------------------------------------------------------------
  get allergySheet() {
    return this.page.getByTestId("allergy-sheet");
  }

  async openAllergies() {
    await this.page.getByTestId("allergies-open").click();
    await expect(this.allergySheet).toBeVisible();
  }

  allergen(code: string) {
    return this.allergySheet.getByTestId("allergen-chip").and(this.page.locator(`[data-code="${code}"]`));
  }

  async closeAllergies() {
    await this.allergySheet.getByTestId("allergies-done").click();
    await expect(this.allergySheet).toBeHidden();
  }

  // --- the choice sheet --------------------------------------------------------------------
  get sheet() {
    return this.page.getByTestId("choice-sheet");
  }

  async openChoices(dish: string) {
    await this.dish(dish).getByTestId("menu-add").click();
    await expect(this.sheet).toBeVisible();
  }

  group(name: string) {
    return this.sheet.getByTestId("choice-group").and(this.page.locator(`[data-name="${name}"]`));
  }

  option(group: string, name: string) {
    return this.group(group)
      .getByTestId("choice-option")
      .and(this.page.locator(`[data-name="${name}"]`));
  }

  get addChoice() {
    return this.sheet.getByTestId("choice-add");
  }

  // --- the cart ----------------------------------------------------------------------------
  cartLine(dish: string) {
    return this.page.getByTestId("cart-line").and(this.page.locator(`[data-name="${dish}"]`));
  }

  get total() {
    return this.page.getByTestId("cart-total");
  }

  get placeOrder() {
    return this.page.getByTestId("place-order");
  }
}
