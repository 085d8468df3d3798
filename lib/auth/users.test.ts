/**
 * Users and passwords (issue "Security hardening"): at least 10 characters and not a common
 * password; usernames are case-insensitive and unique; the generated first-start admin password
 * file is deleted at the admin's first successful sign-in.
 */
import fs from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import * as loginRoute from "@/app/api/auth/login/route";
import { newId, nowIso } from "../db/ids";
import { createLogger, setLogger } from "../log";
import { describeEachDatabase } from "../testing/each-database";
import { MIN_PASSWORD_LENGTH, passwordProblem } from "./password-policy";
import { createUser, disableUser, login } from "./service";

it("the password policy: length and the shipped list of common passwords", () => {
  expect(MIN_PASSWORD_LENGTH).toBe(10);
  expect(passwordProblem("short-pw1")).toMatch(/at least 10/);
  for (const common of ["password123", "Password123!", "qwertyuiop", "1234567890", "iloveyou2024", "letmein123", "admin12345"]) {
    expect(passwordProblem(common), common).toMatch(/too common/);
  }
  expect(passwordProblem("fixture-pass-4821")).toBeNull();
  expect(passwordProblem("correct horse battery")).toBeNull();
});

describeEachDatabase("users and passwords", (ctx) => {
  it("createUser refuses short and common passwords", async () => {
    const base = { db: ctx.db, partnerId: null, role: "admin" as const };
    await expect(createUser({ ...base, username: "shorty", password: "abc123xyz" })).rejects.toMatchObject({
      details: { field: "password" },
    });
    await expect(createUser({ ...base, username: "common", password: "password2024" })).rejects.toMatchObject({
      details: { field: "password" },
    });
    const ok = await createUser({ ...base, username: "fine", password: "a-long-unusual-one" });
    expect(ok.username).toBe("fine");
  });

  it("usernames are case-insensitive: stored in lower case, unique, signed in with any case", async () => {
    const base = { db: ctx.db, partnerId: null, role: "admin" as const, password: "a-long-unusual-one" };
    const created = await createUser({ ...base, username: "BossLady" });
    expect(created.username).toBe("bosslady");
    await expect(createUser({ ...base, username: "bosslady" })).rejects.toMatchObject({ details: { field: "username" } });
    await expect(createUser({ ...base, username: "BOSSLADY" })).rejects.toMatchObject({ details: { field: "username" } });
    const session = await login({ db: ctx.db, username: "BOSSLady", password: "a-long-unusual-one" });
    expect(session.user.username).toBe("bosslady");
    await disableUser({ db: ctx.db, username: "BossLady" });
    await expect(login({ db: ctx.db, username: "bosslady", password: "a-long-unusual-one" })).rejects.toThrow();
  });

  it("the database itself refuses two usernames that differ only in case (migration 0007)", async () => {
    const row = (username: string) => ({
      id: newId(),
      partnerId: null,
      role: "admin" as const,
      username,
      passwordHash: "x",
      createdAt: nowIso(),
      disabledAt: null,
    });
    await ctx.db.insertInto("users").values(row("Mixed.Case")).execute();
    await expect(ctx.db.insertInto("users").values(row("mixed.case")).execute()).rejects.toThrow();
  });

  it("the first-start password file is deleted when the admin first signs in, and the console says so", async () => {
    await createUser({ db: ctx.db, partnerId: null, role: "admin", username: "admin", password: "first-start-secret" });
    const file = path.join(ctx.t.config.dataDir, "admin-password");
    fs.writeFileSync(file, "first-start-secret\n", { mode: 0o600 });
    // The process logger (lib/log.ts) writing into a list: one entry per JSON line.
    const lines: string[] = [];
    setLogger(createLogger({ destination: { write: (chunk: string) => void lines.push(chunk) } }));
    try {
      const signIn = (password: string) =>
        loginRoute.POST(
          new Request("http://pass.test/api/auth/login", {
            method: "POST",
            headers: { host: "pass.test", "content-type": "application/json" },
            body: JSON.stringify({ username: "admin", password }),
          }),
          { params: Promise.resolve({}) } as never,
        );
      expect((await signIn("wrong-password-here")).status).toBe(401);
      expect(fs.existsSync(file)).toBe(true);
      expect((await signIn("first-start-secret")).status).toBe(200);
      expect(fs.existsSync(file)).toBe(false);
      expect(lines.join("\n")).toMatch(/deleted the first-start password file/);
      expect((await signIn("first-start-secret")).status).toBe(200);
    } finally {
      setLogger(undefined);
    }
  });
});
