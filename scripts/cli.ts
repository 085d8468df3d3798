/**
 * `npm run pass -- <command>`: the operator's CLI (README "Command line"). Same configuration as the server;
 * works whether the server runs or not (SQLite allows both processes; PostgreSQL anyway).
 */
import fs from "node:fs";
import readline from "node:readline";
import { parseArgs } from "node:util";
import { ConfigError, loadConfig, setConfig } from "../lib/config";
import { openAndPrepare } from "../lib/bootstrap";
import {
  createDeviceToken,
  createUser,
  disableUser,
  revokeDeviceToken,
  setUserRole,
  type StreamFormat,
  type TokenRole,
  type UserRole,
} from "../lib/auth";
import { createPartner, exportMenu, findPartnerBySlug, importMenu, MenuFileInvalid } from "../lib/menu";
import { AppError } from "../lib/errors";
import type { Db } from "../lib/db";

const USAGE = `usage: npm run pass -- <command>
  partner add --slug s --name n [--timezone Area/City] [--cutover-hour 4]
  user add --partner s --role operator|kitchen|admin --username u   (password from stdin; --password p also works but is visible to other users)
  user disable --username u
  user role --username u --role operator|kitchen|admin
  token add --partner s --role operator|kitchen|printer|display|integration [--channels printer,display] [--name n] [--expires-in-days d] [--format named|message]
  token revoke --id i
  menu export --partner s                  (the menu as JSON on stdout; docs/contracts.md "Menu file")
  menu import FILE.json --partner s        (replaces the partner's menu; every error with its JSON path, nothing written on any)
  migrate`;

type Options = Record<string, string | undefined>;

async function partnerId(db: Db, slug: string | undefined): Promise<string> {
  if (!slug) throw new AppError(400, "USAGE", "--partner is required");
  const partner = await findPartnerBySlug({ db, slug });
  if (!partner) throw new AppError(404, "NOT_FOUND", `no partner '${slug}'`);
  return partner.id;
}

function required(o: Options, name: string): string {
  const v = o[name];
  if (!v) throw new AppError(400, "USAGE", `--${name} is required`);
  return v;
}

/**
 * The new user's password: read from stdin (one line; typed without echo on a terminal), so it is
 * not in argv where other users of the machine can see it (`ps`). `--password` still works for
 * scripts, with a warning.
 */
async function readPassword(o: Options): Promise<string> {
  if (o.password !== undefined) {
    console.error("pass: warning: --password is visible to other users of this machine (ps, /proc); pipe it on stdin instead");
    return o.password;
  }
  const tty = process.stdin.isTTY === true;
  const rl = readline.createInterface({ input: process.stdin, output: tty ? process.stderr : undefined, terminal: tty });
  if (tty) {
    process.stderr.write("password: ");
    // Do not echo what is typed.
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => {};
  }
  try {
    const line: string | undefined = await new Promise((resolve) => {
      rl.once("line", resolve);
      rl.once("close", () => resolve(undefined));
    });
    if (tty) process.stderr.write("\n");
    if (!line) throw new AppError(400, "USAGE", "no password: pipe it on stdin (or pass --password)");
    return line.replace(/\r$/, "");
  } finally {
    rl.close();
  }
}

