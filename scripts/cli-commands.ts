/**
 * The commands of `npm run pass -- …` (README "Command line"), apart from the process around
 * them (scripts/cli.ts) so that tests run them on a test database. Every value given on the
 * command line is checked with the bounds the API uses (lib/fields.ts) before anything is
 * opened or written; a refusal is one line `pass: --option: why` and exit code 1.
 */
import fs from "node:fs";
import readline from "node:readline";
import { parseArgs } from "node:util";
import { z } from "zod";
import {
  createDeviceToken,
  createUser,
  disableUser,
  revokeDeviceToken,
  setUserRole,
  type StreamFormat,
  type TokenRole,
  type Principal,
  type UserRole,
} from "../lib/auth";
import { ConfigError } from "../lib/config";
import type { Db } from "../lib/db";
import { AppError } from "../lib/errors";
import { BOUNDS, key, name, parseField, partnerName, password as passwordSchema, text, tokenName, username } from "../lib/fields";
import { createPartner, exportMenu, findPartnerBySlug, importMenu, MenuFileInvalid } from "../lib/menu";
import { createPrinter, deletePrinter, findPrinterByName, listPrinters, type PrinterDto } from "../lib/printing";

export const USAGE = `usage: npm run pass -- <command>
  partner add --slug s --name n [--timezone Area/City] [--cutover-hour 4]
  user add --partner s --role operator|kitchen|admin --username u   (password from stdin; --password p also works but is visible to other users)
  user disable --username u
  user role --username u --role operator|kitchen|admin
  token add --partner s --role operator|kitchen|printer|display|integration [--channels printer,display] [--name n] [--expires-in-days d] [--format named|message]
  token revoke --id i
  printer add --partner s --name grill --host h [--port 9100] --stations grill,fryer [--receipt] [--backup NAME] [--paper-width 58|80] [--code-page auto|cp858] [--buzzer]
  printer list --partner s
  printer remove --partner s --name grill
  menu export --partner s                  (the menu as JSON on stdout; docs/contracts.md "Menu file")
  menu import FILE.json --partner s        (replaces the partner's menu; every error with its JSON path, nothing written on any)
  migrate`;

type Options = Record<string, string | boolean | undefined>;

export type CliIo = {
  /** Standard output: what a script reads (the new token alone on the last line). */
  out: (line: string) => void;
  /** Standard error: warnings and the one line of a refusal. */
  err: (line: string) => void;
  /** Where `user add` reads the password when `--password` is not given. */
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
};

/** The database a command works on, opened only once its options are valid. */
export type OpenDb = () => Promise<{ db: Db; destroy: () => Promise<void> }>;

const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,6}$/, "must be a whole number")
    .transform(Number)
    .refine((n) => n >= min && n <= max, `must be ${min}–${max}`);

/**
 * Every option with the bounds of the API (lib/fields.ts). `--name` is a partner's name for
 * `partner add` and a device's for `token add`.
 */
const OPTION_SCHEMAS: Record<string, z.ZodType> = {
  slug: key(BOUNDS.key),
  partner: key(BOUNDS.key),
  timezone: key(BOUNDS.timezone),
  "cutover-hour": wholeNumber(0, 23),
  role: key(32),
  username,
  password: passwordSchema,
  channels: text(200),
  "expires-in-days": wholeNumber(1, 36_500),
  id: key(BOUNDS.key),
  format: key(32),
  host: key(253),
  port: wholeNumber(1, 65_535),
  stations: text(500),
  backup: name(64),
  "paper-width": wholeNumber(58, 80),
  "code-page": key(32),
};
/** Options that take no value. */
const FLAGS = ["receipt", "buzzer"] as const;
const NAME_SCHEMAS: Record<string, z.ZodType> = {
  "partner add": partnerName,
  "token add": tokenName,
  "printer add": name(64),
  "printer remove": name(64),
};

/** The CLI acts as the machine's owner: the admin of every partner. */
const CLI_PRINCIPAL: Principal = { kind: "user", userId: "cli", username: "cli", role: "admin", partnerId: null };

function checkOptions(command: string, given: Options): Record<string, unknown> {
  const checked: Record<string, unknown> = {};
  for (const [option, value] of Object.entries(given)) {
    if (value === undefined) continue;
    if (typeof value === "boolean") {
      checked[option] = value;
      continue;
    }
    const schema = option === "name" ? (NAME_SCHEMAS[command] ?? tokenName) : OPTION_SCHEMAS[option];
    checked[option] = schema ? parseField(schema, `--${option}`, value) : value;
  }
  return checked;
}

