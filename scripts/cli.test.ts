/**
 * `npm run pass -- …` takes what the API takes (lib/fields.ts bounds): a value the API would
 * refuse is one line `pass: --option: why`, exit code 1, nothing opened and nothing written — on
 * SQLite and PostgreSQL. (e2e/server.spec.ts runs the built binary.)
 */
import { beforeAll, expect, it } from "vitest";
import { describeEachDatabase } from "../lib/testing/each-database";
import { makePartner } from "../lib/testing/fixtures";
import { runCli } from "./cli-commands";

const PASSWORD = "cli-test-password-7";

describeEachDatabase("CLI bounds", (ctx) => {
  let opened = 0;
  const run = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, {
      open: async () => {
        opened++;
        return { db: ctx.db, destroy: async () => {} };
      },
      io: { out: (l) => out.push(l), err: (l) => err.push(l) },
    });
    return { code, out, err };
  };
  const counts = async () => ({
    partners: (await ctx.db.selectFrom("partners").select("id").execute()).length,
    users: (await ctx.db.selectFrom("users").select("id").execute()).length,
    tokens: (await ctx.db.selectFrom("deviceTokens").select("id").execute()).length,
  });

  beforeAll(async () => {
    await makePartner(ctx.db, "demo");
  });

  const REFUSED: { label: string; argv: string[]; option: string }[] = [
    { label: "partner name of 101 characters", argv: ["partner", "add", "--slug", "a1", "--name", "x".repeat(101)], option: "--name" },
    { label: "partner name with NUL", argv: ["partner", "add", "--slug", "a2", "--name", "Corner\u0000Café"], option: "--name" },
    { label: "partner name with a line break", argv: ["partner", "add", "--slug", "a3", "--name", "Corner\nCafé"], option: "--name" },
    { label: "blank partner name", argv: ["partner", "add", "--slug", "a4", "--name", "   "], option: "--name" },
    { label: "slug with ESC", argv: ["partner", "add", "--slug", "a\u001b5", "--name", "Five"], option: "--slug" },
    { label: "slug of 65 characters", argv: ["partner", "add", "--slug", "a".repeat(65), "--name", "Six"], option: "--slug" },
    {
      label: "time zone with NUL",
      argv: ["partner", "add", "--slug", "a7", "--name", "S", "--timezone", "UTC\u0000"],
      option: "--timezone",
    },
    {
      label: "cut-over hour not a number",
      argv: ["partner", "add", "--slug", "a8", "--name", "S", "--cutover-hour", "4am"],
      option: "--cutover-hour",
    },
    {
      label: "cut-over hour 24",
      argv: ["partner", "add", "--slug", "a9", "--name", "S", "--cutover-hour", "24"],
      option: "--cutover-hour",
    },
    {
      label: "username of 65 characters",
      argv: ["user", "add", "--partner", "demo", "--role", "operator", "--username", "u".repeat(65), "--password", PASSWORD],
      option: "--username",
    },
    {
      label: "username with DEL",
      argv: ["user", "add", "--partner", "demo", "--role", "operator", "--username", "ana\u007f", "--password", PASSWORD],
      option: "--username",
    },
    {
      label: "password of 257 characters (sign-in could never use it)",
      argv: ["user", "add", "--partner", "demo", "--role", "operator", "--username", "ana", "--password", "p".repeat(257)],
      option: "--password",
    },
    { label: "user disable with NUL", argv: ["user", "disable", "--username", "ana\u0000"], option: "--username" },
    { label: "partner slug with NUL", argv: ["token", "add", "--partner", "demo\u0000", "--role", "printer"], option: "--partner" },
    {
      label: "token name of 81 characters",
      argv: ["token", "add", "--partner", "demo", "--role", "printer", "--name", "t".repeat(81)],
      option: "--name",
    },
    {
      label: "token name with SOH",
      argv: ["token", "add", "--partner", "demo", "--role", "printer", "--name", "a\u0001b"],
      option: "--name",
    },
    {
      label: "expiry past any date",
      argv: ["token", "add", "--partner", "demo", "--role", "printer", "--expires-in-days", "1e20"],
      option: "--expires-in-days",
    },
    {
      label: "channels of 201 characters",
      argv: ["token", "add", "--partner", "demo", "--role", "printer", "--channels", "p".repeat(201)],
      option: "--channels",
    },
    { label: "token id with NUL", argv: ["token", "revoke", "--id", "abc\u0000"], option: "--id" },
    { label: "demo for 0 minutes", argv: ["demo", "--minutes", "0"], option: "--minutes" },
    { label: "demo for 61 minutes", argv: ["demo", "--minutes", "61"], option: "--minutes" },
    { label: "demo at a URL with a path", argv: ["demo", "--url", "http://127.0.0.1:3000/api"], option: "--url" },
    { label: "demo at a URL that is not http", argv: ["demo", "--url", "ftp://127.0.0.1"], option: "--url" },
  ];

  it.each(REFUSED)("$label: one line naming $option, exit 1, nothing written", async ({ argv, option }) => {
    const before = await counts();
    const openedBefore = opened;
    const { code, out, err } = await run(...argv);
    expect(code).toBe(1);
    expect(out).toEqual([]);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(new RegExp(`^pass: ${option}: [^\\n]+$`));
    expect(opened, "the database is not even opened").toBe(openedBefore);
    expect(await counts()).toEqual(before);
  });

  it("values within the bounds are written as before (trimmed like the API trims them)", async () => {
    const partner = await run("partner", "add", "--slug", "corner", "--name", ` ${"C".repeat(98)} `, "--cutover-hour", "5");
    expect(partner, partner.err.join("\n")).toMatchObject({ code: 0 });
    const row = await ctx.db.selectFrom("partners").selectAll().where("slug", "=", "corner").executeTakeFirstOrThrow();
    expect(row).toMatchObject({ name: "C".repeat(98), cutoverHour: 5 });

    const user = await run(
      "user",
      "add",
      "--partner",
      "corner",
      "--role",
      "operator",
      "--username",
      "u".repeat(64),
      "--password",
      PASSWORD,
    );
    expect(user.code, user.err.join("\n")).toBe(0);

    const token = await run(
      "token",
      "add",
      "--partner",
      "corner",
      "--role",
      "printer",
      "--name",
      "t".repeat(80),
      "--expires-in-days",
      "365",
    );
    expect(token.code, token.err.join("\n")).toBe(0);
    expect(token.out.at(-1)).toMatch(/^pass_/);
  });

  it("the services refuse what the CLI refuses, whoever calls them", async () => {
    const { createPartner } = await import("../lib/menu");
    const { createDeviceToken } = await import("../lib/auth");
    await expect(createPartner({ db: ctx.db, slug: "long", name: "x".repeat(101) })).rejects.toMatchObject({ details: { field: "name" } });
    await expect(createPartner({ db: ctx.db, slug: "nul", name: "a\u0000b" })).rejects.toMatchObject({ details: { field: "name" } });
    const demo = await ctx.db.selectFrom("partners").select("id").where("slug", "=", "demo").executeTakeFirstOrThrow();
    await expect(createDeviceToken({ db: ctx.db, partnerId: demo.id, role: "printer", name: "t".repeat(81) })).rejects.toMatchObject({
      details: { field: "name" },
    });
  });

  it("demo against a server that does not answer: refused at once, its token revoked", async () => {
    const before = await ctx.db.selectFrom("orders").select("id").execute();
    const { code, err } = await run("demo", "--minutes", "1", "--url", "http://127.0.0.1:9");
    expect(code).toBe(1);
    expect(err.join("\n")).toContain("no Pass server answers at http://127.0.0.1:9");
    const tokens = await ctx.db.selectFrom("deviceTokens").selectAll().where("name", "=", "demo service (CLI)").execute();
    expect(tokens).toHaveLength(1);
    expect(tokens[0]!.revokedAt).not.toBeNull();
    expect(await ctx.db.selectFrom("orders").select("id").execute()).toHaveLength(before.length);
  });

  it("an unknown command prints the usage and exits 2", async () => {
    const { code, err } = await run("frobnicate");
    expect(code).toBe(2);
    expect(err.join("\n")).toContain("usage: npm run pass");
  });
});
