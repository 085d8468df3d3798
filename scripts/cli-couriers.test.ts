/** `npm run pass -- courier add / list / set / link` on each database: E.164 phones, refusals as one line naming the option. */
import { beforeAll, expect, it } from "vitest";
import { resolvePrincipal } from "../lib/auth";
import { describeEachDatabase } from "../lib/testing/each-database";
import { makePartner } from "../lib/testing/fixtures";
import { runCli } from "./cli-commands";

describeEachDatabase("CLI couriers", (ctx) => {
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
    await makePartner(ctx.db, "riders");
  });

  it("adds a courier, lists them, makes them available, issues their phone's link", async () => {
    const added = await run("courier", "add", "--partner", "riders", "--name", "Sam", "--phone", "+44 20 7946 0958");
    expect(added.code).toBe(0);
    const id = /^courier (\S+) Sam \+442079460958 added$/.exec(added.out[0]!)![1]!;
    expect((await run("courier", "list", "--partner", "riders")).out).toEqual([`${id}  Sam  +442079460958  not available  no phone`]);
    expect((await run("courier", "set", "--id", id, "--available", "yes")).out).toEqual([`courier ${id} Sam +442079460958 available`]);
    const link = await run("courier", "link", "--id", id);
    expect(link.code).toBe(0);
    const token = /^\/courier#token=(\S+)$/.exec(link.out[1]!)![1]!;
    expect((await resolvePrincipal({ db: ctx.db, authorization: `Bearer ${token}` }))!.principal).toMatchObject({ role: "courier" });
    expect((await run("courier", "list", "--partner", "riders")).out[0]).toContain("available  signed in");
  });

  it("refuses a bad phone, a bad yes/no and an unknown courier, writing nothing", async () => {
    const bad = await run("courier", "add", "--partner", "riders", "--name", "Bo", "--phone", "123");
    expect(bad.code).not.toBe(0);
    expect(bad.err.join("\n")).toMatch(/phone/);
    const yes = await run("courier", "add", "--partner", "riders", "--name", "Bo", "--phone", "+44 20 7946 0959", "--available", "maybe");
    expect(yes.code).not.toBe(0);
    expect(yes.err.join("\n")).toMatch(/--available/);
    const unknown = await run("courier", "set", "--id", "nope", "--active", "no");
    expect(unknown.code).not.toBe(0);
    expect(unknown.err.join("\n")).toMatch(/courier/);
    expect((await run("courier", "list", "--partner", "riders")).out).toHaveLength(1);
  });
});