function required<T = string>(o: Record<string, unknown>, name: string): T {
  const v = o[name];
  if (v === undefined) throw new AppError(400, "USAGE", `--${name} is required`);
  return v as T;
}

async function partnerId(db: Db, slug: unknown): Promise<string> {
  if (typeof slug !== "string") throw new AppError(400, "USAGE", "--partner is required");
  const partner = await findPartnerBySlug({ db, slug });
  if (!partner) throw new AppError(404, "NOT_FOUND", `no partner '${slug}'`);
  return partner.id;
}

/**
 * The new user's password: read from stdin (one line; typed without echo on a terminal), so it is
 * not in argv where other users of the machine can see it (`ps`). `--password` still works for
 * scripts, with a warning.
 */
async function readPassword(o: Record<string, unknown>, io: CliIo): Promise<string> {
  if (typeof o.password === "string") {
    io.err("pass: warning: --password is visible to other users of this machine (ps, /proc); pipe it on stdin instead");
    return o.password;
  }
  const input = io.stdin ?? process.stdin;
  const tty = input.isTTY === true;
  const rl = readline.createInterface({ input, output: tty ? process.stderr : undefined, terminal: tty });
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
    return parseField(passwordSchema, "password", line.replace(/\r$/, ""));
  } finally {
    rl.close();
  }
}

/** `args`: the positionals after the command's words (`menu import FILE.json`). */
type Command = (db: Db, o: Record<string, unknown>, io: CliIo, args: readonly string[]) => Promise<void>;

const COMMANDS: Record<string, Command> = {
  "partner add": async (db, o, io) => {
    const p = await createPartner({
      db,
      slug: required(o, "slug"),
      name: required(o, "name"),
      timezone: (o.timezone as string | undefined) ?? "UTC",
      cutoverHour: (o["cutover-hour"] as number | undefined) ?? 4,
    });
    io.out(`partner ${p.slug} (${p.name}) created, id ${p.id}`);
  },
  "user add": async (db, o, io) => {
    const role = required<UserRole>(o, "role");
    const u = await createUser({
      db,
      partnerId: role === "admin" ? null : await partnerId(db, o.partner),
      role,
      username: required(o, "username"),
      password: await readPassword(o, io),
    });
    io.out(`user ${u.username} (${u.role}) created, id ${u.id}`);
  },
  // Both end the user's open streams and sockets on every node (lib/auth/revocation.ts).
  "user disable": async (db, o, io) => {
    const username = required(o, "username");
    await disableUser({ db, username });
    io.out(`user ${username} disabled; their sessions ended`);
  },
  "user role": async (db, o, io) => {
    const username = required(o, "username");
    const role = required<UserRole>(o, "role");
    await setUserRole({ db, username, role });
    io.out(`user ${username} is now ${role}`);
  },
  "token add": async (db, o, io) => {
    const days = o["expires-in-days"] as number | undefined;
    const t = await createDeviceToken({
      db,
      partnerId: await partnerId(db, o.partner),
      role: required<TokenRole>(o, "role"),
      channels: (o.channels as string | undefined)
        ?.split(",")
        .map((c) => c.trim())
        .filter(Boolean),
      name: o.name as string | undefined,
      expiresAt: days === undefined ? null : new Date(Date.now() + days * 86_400_000).toISOString(),
      streamFormat: ((o.format as string | undefined) ?? "named") as StreamFormat,
    });
    io.out(`token ${t.id} (${t.name}, role ${t.role}, channels ${t.channels.join(",")}) created; it is shown only once:`);
    io.out(t.token);
  },
  "token revoke": async (db, o, io) => {
    const id = required(o, "id");
    if (!(await revokeDeviceToken({ db, id }))) throw new AppError(404, "NOT_FOUND", `no active token ${id}`);
    io.out(`token ${id} revoked`);
  },
  "printer add": async (db, o, io) => {
    const slug = required<string>(o, "partner");
    const p = await createPrinter({
      db,
      principal: CLI_PRINCIPAL,
      input: {
        partner: slug,
        name: required(o, "name"),
        host: required(o, "host"),
        port: o.port as number | undefined,
        stations: ((o.stations as string | undefined) ?? "")
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean),
        receipt: o.receipt === true,
        buzzer: o.buzzer === true,
        backup: (o.backup as string | undefined) ?? null,
        paperWidth: o["paper-width"] as number | undefined,
        codePage: o["code-page"] as string | undefined,
      },
    });
    io.out(`printer ${p.name} (${p.host}:${p.port}, ${p.paperWidth} mm) added for ${slug}, id ${p.id}: ${describePrinter(p)}`);
  },
  "printer list": async (db, o, io) => {
    const printers = await listPrinters({ db, principal: CLI_PRINCIPAL, partner: required(o, "partner") });
    if (!printers.length) io.out("no printers");
    for (const p of printers) io.out(`${p.name}\t${p.host}:${p.port}\t${describePrinter(p)}\t${p.status.label}`);
  },
  "printer remove": async (db, o, io) => {
    const partner = await partnerId(db, o.partner);
    const name = required<string>(o, "name");
    const row = await findPrinterByName({ db, partnerId: partner, name });
    if (!row) throw new AppError(404, "NOT_FOUND", `no printer '${name}'`);
    await deletePrinter({ db, principal: CLI_PRINCIPAL, id: row.id });
    io.out(`printer ${name} removed`);
  },
  "menu export": async (db, o, io) => {
    const menu = await exportMenu(db, await partnerId(db, o.partner));
    io.out(JSON.stringify(menu, null, 2));
  },
  "menu import": async (db, o, io, args) => {
    const slug = required<string>(o, "partner");
    const json = readMenuFile(args);
    const s = await importMenu(db, null, slug, json);
    io.out(
      `menu of ${s.partner} imported: ${s.categories} categories, ${s.foods} foods, ${s.modifierGroups} modifier groups (${s.options} options), ` +
        `stations ${s.stations.created} created, ${s.stations.updated} updated; archived ${s.archived.foods} foods, ` +
        `${s.archived.categories} categories, ${s.archived.modifierGroups} groups of the old menu`,
    );
  },
  migrate: async (_db, _o, io) => {
    io.out("migrations applied");
  },
};

