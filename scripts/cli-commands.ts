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
import { ConfigError, getConfig } from "../lib/config";
import type { Db } from "../lib/db";
import { AppError } from "../lib/errors";
import { BOUNDS, key, name, parseField, partnerName, password as passwordSchema, text, tokenName, username } from "../lib/fields";
import { createPartner, exportMenu, findPartnerBySlug, importMenu, MenuFileInvalid } from "../lib/menu";
import { createPrinter, deletePrinter, findPrinterByName, listPrinters, type PrinterDto } from "../lib/printing";
import { DEMO_MINUTES, DEMO_PARTNER, ownBaseUrl } from "../lib/demo/runner";
import { httpDemoApi, runDemo } from "../lib/demo/service";
import { updatePartnerProfile } from "../lib/orders/partner-profile";
import { createWebhook, listWebhooks, removeWebhook } from "../lib/notifications";
import { createCourier, issueCourierToken, listCouriers, updateCourier } from "../lib/orders/couriers";
import { backup, restore, type BackupTarget } from "../lib/backup";

export const USAGE = `usage: npm run pass -- <command>
  partner add --slug s --name n [--timezone Area/City] [--cutover-hour 4]
  partner set --slug s [--name n] [--timezone Area/City] [--cutover-hour 4] [--currency EUR] [--locale fr-FR] [--image-url u]
              [--kitchen-ack-seconds 60] [--default-payment CASH|CARD|OTHER] [--auto-confirm-sources kiosk,qr]
              [--auto-confirm-seconds 30] [--auto-cancel-minutes 15] [--expo-confirms yes|no] [--tables "1,2,Terrace 3"]
              [--address "1 rue de la Paix, Paris"] [--tax-id FR123] [--tax-rates "TVA=10"] (invoices; "TVA=10,Service=5.5": several)
              (a number option set to "none" clears it: the process default / never)
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
  demo [--minutes 10] [--url http://127.0.0.1:3000]   (lunch-rush orders on the demo restaurant through the running server's API)
  webhook add --partner s --url https://… [--events order.created,order.status]   (the signing secret is shown once)
  webhook list --partner s
  webhook remove --partner s --id i
  courier add --partner s --name n --phone "+44 20 7946 0958" [--available yes|no]
  courier list --partner s
  courier set --id i [--name n] [--phone p] [--available yes|no] [--active yes|no]   (--active no also signs their phone out)
  courier link --id i   (a new /courier sign-in link for their phone, shown once; the previous one stops working)
  backup FILE                              (SQLite: an online copy while the server serves; PostgreSQL: pg_dump --format=custom)
  restore FILE                             (the server must be stopped; the log gets a new epoch; docs/operations.md#backups)
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

/** A server's origin for `demo --url`: http(s), a host, an optional port, nothing after. */
const origin = z
  .string()
  .max(200, "at most 200 characters")
  .regex(/^https?:\/\/[^/\s?#]+\/?$/, "must be an origin like http://127.0.0.1:3000")
  .transform((u) => u.replace(/\/$/, ""));

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
  minutes: wholeNumber(DEMO_MINUTES.min, DEMO_MINUTES.max),
  url: origin,
  // partner set (lib/orders/partner-profile.ts checks the values themselves, as for the API)
  currency: key(3),
  locale: key(35),
  "image-url": text(500),
  "kitchen-ack-seconds": key(8),
  "default-payment": key(16),
  "auto-confirm-sources": text(200),
  "auto-confirm-seconds": key(8),
  "auto-cancel-minutes": key(8),
  "expo-confirms": key(3),
  tables: text(5000),
  address: text(500),
  "tax-id": text(100),
  "tax-rates": text(500),
  events: text(500),
  phone: text(32),
  available: key(3),
  active: key(3),
};
/** Options that take no value. */
const FLAGS = ["receipt", "buzzer"] as const;
const NAME_SCHEMAS: Record<string, z.ZodType> = {
  "partner add": partnerName,
  "partner set": partnerName,
  "token add": tokenName,
  "printer add": name(64),
  "printer remove": name(64),
  "courier add": name(BOUNDS.courierName),
  "courier set": name(BOUNDS.courierName),
};

/** The CLI acts as the machine's owner: the admin of every partner. */
const CLI_PRINCIPAL: Principal = { kind: "user", userId: "cli", username: "cli", role: "admin", partnerId: null };

/** `--auto-cancel-minutes 15` → 15, `none` → null (cleared); anything else is refused naming the option. */
function numberOrNone(o: Record<string, unknown>, option: string): number | null | undefined {
  const v = o[option];
  if (v === undefined) return undefined;
  if (v === "none") return null;
  if (typeof v !== "string" || !/^\d{1,7}$/.test(v)) throw new AppError(400, "USAGE", `--${option}: must be a whole number or 'none'`);
  return Number(v);
}

const list = (v: unknown) =>
  typeof v === "string"
    ? v
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean)
    : undefined;

/** The CLI's option names for the profile's fields (a refusal from the lib names the field; we name the option). */
const PROFILE_OPTIONS: Record<string, string> = {
  name: "name",
  timezone: "timezone",
  cutoverHour: "cutover-hour",
  currency: "currency",
  locale: "locale",
  imageUrl: "image-url",
  kitchenAckSeconds: "kitchen-ack-seconds",
  defaultPaymentMethod: "default-payment",
  autoConfirmSources: "auto-confirm-sources",
  autoConfirmSeconds: "auto-confirm-seconds",
  autoCancelMinutes: "auto-cancel-minutes",
  expoConfirms: "expo-confirms",
  tables: "tables",
  address: "address",
  taxId: "tax-id",
  taxRates: "tax-rates",
};

/** `--tax-rates "TVA=10,Service=5.5"` → [{ name, percent }]; `none` → [] (no tax lines). */
function taxRatesOption(v: unknown): { name: string; percent: number }[] | undefined {
  if (v === undefined) return undefined;
  if (v === "none") return [];
  return String(v)
    .split(",")
    .map((pair) => {
      const m = /^\s*([^=]+?)\s*=\s*(\d{1,3}(?:\.\d+)?)\s*%?\s*$/.exec(pair);
      if (!m) throw new AppError(400, "USAGE", `--tax-rates: '${pair.trim()}' is not NAME=PERCENT (e.g. TVA=10)`);
      return { name: m[1]!, percent: Number(m[2]) };
    });
}

/** Options whose meaning depends on the command: `demo --url` is a server's origin, a webhook's any http(s) URL. */
const COMMAND_OPTION_SCHEMAS: Record<string, Record<string, z.ZodType>> = { "webhook add": { url: text(2000) } };

function checkOptions(command: string, given: Options): Record<string, unknown> {
  const checked: Record<string, unknown> = {};
  for (const [option, value] of Object.entries(given)) {
    if (value === undefined) continue;
    if (typeof value === "boolean") {
      checked[option] = value;
      continue;
    }
    const schema =
      option === "name"
        ? (NAME_SCHEMAS[command] ?? tokenName)
        : ((COMMAND_OPTION_SCHEMAS[command]?.[option] ?? OPTION_SCHEMAS[option]) as z.ZodType | undefined);
    checked[option] = schema ? parseField(schema, `--${option}`, value) : value;
  }
  return checked;
}

/** `--available yes|no` → boolean; absent → undefined. */
function yesNo(o: Record<string, unknown>, option: string): boolean | undefined {
  const v = o[option];
  if (v === undefined) return undefined;
  if (v !== "yes" && v !== "no") throw new AppError(400, "USAGE", `--${option}: must be yes or no`);
  return v === "yes";
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
  "partner set": async (db, o, io) => {
    const slug = required<string>(o, "slug");
    const expo = o["expo-confirms"];
    if (expo !== undefined && expo !== "yes" && expo !== "no") throw new AppError(400, "USAGE", "--expo-confirms: must be yes or no");
    const patch = {
      name: o.name,
      timezone: o.timezone,
      cutoverHour: o["cutover-hour"],
      currency: o.currency,
      locale: o.locale,
      imageUrl: o["image-url"] === "none" ? null : o["image-url"],
      kitchenAckSeconds: numberOrNone(o, "kitchen-ack-seconds"),
      defaultPaymentMethod: o["default-payment"],
      autoConfirmSources: o["auto-confirm-sources"] === "none" ? [] : list(o["auto-confirm-sources"]),
      autoConfirmSeconds: numberOrNone(o, "auto-confirm-seconds"),
      autoCancelMinutes: numberOrNone(o, "auto-cancel-minutes"),
      expoConfirms: expo === undefined ? undefined : expo === "yes",
      tables: o.tables === "none" ? [] : list(o.tables),
      address: o.address === "none" ? null : o.address,
      taxId: o["tax-id"] === "none" ? null : o["tax-id"],
      taxRates: taxRatesOption(o["tax-rates"]),
    };
    const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    if (Object.keys(defined).length === 0) throw new AppError(400, "USAGE", "partner set: give at least one setting to change");
    try {
      const p = await updatePartnerProfile({ db, principal: null, slug, patch: defined });
      io.out(
        `partner ${p.slug} updated: ${p.name}, ${p.currency} ${p.locale}, ${p.timezone} (cut-over ${p.cutoverHour}:00), ` +
          `auto-confirm ${p.autoConfirmSources.join(",") || "none"}${p.autoConfirmSeconds === null ? "" : ` after ${p.autoConfirmSeconds} s`}, ` +
          `auto-cancel ${p.autoCancelMinutes === null ? "never" : `${p.autoCancelMinutes} min`}`,
      );
    } catch (err) {
      // The lib names its field (`currency`); the command line's user typed `--currency`.
      const field = err instanceof AppError ? String(err.details?.field ?? "") : "";
      const option = PROFILE_OPTIONS[field.split(".")[0]!];
      if (err instanceof AppError && option)
        throw new AppError(err.status, err.code, `--${option}: ${err.message.replace(/^[^:]*: /, "")}`);
      if (err instanceof AppError && field === "partner") throw new AppError(404, "NOT_FOUND", `no partner '${slug}'`);
      throw err;
    }
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
  /**
   * The demo service from the command line: orders through the running server's HTTP API (as a
   * till would) with a device token issued here for the run and revoked at its end; stops by
   * itself after --minutes, or on Ctrl-C.
   */
  demo: async (db, o, io) => {
    const minutes = (o.minutes as number | undefined) ?? DEMO_MINUTES.default;
    const base = (o.url as string | undefined) ?? ownBaseUrl(getConfig());
    const partner = await findPartnerBySlug({ db, slug: DEMO_PARTNER });
    if (!partner) throw new AppError(404, "NOT_FOUND", `no demo restaurant '${DEMO_PARTNER}' (it is created on the first start)`);
    const durationMs = minutes * 60_000;
    const token = await createDeviceToken({
      db,
      partnerId: partner.id,
      role: "operator",
      name: "demo service (CLI)",
      expiresAt: new Date(Date.now() + durationMs + 120_000).toISOString(),
    });
    const stopOnSignal = () => run?.stop();
    let run: ReturnType<typeof runDemo> | undefined;
    try {
      const api = httpDemoApi({ base, token: token.token, partner: DEMO_PARTNER });
      // A server that does not answer is reported at once, not after minutes of failed orders.
      await api.menu().catch((err: Error) => {
        throw new AppError(503, "UNREACHABLE", `no Pass server answers at ${base} (${err.message}); start it with npm start or pass --url`);
      });
      run = runDemo({
        api,
        partner: DEMO_PARTNER,
        durationMs,
        holdProcess: true,
        log: io.err,
        onPlaced: (id, body) =>
          io.out(`order ${id}: ${body.items.length} line(s), ${body.source}, ${body.serviceType}${body.priority ? ", RUSH" : ""}`),
      });
      process.once("SIGINT", stopOnSignal);
      const final = await run.done;
      io.out(`demo service: ${final.placed} orders placed, ${final.confirmed} confirmed (${final.ended})`);
      if (final.ended === "failing") throw new AppError(502, "DEMO_FAILED", `the demo service gave up: ${final.lastError}`);
    } finally {
      process.removeListener("SIGINT", stopOnSignal);
      await revokeDeviceToken({ db, id: token.id });
    }
  },
  "webhook add": async (db, o, io) => {
    const events = (o.events as string | undefined)
      ?.split(",")
      .map((e) => e.trim())
      .filter(Boolean);
    const hook = await createWebhook({
      db,
      principal: null,
      partner: required(o, "partner"),
      input: { url: required(o, "url"), ...(events ? { events } : {}) },
      allowPrivate: getConfig().webhookAllowPrivate,
    });
    io.out(
      `webhook ${hook.id} for ${hook.partner} → ${hook.url} (${hook.events.join(", ")}) created; its signing secret is shown only once:`,
    );
    io.out(hook.secret);
  },
  "webhook list": async (db, o, io) => {
    const hooks = await listWebhooks({ db, principal: null, partner: required(o, "partner") });
    if (hooks.length === 0) io.out("no webhooks");
    for (const h of hooks) io.out(`${h.id}  ${h.url}  ${h.events.join(",")}  since ${h.createdAt}`);
  },
  "webhook remove": async (db, o, io) => {
    const id = required(o, "id");
    await removeWebhook({ db, principal: null, partner: required(o, "partner"), id });
    io.out(`webhook ${id} removed`);
  },
  "courier add": async (db, o, io) => {
    const c = await createCourier({
      db,
      principal: CLI_PRINCIPAL,
      partner: required(o, "partner"),
      input: { name: required(o, "name"), phone: required(o, "phone"), available: yesNo(o, "available") },
    });
    io.out(`courier ${c.id} ${c.name} ${c.phone} added${c.available ? ", available" : ""}`);
  },
  "courier list": async (db, o, io) => {
    const couriers = await listCouriers({ db, principal: CLI_PRINCIPAL, partner: required(o, "partner") });
    if (couriers.length === 0) io.out("no couriers");
    for (const c of couriers)
      io.out(
        `${c.id}  ${c.name}  ${c.phone}  ${c.active ? (c.available ? "available" : "not available") : "inactive"}  ${c.signedIn ? "signed in" : "no phone"}`,
      );
  },
  "courier set": async (db, o, io) => {
    const c = await updateCourier({
      db,
      principal: CLI_PRINCIPAL,
      id: required(o, "id"),
      input: {
        name: o.name as string | undefined,
        phone: o.phone as string | undefined,
        available: yesNo(o, "available"),
        active: yesNo(o, "active"),
      },
    });
    io.out(`courier ${c.id} ${c.name} ${c.phone} ${c.active ? (c.available ? "available" : "not available") : "inactive"}`);
  },
  "courier link": async (db, o, io) => {
    const link = await issueCourierToken({ db, principal: CLI_PRINCIPAL, id: required(o, "id") });
    io.out("open this on the courier's phone (after the server's address); it is shown only once:");
    io.out(link.path);
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

/**
 * Commands that work on the database's files themselves, not through an open connection:
 * `backup FILE` (while the server serves) and `restore FILE` (refused while one does).
 */
const FILE_COMMANDS: Record<string, (target: BackupTarget, file: string, io: CliIo) => Promise<void>> = {
  backup: async (target, file, io) => {
    const done = await backup(target, file);
    io.out(
      `backup of the ${done.dialect} database written to ${done.file} (${done.bytes} bytes, log position ${done.lastEventId}, epoch ${done.epoch})`,
    );
  },
  restore: async (target, file, io) => {
    const done = await restore(target, file);
    if (done.previous) io.out(`the database before the restore is kept at ${done.previous}`);
    io.out(
      `restored ${file} (log position ${done.lastEventId}); new epoch ${done.epoch}: open screens reload their lists when the server is back`,
    );
  },
};

/** Commands that take positionals after their words; any other extra word is refused. */
const TAKES_ARGS = new Set(["menu import", ...Object.keys(FILE_COMMANDS)]);

const OPTION_NAMES = ["name", ...Object.keys(OPTION_SCHEMAS)];

/** Runs one command line; returns the exit code (0 done, 1 refused or failed, 2 no such command). */
export async function runCli(
  argv: readonly string[],
  { open, io, target }: { open: OpenDb; io: CliIo; target?: () => BackupTarget },
): Promise<number> {
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
    const fileCommand = FILE_COMMANDS[command];
    if (fileCommand) {
      const args = positionals.slice(1);
      if (args.length !== 1) throw new AppError(400, "USAGE", `${command} takes one FILE`);
      checkOptions(command, values as Options);
      if (Object.values(values).some((v) => v !== undefined)) throw new AppError(400, "USAGE", `${command} takes no options`);
      const where = target ? target() : (({ dataDir, databaseUrl }) => ({ dataDir, databaseUrl }))(getConfig());
      await fileCommand(where, args[0]!, io);
      return 0;
    }
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
