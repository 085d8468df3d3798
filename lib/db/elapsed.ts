import { PostgresAdapter, type RawBuilder, sql } from "kysely";
import type { Db } from "./connection";

/**
 * Milliseconds from one ISO-text timestamp column to another, in SQL: the one dialect quirk the
 * reports need (lib/reports). SQLite has `julianday` over ISO text; PostgreSQL casts it to
 * timestamptz. `from` and `to` are trusted column references (`lp."firedAt"`), never input.
 */
export function elapsedMs(db: Db, from: string, to: string): RawBuilder<number> {
  const a = sql.raw(from);
  const b = sql.raw(to);
  return db.getExecutor().adapter instanceof PostgresAdapter
    ? sql<number>`(extract(epoch from (${b}::timestamptz - ${a}::timestamptz)) * 1000)`
    : sql<number>`((julianday(${b}) - julianday(${a})) * 86400000.0)`;
}

/** A number rounded to a whole integer, in SQL (both dialects' integer type). */
export function roundToInt(db: Db, value: RawBuilder<number>): RawBuilder<number> {
  return db.getExecutor().adapter instanceof PostgresAdapter
    ? sql<number>`round(${value})::int`
    : sql<number>`cast(round(${value}) as integer)`;
}