function describePrinter(p: PrinterDto): string {
  const what =
    [p.stations.length ? `stations ${p.stations.join(",")}` : null, p.receipt ? "receipt" : null].filter(Boolean).join(" + ") ||
    "nothing routed";
  return `${what}${p.backup ? `, backup ${p.backup}` : ""}${p.enabled ? "" : " (disabled)"}`;
}

function readMenuFile(args: readonly string[]): unknown {
  const file = args[0];
  if (!file || args.length > 1) throw new AppError(400, "USAGE", "menu import takes one FILE.json");
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new AppError(400, "USAGE", `${file}: ${oneLine((err as Error).message)}`);
  }
}

/** Commands that take positionals after their words; any other extra word is refused. */
const TAKES_ARGS = new Set(["menu import"]);

const OPTION_NAMES = ["name", ...Object.keys(OPTION_SCHEMAS)];

/** Runs one command line; returns the exit code (0 done, 1 refused or failed, 2 no such command). */
export async function runCli(argv: readonly string[], { open, io }: { open: OpenDb; io: CliIo }): Promise<number> {
  let handle: Awaited<ReturnType<OpenDb>> | undefined;
  try {
    const { positionals, values } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        ...Object.fromEntries(OPTION_NAMES.map((n) => [n, { type: "string" as const }])),
        ...Object.fromEntries(FLAGS.map((n) => [n, { type: "boolean" as const }])),
      },
    });
    const two = positionals.slice(0, 2).join(" ");
    const command = COMMANDS[two] ? two : (positionals[0] ?? "");
    const run = COMMANDS[command];
    if (!run) {
      io.err(USAGE);
      return 2;
    }
    const options = checkOptions(command, values as Options);
    const args = positionals.slice(command.split(" ").length);
    if (args.length > 0 && !TAKES_ARGS.has(command)) throw new AppError(400, "USAGE", `unexpected argument '${args[0]}'`);
    if (command === "menu import") readMenuFile(args); // a missing or unreadable file is refused before opening anything
    handle = await open();
    await run(handle.db, options, io, args);
    return 0;
  } catch (err) {
    if (err instanceof MenuFileInvalid) {
      io.err(`pass: the menu file has ${err.errors.length} error(s), nothing was imported:`);
      for (const e of err.errors) io.err(`  ${e.path}: ${oneLine(e.message)}`);
    } else if (err instanceof ConfigError || err instanceof AppError) io.err(`pass: ${oneLine(err.message)}`);
    else if (err instanceof TypeError && /Unknown option|Unexpected argument|argument missing/.test(err.message))
      io.err(`pass: ${oneLine(err.message)}\n${USAGE}`);
    else io.err(`pass: ${oneLine(err instanceof Error ? err.message : String(err))}`);
    return 1;
  } finally {
    await handle?.destroy();
  }
}

/** A refusal stays on one line whatever the value held. */
function oneLine(message: string): string {
  return message.replace(/[\r\n]+/g, " ");
}
