import { expect, type Locator, type Page } from "@playwright/test";

export type DishFields = {
  name: string;
  price: string;
  description?: string;
  imageUrl?: string;
  surcharge?: string;
  prepMinutes?: string;
  category?: string;
  station?: string;
  allergens?: string[];
  groups?: string[];
};

export type OptionFields = { name: string; delta?: string; allergens?: string[]; station?: string };

/** The back office /menu; selectors are data-testid only. */
export class MenuPage {
  constructor(readonly page: Page) {}

  async goto() {
    await this.page.goto("/menu");
    await expect(this.page.getByTestId("menu-screen")).toBeVisible();
  }

  async tab(name: "dishes" | "groups" | "categories" | "stations") {
    await this.page.getByTestId(`menu-tab-${name}`).click();
    await expect(this.page.getByTestId(`menu-tab-${name}`)).toHaveAttribute("aria-selected", "true");
  }

  /** Every write done and the menu refetched. */
  async settled() {
    await expect(this.page.getByTestId("menu-sync")).toHaveAttribute("data-state", "idle");
  }

  /** The message under `field` inside `form` (the API's `details.field`, or the client's own check). */
  fieldError(form: Locator, field: string) {
    return form.getByTestId("field-error").and(this.page.locator(`[data-field="${field}"]`));
  }

  async addStation(key: string, name: string, prepMinutes?: string) {
    const form = this.page.getByTestId("station-form");
    await form.getByTestId("station-key").fill(key);
    await form.getByTestId("station-name").fill(name);
    await form.getByTestId("station-prep").fill(prepMinutes ?? "");
    await form.getByTestId("station-add").click();
    await expect(this.station(key)).toBeVisible();
  }

  station(key: string) {
    return this.page.getByTestId("station-row").and(this.page.locator(`[data-key="${key}"]`));
  }

  async addCategory(name: string) {
    const form = this.page.getByTestId("category-form");
    await form.getByTestId("category-name").fill(name);
    await form.getByTestId("category-add").click();
    await expect(this.category(name)).toBeVisible();
  }

  category(name: string) {
    return this.page.getByTestId("category-row").and(this.page.locator(`[data-name="${name}"]`));
  }

  groupForm() {
    return this.page.getByTestId("group-form");
  }

  /** Fills the group editor (a new group after `new-group`); the caller saves. */
  async fillGroup(name: string, min: string, max: string, options: OptionFields[]) {
    const form = this.groupForm();
    await form.getByTestId("group-name").fill(name);
    await form.getByTestId("group-min").fill(min);
    await form.getByTestId("group-max").fill(max);
    for (const [i, o] of options.entries()) {
      await form.getByTestId("option-add").click();
      const row = form.getByTestId("option-row").nth(i);
      await row.getByTestId("option-name").fill(o.name);
      await row.getByTestId("option-delta").fill(o.delta ?? "");
      if (o.station) await row.getByTestId("option-station").selectOption({ label: o.station });
      if (o.allergens?.length) {
        await row.getByTestId("option-allergens-toggle").click();
        for (const a of o.allergens) await row.locator(`[data-testid="allergen-chip"][data-code="${a}"]`).click();
      }
    }
  }

  group(name: string) {
    return this.page.getByTestId("group-row").and(this.page.locator(`[data-name="${name}"]`));
  }

  dishForm() {
    return this.page.getByTestId("dish-form");
  }

  /** Fills the dish editor; the caller saves with `dish-save`. */
  async fillDish(d: DishFields) {
    const form = this.dishForm();
    await form.getByTestId("dish-name").fill(d.name);
    await form.getByTestId("dish-description").fill(d.description ?? "");
    await form.getByTestId("dish-image").fill(d.imageUrl ?? "");
    await form.getByTestId("dish-price").fill(d.price);
    await form.getByTestId("dish-surcharge").fill(d.surcharge ?? "");
    await form.getByTestId("dish-prep").fill(d.prepMinutes ?? "");
    if (d.category) await form.getByTestId("dish-category-select").selectOption({ label: d.category });
    if (d.station) await form.getByTestId("dish-station").selectOption({ label: d.station });
    for (const a of d.allergens ?? []) await form.locator(`[data-testid="allergen-chip"][data-code="${a}"]`).click();
    for (const g of d.groups ?? []) {
      const select = form.getByTestId("dish-link-group");
      const label = await select.locator("option", { hasText: g }).first().textContent();
      await select.selectOption({ label: label! });
    }
  }

  dishes(category: string) {
    return this.page
      .getByTestId("dish-category")
      .and(this.page.locator(`[data-name="${category}"]`))
      .getByTestId("dish-row");
  }

  dish(name: string) {
    return this.page.getByTestId("dish-row").and(this.page.locator(`[data-name="${name}"]`));
  }

  preview() {
    return this.page.getByTestId("dish-preview");
  }
}
