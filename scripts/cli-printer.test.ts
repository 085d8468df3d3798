/**
 * `npm run pass -- printer add|list|remove` (issue "Network printers" item 1) on SQLite and
 * PostgreSQL: the printer is stored as the API stores it, a bad value is one line naming the
 * option with nothing written.
 */
import { beforeAll, expect, it } from "vitest";
import { describeEachDatabase } from "../lib/testing/each-database";
import { makePartner } from "../lib/testing/fixtures";
import { runCli } from "./cli-commands";

describeEachDatabase("CLI printers", (ctx) => {
  const run = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, {
      open: async () => ({ db: ctx.db, destroy: async () => {} }),
      io: { out: (l) => out.push(l), err: (l) => err.push(l) },
    });
    return { code, out, err };
  };
  const printers = () => ctx.db.selectFrom("printers").selectAll().orderBy("name").execute();

  beforeAll(async () => {
    await makePartner(ctx.db, "s");
  });

  it("adds, lists and removes printers", async () => {
    expect((await run("printer", "add", "--partner", "s", "--name", "spare", "--host", "10.0.0.8", "--stations", "oven")).code).toBe(0);
    const added = await run(
      "printer",
      "add",
      "--partner",
      "s",
      "--name",
      "grill",
      "--host",
      "10.0.0.7",
      "--port",
      "9100",
      "--stations",
      "oven,fryer",
      "--receipt",
      "--backup",
      "spare",
    );
    expect(added).toMatchObject({ code: 0, err: [] });
    expect(added.out[0]).toMatch(
      /^printer grill \(10\.0\.0\.7:9100, 80 mm\) added for s, id \w+: stations oven,fryer \+ receipt, backup spare$/,
    );
    const rows = await printers();
    expect(
      rows.map((r) => [r.name, JSON.parse(r.stations), r.receipt, r.backupPrinterId === rows.find((x) => x.name === "spare")!.id]),
    ).toEqual([
      ["grill", ["oven", "fryer"], 1, true],
      ["spare", ["oven"], 0, false],
    ]);
    const listed = await run("printer", "list", "--partner", "s");
    expect(listed.out).toEqual([
      "grill\t10.0.0.7:9100\tstations oven,fryer + receipt, backup spare\tNot checked yet",
      "spare\t10.0.0.8:9100\tstations oven\tNot checked yet",
    ]);
    expect(await run("printer", "remove", "--partner", "s", "--name", "spare")).toMatchObject({ code: 0, out: ["printer spare removed"] });
    expect((await printers()).map((r) => [r.name, r.backupPrinterId])).toEqual([["grill", null]]);
    expect(await run("printer", "remove", "--partner", "s", "--name", "spare")).toMatchObject({
      code: 1,
      err: ["pass: no printer 'spare'"],
    });
  });

  it.each([
    [["--port", "70000"], "pass: --port: must be 1–65535"],
    [["--port", "91OO"], "pass: --port: must be a whole number"],
    [["--host", "bad host"], "pass: host: must be a host name or an IP address"],
    [["--stations", "grill"], "pass: stations: no station 'grill' in this restaurant"],
    [["--backup", "nobody"], "pass: backup: no printer named 'nobody'"],
    [["--name", "a\u0000b"], "pass: --name: must not contain control characters or line breaks"],
  ])("refuses %j with one line, writing nothing", async (bad, message) => {
    const before = (await printers()).length;
    const argv = ["printer", "add", "--partner", "s", "--name", "p1", "--host", "10.0.0.9", "--stations", "oven"];
    for (let i = 0; i < bad.length; i += 2) {
      const at = argv.indexOf(bad[i]!);
      if (at >= 0) argv.splice(at, 2, bad[i]!, bad[i + 1]!);
      else argv.push(bad[i]!, bad[i + 1]!);
    }
    const r = await run(...argv);
    expect(r).toMatchObject({ code: 1, err: [message] });
    expect((await printers()).length).toBe(before);
  });
});