const COMMANDS: Record<string, (db: Db, o: Options, args: string[]) => Promise<void>> = {
  "partner add": async (db, o) => {
    const p = await createPartner({
      db,
      slug: required(o, "slug"),
      name: required(o, "name"),
      timezone: o.timezone ?? "UTC",
      cutoverHour: o["cutover-hour"] === undefined ? 4 : Number(o["cutover-hour"]),
    });
    console.log(`partner ${p.slug} (${p.name}) created, id ${p.id}`);
  },
  "user add": async (db, o) => {
    const role = required(o, "role") as UserRole;
    const u = await createUser({
      db,
      partnerId: role === "admin" ? null : await partnerId(db, o.partner),
      role,
      username: required(o, "username"),
      password: await readPassword(o),
    });
    console.log(`user ${u.username} (${u.role}) created, id ${u.id}`);
  },
  // Both end the user's open streams and sockets on every node (lib/auth/revocation.ts).
  "user disable": async (db, o) => {
    const username = required(o, "username");
    await disableUser({ db, username });
    console.log(`user ${username} disabled; their sessions ended`);
  },
  "user role": async (db, o) => {
    const username = required(o, "username");
    const role = required(o, "role") as UserRole;
    await setUserRole({ db, username, role });
    console.log(`user ${username} is now ${role}`);
  },
  "token add": async (db, o) => {
    const days = o["expires-in-days"] === undefined ? null : Number(o["expires-in-days"]);
    if (days !== null && !(days > 0)) throw new AppError(400, "USAGE", "--expires-in-days must be a positive number");
    const t = await createDeviceToken({
      db,
      partnerId: await partnerId(db, o.partner),
      role: required(o, "role") as TokenRole,
      channels: o.channels
        ?.split(",")
        .map((c) => c.trim())
        .filter(Boolean),
      name: o.name,
      expiresAt: days === null ? null : new Date(Date.now() + days * 86_400_000).toISOString(),
      streamFormat: (o.format ?? "named") as StreamFormat,
    });
    console.log(`token ${t.id} (${t.name}, role ${t.role}, channels ${t.channels.join(",")}) created; it is shown only once:`);
    console.log(t.token);
  },
  "token revoke": async (db, o) => {
    const id = required(o, "id");
    if (!(await revokeDeviceToken({ db, id }))) throw new AppError(404, "NOT_FOUND", `no active token ${id}`);
    console.log(`token ${id} revoked`);
  },
  "menu export": async (db, o) => {
    const menu = await exportMenu(db, await partnerId(db, o.partner));
    process.stdout.write(`${JSON.stringify(menu, null, 2)}\n`);
  },
  "menu import": async (db, o, args) => {
    const file = args[0];
    if (!file || args.length > 1) throw new AppError(400, "USAGE", "menu import takes one FILE.json");
    const slug = required(o, "partner");
    let json: unknown;
    try {
      json = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (err) {
      throw new AppError(400, "USAGE", `${file}: ${(err as Error).message}`);
    }
    const s = await importMenu(db, null, slug, json);
    console.log(
      `menu of ${s.partner} imported: ${s.categories} categories, ${s.foods} foods, ${s.modifierGroups} modifier groups (${s.options} options), ` +
        `stations ${s.stations.created} created, ${s.stations.updated} updated; archived ${s.archived.foods} foods, ` +
        `${s.archived.categories} categories, ${s.archived.modifierGroups} groups of the old menu`,
    );
  },
  migrate: async () => {
    console.log("migrations applied");
  },
};

async function main() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    strict: true,
    options: Object.fromEntries(
      [
        "slug",
        "name",
        "timezone",
        "cutover-hour",
        "partner",
        "role",
        "username",
        "password",
        "channels",
        "expires-in-days",
        "id",
        "format",
      ].map((n) => [n, { type: "string" as const }]),
    ),
  });
  const command = COMMANDS[positionals.slice(0, 2).join(" ")] ? positionals.slice(0, 2).join(" ") : (positionals[0] ?? "");
  const run = COMMANDS[command];
  if (!run) {
    console.error(USAGE);
    process.exit(2);
  }
  const config = loadConfig();
  setConfig(config);
  const handle = await openAndPrepare({ config, log: (line) => console.error(line) });
  try {
    await run(handle.db, values as Options, positionals.slice(command.split(" ").length));
  } finally {
    await handle.destroy();
  }
}

main().catch((err) => {
  if (err instanceof MenuFileInvalid) {
    console.error(`pass: the menu file has ${err.errors.length} error(s), nothing was imported:`);
    for (const e of err.errors) console.error(`  ${e.path}: ${e.message}`);
  } else if (err instanceof ConfigError || err instanceof AppError) console.error(`pass: ${err.message}`);
  else if (err instanceof TypeError && /Unknown option|Unexpected argument/.test(err.message))
    console.error(`pass: ${err.message}\n${USAGE}`);
  else console.error("pass:", err instanceof Error ? err.message : err);
  process.exit(1);
});
