import "server-only";
import { type CountryCode, parsePhoneNumberFromString } from "libphonenumber-js";
import type { Selectable } from "kysely";
import { canReadChannel, type Principal } from "../auth/access";
import type { CustomersTable, Db } from "../db";
import { ValidationError } from "../errors";
import type { Emit, Trx } from "../events";
import type { CustomerRecord } from "./dto";
import { type CustomerChange, EVENT_PAYLOAD_VERSION } from "./events";

/**
 * A partner's customers (issue "Jobs and notifications" item 4): a guest who gives a phone or an
 * email with an order becomes one, or is matched to the one they already are — by phone first,
 * then by email, only ever within the order's partner (another partner's same phone is another
 * customer). Written in the order's transaction, with `customer.created` / `customer.updated`
 * (seeds/001 `customer_changes`, lib/projections/ws.ts).
 */

/** What the guest said about themselves, checked and normalised before the transaction. */
export type CustomerContact = {
  name: string | null;
  /** E.164. */
  phone: string | null;
  /** Lower-cased. */
  email: string | null;
  /** undefined: not said (a match keeps what it had; a new customer has not consented). */
  marketingConsent: boolean | undefined;
};

// One @, no spaces, a dot in the domain: what a mail server would take, not the whole RFC 5322.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const EMAIL_MAX = 254;

/**
 * The guest's contact from an order body, or null when they gave neither phone nor email.
 * A phone that does not parse (read in the restaurant's country when national) or an email that
 * is not one is a 400 naming the field; nothing has been written yet.
 */
export function customerContact(
  input: { customer?: string | null; customerPhone?: string | null; customerEmail?: string | null; marketingConsent?: boolean },
  { locale }: { locale: string },
): CustomerContact | null {
  const phoneText = input.customerPhone?.trim() || null;
  const emailText = input.customerEmail?.trim() || null;
  let phone: string | null = null;
  if (phoneText) {
    const region = locale.split("-")[1];
    const defaultCountry = region && /^[A-Z]{2}$/.test(region) ? (region as CountryCode) : undefined;
    const parsed = parsePhoneNumberFromString(phoneText, defaultCountry ? { defaultCountry } : undefined);
    if (!parsed?.isValid())
      throw new ValidationError("customerPhone", "is not a valid phone number (use the international form, e.g. +44 20 7946 0958)");
    phone = parsed.number;
  }
  let email: string | null = null;
  if (emailText) {
    if (emailText.length > EMAIL_MAX || !EMAIL.test(emailText)) throw new ValidationError("customerEmail", "is not a valid email address");
    email = emailText.toLowerCase();
  }
  if (!phone && !email) {
    if (input.marketingConsent)
      throw new ValidationError("marketingConsent", "needs a customerPhone or a customerEmail to reach the guest");
    return null;
  }
  return { name: input.customer?.trim() || null, phone, email, marketingConsent: input.marketingConsent };
}

