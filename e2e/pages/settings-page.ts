import { expect, type Page } from "@playwright/test";

/** /settings (the back office's restaurant, users, devices and tables) and /pair (a new wall screen). */
export class SettingsPage {
  constructor(readonly page: Page) {}

  /** `partner`: an admin's settings open the first restaurant otherwise (other specs add some). */
  async goto(tab: "restaurant" | "users" | "devices" | "printers" | "tables" = "restaurant", partner?: string) {
    await this.page.goto(`/settings?tab=${tab}${partner ? `&partner=${partner}` : ""}`);
    await expect(this.page.getByTestId("settings-screen")).toBeVisible();
    if (partner) await expect(this.page.getByTestId("settings-screen")).toHaveAttribute("data-partner", partner);
  }

  tab(tab: string) {
    return this.page.getByTestId(`settings-tab-${tab}`);
  }

  fieldError(field: string) {
    return this.page.locator(`[data-testid="field-error"][data-field="${field}"]`);
  }

  async saveProfile() {
    await this.page.getByTestId("profile-save").click();
    await expect(this.page.getByTestId("profile-saved")).toContainText("Saved");
  }

  device(name: string) {
    return this.page.getByTestId("device-row").and(this.page.locator(`[data-name="${name}"]`));
  }

  user(username: string) {
    return this.page.getByTestId("user-row").and(this.page.locator(`[data-username="${username}"]`));
  }
}

export class PairPage {
  constructor(readonly page: Page) {}

  async goto() {
    await this.page.goto("/pair");
    await expect(this.page.getByTestId("pair-code")).toBeVisible();
  }

  async code() {
    return (await this.page.getByTestId("pair-code").textContent())!.trim();
  }

  /** What a phone camera would open: the QR's link to the back office. */
  async qrLink() {
    const qr = this.page.getByTestId("pair-qr");
    await expect(qr).toHaveAttribute("data-ready", "true");
    return (await qr.getAttribute("data-text"))!;
  }
}
