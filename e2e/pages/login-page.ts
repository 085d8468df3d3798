import { expect, type Page } from "@playwright/test";

export class LoginPage {
  constructor(private readonly page: Page) {}

  async goto() {
    await this.page.goto("/login");
    await expect(this.page.getByTestId("login-form")).toBeVisible();
  }

  async signIn(username: string, password: string) {
    await this.page.getByTestId("login-username").fill(username);
    await this.page.getByTestId("login-password").fill(password);
    await this.page.getByTestId("login-submit").click();
  }

  error() {
    return this.page.getByTestId("login-error");
  }
}

export class HomePage {
  constructor(private readonly page: Page) {}

  user() {
    return this.page.getByTestId("home-user");
  }

  screen(channel: string) {
    return this.page.getByTestId(`screen-${channel}`);
  }

  async signOut() {
    await this.page.getByTestId("logout").click();
  }
}