export const toCustomerRecord = (row: Selectable<CustomersTable>): CustomerRecord => ({
  id: Number(row.id),
  partnerId: row.partnerId,
  name: row.name,
  phone: row.phone,
  email: row.email,
  marketingConsent: Boolean(Number(row.marketingConsent)),
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

async function findCustomer(trx: Trx, partnerId: string, contact: CustomerContact) {
  const by = async (column: "phone" | "email", value: string | null) =>
    value === null
      ? undefined
      : trx.selectFrom("customers").selectAll().where("partnerId", "=", partnerId).where(column, "=", value).executeTakeFirst();
  return (await by("phone", contact.phone)) ?? (await by("email", contact.email));
}

/** Whether another customer of the partner already holds this phone or email (it stays theirs). */
async function heldByAnother(trx: Trx, partnerId: string, id: number, column: "phone" | "email", value: string) {
  const row = await trx
    .selectFrom("customers")
    .select("id")
    .where("partnerId", "=", partnerId)
    .where(column, "=", value)
    .where("id", "!=", id)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * The customer an order belongs to, in the order's transaction: matched (phone, then email) and
 * brought up to date — a new name, a changed consent, a phone or email they had not given (unless
 * another customer holds it) — or created. Returns its id for `orders.customerId`.
 */
export async function matchOrCreateCustomer(
  trx: Trx,
  emit: Emit,
  { partnerId, contact, at }: { partnerId: string; contact: CustomerContact; at: string },
): Promise<number> {
  let existing = await findCustomer(trx, partnerId, contact);
  if (!existing) {
    // A concurrent order may insert the same phone or email first: then ours does nothing and matches theirs.
    const inserted = await trx
      .insertInto("customers")
      .values({
        partnerId,
        name: contact.name,
        phone: contact.phone,
        email: contact.email,
        marketingConsent: contact.marketingConsent ? 1 : 0,
        createdAt: at,
        updatedAt: at,
      })
      .onConflict((oc) => oc.doNothing())
      .returningAll()
      .executeTakeFirst();
    if (inserted) {
      const customer = toCustomerRecord(inserted);
      const { id: _id, partnerId: _partner, ...changed } = customer;
      await emitChange(emit, "customer.created", { customer, changed });
      return customer.id;
    }
    existing = await findCustomer(trx, partnerId, contact);
    if (!existing) throw new Error("customer insert conflicted but no customer matches");
  }
  const current = toCustomerRecord(existing);
  const changed: CustomerChange["changed"] = {};
  if (contact.name !== null && contact.name !== current.name) changed.name = contact.name;
  if (contact.marketingConsent !== undefined && contact.marketingConsent !== current.marketingConsent)
    changed.marketingConsent = contact.marketingConsent;
  for (const column of ["phone", "email"] as const) {
    const value = contact[column];
    if (value !== null && value !== current[column] && !(await heldByAnother(trx, partnerId, current.id, column, value)))
      changed[column] = value;
  }
  if (Object.keys(changed).length === 0) return current.id;
  const { marketingConsent, ...rest } = changed;
  const updated = await trx
    .updateTable("customers")
    .set({ ...rest, ...(marketingConsent !== undefined ? { marketingConsent: marketingConsent ? 1 : 0 } : {}), updatedAt: at })
    .where("id", "=", current.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await emitChange(emit, "customer.updated", { customer: toCustomerRecord(updated), changed });
  return current.id;
}

async function emitChange(emit: Emit, type: "customer.created" | "customer.updated", payload: CustomerChange) {
  await emit({ version: EVENT_PAYLOAD_VERSION, partnerId: payload.customer.partnerId, type, orderId: null, payload });
}

/** What staff see of an order's customer (GET /api/orders/{id}). */
export type StaffCustomerDto = Pick<CustomerRecord, "id" | "name" | "phone" | "email" | "marketingConsent">;

/**
 * An order's customer for the staff who read the cashier channel — those `/ws` customer_changes
 * is for (admins, operators, tokens given `cashier`): null when the order has none. undefined for
 * everyone else (the kitchen, the board's screens, integrations): they are not told, not even
 * that there is one. Guests read their order through toGuestOrderDto, which has no customer.
 */
export async function staffCustomerOf({
  db,
  principal,
  order,
}: {
  db: Db;
  principal: Principal;
  order: { partnerId: string; customerId?: number | null };
}): Promise<StaffCustomerDto | null | undefined> {
  if (!canReadChannel(principal, "cashier")) return undefined;
  if (!order.customerId) return null;
  const row = await db
    .selectFrom("customers")
    .selectAll()
    .where("id", "=", order.customerId)
    .where("partnerId", "=", order.partnerId)
    .executeTakeFirst();
  if (!row) return null;
  const { id, name, phone, email, marketingConsent } = toCustomerRecord(row);
  return { id, name, phone, email, marketingConsent };
}
