/**
 * Migration 0014_payments on a database that already has orders: each confirmed order gets one
 * payment of its whole total with its method; pending orders get none. On SQLite and PostgreSQL.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Migrator } from "kysely/migration";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testTargets, withSearchPath } from "../testing/db";
import { type DbHandle, migrateToLatest, openDatabase } from "./connection";
import { migrationProvider } from "./migrations";

describe.each(testTargets())("migration 0014_payments on $label", ({ dialect, skipReason }) => {
  let handle: DbHandle;
  let schema: string | null = null;
  let dataDir: string;

  beforeAll(async () => {
    if (skipReason) return;
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pass-migration-"));
    let databaseUrl: string | null = null;
    if (dialect === "postgres") {
      schema = `t_${crypto.randomBytes(6).toString("hex")}`;
      const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await admin.connect();
      await admin.query(`create schema ${schema}`);
      await admin.end();
      databaseUrl = withSearchPath(process.env.DATABASE_URL!, schema);
    }
    handle = openDatabase({ databaseUrl, dataDir });
  });
  afterAll(async () => {
    if (skipReason) return;
    await handle.destroy();
    if (schema) {
      const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await admin.connect();
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it.skipIf(Boolean(skipReason))("backfills one payment per confirmed order", async () => {
    const migrator = new Migrator({
      db: handle.db,
      provider: migrationProvider(dialect),
      ...(schema ? { migrationTableSchema: schema } : {}),
    });
    const { error } = await migrator.migrateTo("0011_partner_profile");
    expect(error).toBeUndefined();
    const db = handle.db;
    await db
      .insertInto("partners")
      .values({
        id: "p1",
        slug: "old",
        name: "Old",
        imageUrl: null,
        timezone: "UTC",
        cutoverHour: 4,
        autoCancelMinutes: null,
        autoConfirmSources: "[]",
        createdAt: "2026-01-01T10:00:00.000Z",
        autoConfirmSeconds: null,
        kitchenAckSeconds: null,
      })
      .execute();
    const order = (n: number, paymentMethod: string | null, total: number) => ({
      partnerId: "p1",
      businessDay: "2026-01-01",
      dayOrdinal: n,
      displayCode: `A0${n}`,
      ticketNumber: paymentMethod ? n : null,
      table: null,
      customer: null,
      source: "counter",
      priority: "NORMAL",
      status: paymentMethod ? "CONFIRMED" : "PENDING",
      paymentMethod,
      subTotal: total,
      discount: 0,
      surcharge: 0,
      total,
      createdAt: "2026-01-01T10:00:00.000Z",
      confirmedAt: paymentMethod ? "2026-01-01T10:01:00.000Z" : null,
      statusChangedAt: "2026-01-01T10:01:00.000Z",
      userId: null,
      cashRegisterId: null,
      courierName: null,
      cancelReason: null,
      trackingTokenHash: null,
    });
    const ids = [];
    for (const [n, method, total] of [
      [1, "CASH", 1150],
      [2, "CARD", 990],
      [3, null, 500],
    ] as const) {
      ids.push(
        Number(
          (
            await db
              .insertInto("orders")
              .values(order(n, method, total))
              .returning("id")
              .executeTakeFirstOrThrow()
          ).id,
        ),
      );
    }
    await migrateToLatest({ db, dialect, ...(schema ? { schema } : {}) });
    const rows = await db.selectFrom("payments").selectAll().orderBy("orderId").execute();
    expect(rows.map((r) => ({ ...r, orderId: Number(r.orderId), position: Number(r.position), amount: Number(r.amount) }))).toEqual([
      { orderId: ids[0], position: 0, method: "CASH", amount: 1150, tendered: null, change: null, createdAt: "2026-01-01T10:01:00.000Z" },
      { orderId: ids[1], position: 0, method: "CARD", amount: 990, tendered: null, change: null, createdAt: "2026-01-01T10:01:00.000Z" },
    ]);
  });
});
