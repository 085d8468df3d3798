/** `npm run pass -- webhook add / list / remove` on each database: the secret once, refusals as one line. */
import { beforeAll, expect, it } from "vitest";
import { describeEachDatabase } from "../lib/testing/each-database";
import { makePartner } from "../lib/testing/fixtures";
import { runCli } from "./cli-commands";

describeEachDatabase("CLI webhooks", (ctx) => {
  const run = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, {
      open: async () => ({ db: ctx.db, destroy: async () => {} }),
      io: { out: (l) => out.push(l), err: (l) => err.push(l) },
    });
    return { code, out, err };
  };

  beforeAll(async () => {
    await makePartner(ctx.db, "hooks");
  });

  it("adds a webhook (secret shown once), lists it and removes it", async () => {
    const added = await run(
      "webhook",
      "add",
      "--partner",
      "hooks",
      "--url",
      "https://hooks.example.com/pass",
      "--events",
      "order.created,order.status",
    );
    expect(added.code).toBe(0);
    expect(added.out[1]).toMatch(/^whsec_/);
    const id = /^webhook (\S+) /.exec(added.out[0]!)![1]!;
    const listed = await run("webhook", "list", "--partner", "hooks");
    expect(listed.out).toEqual([expect.stringContaining(`${id}  https://hooks.example.com/pass  order.created,order.status`)]);
    expect(listed.out.join("\n")).not.toContain("whsec_");
    expect((await run("webhook", "remove", "--partner", "hooks", "--id", id)).code).toBe(0);
    expect((await run("webhook", "list", "--partner", "hooks")).out).toEqual(["no webhooks"]);
    expect(await run("webhook", "remove", "--partner", "hooks", "--id", id)).toMatchObject({ code: 1, err: ["pass: webhook not found"] });
  });

  it("refuses a URL that is not http(s), an unknown event and an unknown partner, writing nothing", async () => {
    for (const [argv, message] of [
      [["--partner", "hooks", "--url", "ftp://x.example.com/"], "url: must be an http(s) URL"],
      [["--partner", "hooks", "--url", "https://x.example.com/", "--events", "order.location"], "events.0: unknown event"],
      [["--partner", "nope", "--url", "https://x.example.com/"], "partner not found"],
      [["--partner", "hooks", "--url", "https://x.example.com/\u0000"], "--url"],
    ] as const) {
      const res = await run("webhook", "add", ...argv);
      expect(res.code, argv.join(" ")).toBe(1);
      expect(res.err.join("\n")).toContain(message);
    }
    expect(await ctx.db.selectFrom("webhooks").select("id").where("removedAt", "is", null).execute()).toEqual([]);
  });
});
