import "server-only";
import { type Kysely, sql } from "kysely";
import type { Migration, MigrationProvider } from "kysely/migration";
import { newId } from "./ids";
import type { Dialect } from "./schema";

/**
 * The committed migrations, in order. Each takes the dialect because the one type that
 * differs between SQLite and PostgreSQL is the generated integer id of orders.
 */
type PortableMigration = (dialect: Dialect) => Migration;

const migrations: Record<string, PortableMigration> = {
  "0001_initial": (dialect) => ({
    async up(db: Kysely<any>) {
      await db.schema
        .createTable("partners")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("slug", "text", (c) => c.notNull().unique())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("imageUrl", "text")
        .addColumn("timezone", "text", (c) => c.notNull())
        .addColumn("cutoverHour", "integer", (c) => c.notNull())
        .addColumn("autoCancelMinutes", "integer")
        .addColumn("autoConfirmSources", "text", (c) => c.notNull().defaultTo("[]"))
        .addColumn("createdAt", "text", (c) => c.notNull())
        .execute();

      await db.schema
        .createTable("users")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("partnerId", "text", (c) => c.references("partners.id"))
        .addColumn("role", "text", (c) => c.notNull())
        .addColumn("username", "text", (c) => c.notNull().unique())
        .addColumn("passwordHash", "text", (c) => c.notNull())
        .addColumn("createdAt", "text", (c) => c.notNull())
        .addColumn("disabledAt", "text")
        .execute();

      await db.schema
        .createTable("sessions")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("userId", "text", (c) => c.notNull().references("users.id"))
        .addColumn("createdAt", "text", (c) => c.notNull())
        .addColumn("expiresAt", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("sessions_user").on("sessions").column("userId").execute();

      await db.schema
        .createTable("deviceTokens")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("partnerId", "text", (c) => c.notNull().references("partners.id"))
        .addColumn("role", "text", (c) => c.notNull())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("channels", "text", (c) => c.notNull())
        .addColumn("tokenHash", "text", (c) => c.notNull().unique())
        .addColumn("createdAt", "text", (c) => c.notNull())
        .addColumn("expiresAt", "text")
        .addColumn("revokedAt", "text")
        .addColumn("lastUsedAt", "text")
        .execute();

      await db.schema
        .createTable("foods")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("partnerId", "text", (c) => c.notNull().references("partners.id"))
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("price", "integer", (c) => c.notNull())
        .addColumn("surcharge", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("category", "text", (c) => c.notNull())
        .addColumn("station", "text", (c) => c.notNull())
        .addColumn("available", "integer", (c) => c.notNull().defaultTo(1))
        .addColumn("position", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("updatedAt", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("foods_partner").on("foods").column("partnerId").execute();

      await db.schema
        .createTable("orders")
        .addColumn("id", "integer", (c) =>
          dialect === "postgres" ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement(),
        )
        .addColumn("partnerId", "text", (c) => c.notNull().references("partners.id"))
        .addColumn("businessDay", "text", (c) => c.notNull())
        .addColumn("dayOrdinal", "integer", (c) => c.notNull())
        .addColumn("displayCode", "text", (c) => c.notNull())
        .addColumn("ticketNumber", "integer")
        .addColumn("table", "text")
        .addColumn("customer", "text")
        .addColumn("source", "text", (c) => c.notNull())
        .addColumn("priority", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("paymentMethod", "text")
        .addColumn("subTotal", "integer", (c) => c.notNull())
        .addColumn("discount", "integer", (c) => c.notNull())
        .addColumn("surcharge", "integer", (c) => c.notNull())
        .addColumn("total", "integer", (c) => c.notNull())
        .addColumn("createdAt", "text", (c) => c.notNull())
        .addColumn("confirmedAt", "text")
        .addColumn("statusChangedAt", "text", (c) => c.notNull())
        .addColumn("userId", "text")
        .addColumn("cashRegisterId", "text")
        .addColumn("courierName", "text")
        .addColumn("cancelReason", "text")
        .addColumn("trackingTokenHash", "text")
        // The database itself refuses a second order with the same code or ticket on one day.
        .addUniqueConstraint("orders_display_code_unique", ["partnerId", "businessDay", "dayOrdinal"])
        .addUniqueConstraint("orders_ticket_unique", ["partnerId", "businessDay", "ticketNumber"])
        .execute();
      await db.schema.createIndex("orders_partner_created").on("orders").columns(["partnerId", "createdAt"]).execute();
      await db.schema.createIndex("orders_status").on("orders").columns(["partnerId", "status"]).execute();

      await db.schema
        .createTable("orderItems")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("orderId", "integer", (c) => c.notNull().references("orders.id"))
        .addColumn("position", "integer", (c) => c.notNull())
        .addColumn("foodId", "text", (c) => c.notNull())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("station", "text", (c) => c.notNull())
        .addColumn("quantity", "integer", (c) => c.notNull())
        .addColumn("unitPrice", "integer", (c) => c.notNull())
        .addColumn("unitSurcharge", "integer", (c) => c.notNull())
        .addColumn("total", "integer", (c) => c.notNull())
        .addColumn("notes", "text")
        .execute();
      await db.schema.createIndex("order_items_order").on("orderItems").column("orderId").execute();

      await db.schema
        .createTable("dayCounters")
        .addColumn("partnerId", "text", (c) => c.notNull())
        .addColumn("businessDay", "text", (c) => c.notNull())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("value", "integer", (c) => c.notNull())
        .addPrimaryKeyConstraint("day_counters_pk", ["partnerId", "businessDay", "kind"])
        .execute();

      // Ids are assigned from logMeta.lastEventId inside the writing transaction (see lib/events/log).
      await db.schema
        .createTable("events")
        .addColumn("id", "integer", (c) => c.primaryKey())
        .addColumn("partnerId", "text", (c) => c.notNull())
        .addColumn("type", "text", (c) => c.notNull())
        .addColumn("orderId", "integer")
        .addColumn("payload", "text", (c) => c.notNull())
        .addColumn("createdAt", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("events_partner_id").on("events").columns(["partnerId", "id"]).execute();

      await db.schema
        .createTable("logMeta")
        .addColumn("id", "integer", (c) => c.primaryKey())
        .addColumn("lastEventId", "integer", (c) => c.notNull())
        .addColumn("epoch", "text", (c) => c.notNull())
        .execute();
      const epoch = `${new Date().toISOString().slice(0, 10)}-${crypto.randomUUID().slice(0, 8)}`;
      await db.insertInto("logMeta").values({ id: 1, lastEventId: 0, epoch }).execute();
    },
  }),
  "0002_event_retention": () => ({
    async up(db: Kysely<any>) {
      // Per partner, the highest event id removed by pruning: a resume from below it has a hole.
      await db.schema
        .createTable("eventRetention")
        .addColumn("partnerId", "text", (c) => c.primaryKey())
        .addColumn("prunedThrough", "integer", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("events_created").on("events").column("createdAt").execute();
    },
  }),
  "0003_screens_and_acks": () => ({
    async up(db: Kysely<any>) {
      // When a kitchen screen first showed the ticket, and when Pass raised the alarm that none did.
      await db.schema.alterTable("orders").addColumn("kitchenAckAt", "text").execute();
      await db.schema.alterTable("orders").addColumn("kitchenAlertAt", "text").execute();
      await db.schema
        .createTable("screens")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("partnerId", "text")
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("who", "text", (c) => c.notNull())
        .addColumn("lastSeenAt", "text", (c) => c.notNull())
        .addColumn("lastEventId", "integer")
        .addColumn("soundUnlocked", "integer", (c) => c.notNull())
        .addColumn("awake", "integer", (c) => c.notNull())
        .execute();
    },
  }),
  "0004_courier_location": () => ({
    async up(db: Kysely<any>) {
      // The latest position a delivery's courier reported (docs/contracts.md#seeds-004: rider location over WebSocket).
      await db.schema.alterTable("orders").addColumn("courierLocation", "text").execute();
    },
  }),
  "0005_event_payload_version": () => ({
    async up(db: Kysely<any>) {
      // Each logged event says which shape its payload has; rows written before this are version 1
      // and are upgraded when read (lib/orders/events.ts, docs/architecture.md "Event payloads").
      await db.schema
        .alterTable("events")
        .addColumn("payloadVersion", "integer", (c) => c.notNull().defaultTo(1))
        .execute();
    },
  }),
  "0006_token_stream_format": () => ({
    async up(db: Kysely<any>) {
      // How a device's streams frame data events: "named" (event: new-order …) or "message"
      // (unnamed data frames, for clients written with EventSource.onmessage).
      await db.schema
        .alterTable("deviceTokens")
        .addColumn("streamFormat", "text", (c) => c.notNull().defaultTo("named"))
        .execute();
    },
  }),
  "0007_username_case_insensitive": () => ({
    async up(db: Kysely<any>) {
      // Usernames are case-insensitive: "ADMIN" and "admin" are one user. New ones are stored in
      // lower case (lib/auth/password-policy.ts normaliseUsername); this index also covers older rows.
      await db.schema.createIndex("users_username_lower").on("users").unique().expression(sql`lower("username")`).execute();
    },
  }),
  "0008_menu": () => ({
    async up(db: Kysely<any>) {
      // The menu model of SPEC §2b (docs/architecture.md "The menu"): stations and categories
      // become rows, foods gain what the back office edits, modifier groups and their options are
      // linked to foods, and every order line keeps what was chosen, frozen at order time.
      await db.schema
        .createTable("stations")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("partnerId", "text", (c) => c.notNull().references("partners.id"))
        .addColumn("key", "text", (c) => c.notNull())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("position", "integer", (c) => c.notNull())
        .addColumn("prepMinutes", "integer")
        .addColumn("createdAt", "text", (c) => c.notNull())
        .addUniqueConstraint("stations_partner_key", ["partnerId", "key"])
        .execute();
      await db.schema
        .createTable("categories")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("partnerId", "text", (c) => c.notNull().references("partners.id"))
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("position", "integer", (c) => c.notNull())
        .addColumn("archived", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("updatedAt", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("categories_partner").on("categories").column("partnerId").execute();
      for (const [column, type, fn] of [
        ["categoryId", "text", null],
        ["description", "text", null],
        ["imageUrl", "text", null],
        ["prepMinutes", "integer", null],
        ["allergens", "text", "[]"],
        ["archived", "integer", 0],
        ["availableAgainAt", "text", null],
      ] as const) {
        await db.schema
          .alterTable("foods")
          .addColumn(column, type, (c) => (fn === null ? c : c.notNull().defaultTo(fn)))
          .execute();
      }
      await db.schema
        .createTable("modifierGroups")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("partnerId", "text", (c) => c.notNull().references("partners.id"))
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("minChoices", "integer", (c) => c.notNull())
        .addColumn("maxChoices", "integer", (c) => c.notNull())
        .addColumn("position", "integer", (c) => c.notNull())
        .addColumn("archived", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("updatedAt", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("modifier_groups_partner").on("modifierGroups").column("partnerId").execute();
      await db.schema
        .createTable("modifierOptions")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("groupId", "text", (c) => c.notNull().references("modifierGroups.id"))
        .addColumn("partnerId", "text", (c) => c.notNull())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("priceDelta", "integer", (c) => c.notNull())
        .addColumn("allergens", "text", (c) => c.notNull().defaultTo("[]"))
        .addColumn("station", "text")
        .addColumn("available", "integer", (c) => c.notNull().defaultTo(1))
        .addColumn("availableAgainAt", "text")
        .addColumn("position", "integer", (c) => c.notNull())
        .addColumn("archived", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("updatedAt", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("modifier_options_group").on("modifierOptions").column("groupId").execute();
      await db.schema
        .createTable("foodModifierGroups")
        .addColumn("foodId", "text", (c) => c.notNull().references("foods.id"))
        .addColumn("groupId", "text", (c) => c.notNull().references("modifierGroups.id"))
        .addColumn("position", "integer", (c) => c.notNull())
        .addPrimaryKeyConstraint("food_modifier_groups_pk", ["foodId", "groupId"])
        .execute();

      await db.schema
        .alterTable("orderItems")
        .addColumn("modifiers", "text", (c) => c.notNull().defaultTo("[]"))
        .execute();
      await db.schema
        .alterTable("orderItems")
        .addColumn("allergens", "text", (c) => c.notNull().defaultTo("[]"))
        .execute();
      await db.schema
        .alterTable("orderItems")
        .addColumn("course", "integer", (c) => c.notNull().defaultTo(1))
        .execute();
      await db.schema
        .alterTable("orders")
        .addColumn("serviceType", "text", (c) => c.notNull().defaultTo("dine-in"))
        .execute();
      await db.schema.alterTable("orders").addColumn("promisedAt", "text").execute();
      await db.schema.alterTable("orders").addColumn("allergies", "text").execute();
      await db.schema
        .alterTable("orders")
        .addColumn("allergyAlert", "integer", (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.alterTable("orders").addColumn("allergyAckAt", "text").execute();
      await db.schema.alterTable("orders").addColumn("allergyAckBy", "text").execute();
      await db.updateTable("orders").set({ serviceType: "delivery" }).where("source", "=", "delivery").execute();
      // Partners' 86 lists are scanned by the restore timer.
      await db.schema.createIndex("foods_available_again").on("foods").column("availableAgainAt").execute();

      // Existing menus: their station and category names become rows, in the order foods use them.
      const now = new Date().toISOString();
      const foods = await db
        .selectFrom("foods")
        .select(["id", "partnerId", "category", "station", "position"])
        .orderBy("position")
        .execute();
      const stations = new Map<string, Set<string>>();
      const categories = new Map<string, Map<string, string>>();
      for (const f of foods) {
        if (!stations.has(f.partnerId)) stations.set(f.partnerId, new Set());
        if (f.station) stations.get(f.partnerId)!.add(f.station);
        if (!categories.has(f.partnerId)) categories.set(f.partnerId, new Map());
        const byName = categories.get(f.partnerId)!;
        if (!byName.has(f.category)) byName.set(f.category, newId());
        await db
          .updateTable("foods")
          .set({ categoryId: byName.get(f.category) })
          .where("id", "=", f.id)
          .execute();
      }
      for (const [partnerId, keys] of stations) {
        let position = 0;
        for (const key of keys) {
          await db
            .insertInto("stations")
            .values({
              id: newId(),
              partnerId,
              key,
              name: key.charAt(0).toUpperCase() + key.slice(1),
              position: position++,
              prepMinutes: null,
              createdAt: now,
            })
            .execute();
        }
      }
      for (const [partnerId, byName] of categories) {
        let position = 0;
        for (const [name, id] of byName) {
          await db.insertInto("categories").values({ id, partnerId, name, position: position++, archived: 0, updatedAt: now }).execute();
        }
      }
    },
  }),
  "0009_station_workflow": () => ({
    async up(db: Kysely<any>) {
      // Issue "Station workflow": each line is cooked in parts, one per station (its food's, and
      // each station an option is cooked at), each with its own state (lib/orders/line-state.ts).
      await db.schema
        .createTable("lineParts")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("orderId", "integer", (c) => c.notNull().references("orders.id"))
        .addColumn("orderItemId", "text", (c) => c.notNull().references("orderItems.id"))
        .addColumn("station", "text", (c) => c.notNull())
        .addColumn("course", "integer", (c) => c.notNull())
        .addColumn("position", "integer", (c) => c.notNull())
        .addColumn("state", "text", (c) => c.notNull())
        .addColumn("firedAt", "text")
        .addColumn("startedAt", "text")
        .addColumn("startedBy", "text")
        .addColumn("doneAt", "text")
        .addColumn("doneBy", "text")
        // Minutes this part should take once fired: its food's prep target, else its station's default.
        .addColumn("targetMinutes", "integer", (c) => c.notNull().defaultTo(10))
        .execute();
      await db.schema.createIndex("line_parts_order").on("lineParts").column("orderId").execute();
      // A scheduled order's held lines fire at fireAt (promisedAt − the longest prep target).
      await db.schema.alterTable("orders").addColumn("fireAt", "text").execute();
      await db.schema
        .alterTable("orders")
        .addColumn("expoConfirms", "integer", (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.alterTable("orders").addColumn("expoBumpedAt", "text").execute();
      await db.schema.createIndex("orders_fire_at").on("orders").column("fireAt").execute();
      await db.schema
        .alterTable("partners")
        .addColumn("expoConfirms", "integer", (c) => c.notNull().defaultTo(0))
        .execute();
      // A ticket turns "warning" at warnPercent of its target and "late" at latePercent (partner
      // settings); an order keeps the thresholds it was placed under.
      for (const table of ["partners", "orders"]) {
        await db.schema
          .alterTable(table)
          .addColumn("warnPercent", "integer", (c) => c.notNull().defaultTo(100))
          .execute();
        await db.schema
          .alterTable(table)
          .addColumn("latePercent", "integer", (c) => c.notNull().defaultTo(150))
          .execute();
      }

      // Orders from before: one part per line at its station, in the state its order's status implies.
      const stateFor: Record<string, string> = {
        PENDING: "HELD",
        CONFIRMED: "QUEUED",
        PREPARING: "STARTED",
        READY: "DONE",
        PICKED_UP: "DONE",
        DELIVERED: "DONE",
        CANCELLED: "QUEUED",
      };
      const rows = await db
        .selectFrom("orderItems")
        .innerJoin("orders", "orders.id", "orderItems.orderId")
        .select([
          "orderItems.id",
          "orderItems.orderId",
          "orderItems.station",
          "orderItems.course",
          "orderItems.position",
          "orders.status",
          "orders.confirmedAt",
          "orders.statusChangedAt",
        ])
        .execute();
      for (const r of rows) {
        const state = stateFor[r.status] ?? "QUEUED";
        await db
          .insertInto("lineParts")
          .values({
            id: newId(),
            orderId: r.orderId,
            orderItemId: r.id,
            station: r.station,
            course: r.course,
            position: r.position,
            state,
            firedAt: state === "HELD" ? null : r.confirmedAt,
            startedAt: state === "STARTED" || state === "DONE" ? r.statusChangedAt : null,
            startedBy: null,
            doneAt: state === "DONE" ? r.statusChangedAt : null,
            doneBy: null,
          })
          .execute();
      }
    },
  }),
  "0010_login_lockouts": () => ({
    async up(db: Kysely<any>) {
      // Sign-in lockouts for the dashboard's notice (lib/auth/lockouts.ts): one row per account or
      // address, replaced when it is locked again, deleted a day after.
      await db.schema
        .createTable("loginLockouts")
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("subject", "text", (c) => c.notNull())
        .addColumn("partnerId", "text")
        .addColumn("knownUser", "integer", (c) => c.notNull())
        .addColumn("username", "text", (c) => c.notNull())
        .addColumn("address", "text", (c) => c.notNull())
        .addColumn("failures", "integer", (c) => c.notNull())
        .addColumn("lockedAt", "text", (c) => c.notNull())
        .addColumn("lockedUntil", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("loginLockouts_pk", ["kind", "subject"])
        .execute();
      await db.schema.createIndex("loginLockouts_lockedAt").on("loginLockouts").column("lockedAt").execute();
    },
  }),
  "0011_partner_profile": () => ({
    async up(db: Kysely<any>) {
      // The restaurant's profile for money, language and the cashier (issue "Cashier and back
      // office"): every amount is formatted with currency + locale; USD / en-US keep what Pass showed
      // before (seeds/001's example currency). kitchenAckSeconds null = KITCHEN_ACK_SECONDS;
      // autoConfirmSeconds null = trusted sources are confirmed at once.
      await db.schema
        .alterTable("partners")
        .addColumn("currency", "text", (c) => c.notNull().defaultTo("USD"))
        .execute();
      await db.schema
        .alterTable("partners")
        .addColumn("locale", "text", (c) => c.notNull().defaultTo("en-US"))
        .execute();
      await db.schema
        .alterTable("partners")
        .addColumn("defaultPaymentMethod", "text", (c) => c.notNull().defaultTo("CASH"))
        .execute();
      await db.schema.alterTable("partners").addColumn("autoConfirmSeconds", "integer").execute();
      await db.schema.alterTable("partners").addColumn("kitchenAckSeconds", "integer").execute();
    },
  }),
  "0012_printers": () => ({
    async up(db: Kysely<any>) {
      // Network ESC/POS printers (issue "Network printers", lib/printing): what each prints
      // (stations JSON, the receipt), its backup, and its last real status as the dispatcher
      // read it (DLE EOT), so every node and screen shows the same. One node drives a printer at
      // a time (leaseOwner/leaseUntil).
      await db.schema
        .createTable("printers")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("partnerId", "text", (c) => c.notNull().references("partners.id"))
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("host", "text", (c) => c.notNull())
        .addColumn("port", "integer", (c) => c.notNull().defaultTo(9100))
        .addColumn("paperWidth", "integer", (c) => c.notNull().defaultTo(80))
        .addColumn("stations", "text", (c) => c.notNull().defaultTo("[]"))
        .addColumn("receipt", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("codePage", "text", (c) => c.notNull().defaultTo("auto"))
        .addColumn("buzzer", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("backupPrinterId", "text")
        .addColumn("enabled", "integer", (c) => c.notNull().defaultTo(1))
        .addColumn("paused", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("status", "text", (c) => c.notNull().defaultTo("unknown"))
        .addColumn("statusDetail", "text")
        .addColumn("statusAt", "text")
        .addColumn("leaseOwner", "text")
        .addColumn("leaseUntil", "text")
        .addColumn("createdAt", "text", (c) => c.notNull())
        .addColumn("updatedAt", "text", (c) => c.notNull())
        .addUniqueConstraint("printers_partner_name", ["partnerId", "name"])
        .execute();
      // One row per (log event, printer): the unique key is what makes a job exist once across
      // restarts and nodes; state moves only by conditional updates (claim, lease).
      await db.schema
        .createTable("printJobs")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("partnerId", "text", (c) => c.notNull())
        .addColumn("printerId", "text", (c) => c.notNull().references("printers.id").onDelete("cascade"))
        .addColumn("jobKey", "text", (c) => c.notNull())
        .addColumn("eventId", "integer", (c) => c.notNull())
        .addColumn("orderId", "integer")
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("station", "text")
        .addColumn("document", "text", (c) => c.notNull())
        .addColumn("state", "text", (c) => c.notNull())
        .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("queuedAt", "text", (c) => c.notNull())
        .addColumn("nextAttemptAt", "text", (c) => c.notNull())
        .addColumn("lastError", "text")
        .addColumn("leaseOwner", "text")
        .addColumn("leaseUntil", "text")
        .addColumn("sentAt", "text")
        .addColumn("printedAt", "text")
        .addColumn("backupFrom", "text")
        .addColumn("movedTo", "text")
        .addColumn("late", "integer", (c) => c.notNull().defaultTo(0))
        .addUniqueConstraint("printJobs_printer_key", ["printerId", "jobKey"])
        .execute();
      await db.schema.createIndex("printJobs_due").on("printJobs").columns(["printerId", "state", "nextAttemptAt"]).execute();
      await db.schema.createIndex("printJobs_event").on("printJobs").columns(["eventId"]).execute();
      // How far the dispatchers have planned jobs from the log; a new install starts at its end
      // (history is not printed).
      await db.schema
        .createTable("printCursor")
        .addColumn("id", "integer", (c) => c.primaryKey())
        .addColumn("throughEventId", "integer", (c) => c.notNull())
        .execute();
      const meta = await db.selectFrom("logMeta").select("lastEventId").where("id", "=", 1).executeTakeFirst();
      await db
        .insertInto("printCursor")
        .values({ id: 1, throughEventId: Number(meta?.lastEventId ?? 0) })
        .execute();
    },
  }),
  "0013_back_office": () => ({
    async up(db: Kysely<any>) {
      // The back office (issue "Cashier and back office" item 2): the restaurant's table names
      // (the printable QR sheet links /order/{slug}?table=…), and pairing a wall screen by code.
      await db.schema
        .alterTable("partners")
        .addColumn("tables", "text", (c) => c.notNull().defaultTo("[]"))
        .execute();
      // A pairing: a screen showed a code on /pair; an operator claims it (role, station, name) and the
      // screen's next poll receives a device token. Code and the screen's own secret are stored only as
      // keyed hashes; a code is single-use and expires. partnerId: bound at the start (/pair?partner=s)
      // or by the operator who claims it.
      await db.schema
        .createTable("pairings")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("codeHash", "text", (c) => c.notNull().unique())
        .addColumn("secretHash", "text", (c) => c.notNull().unique())
        .addColumn("partnerId", "text", (c) => c.references("partners.id"))
        .addColumn("createdAt", "text", (c) => c.notNull())
        .addColumn("expiresAt", "text", (c) => c.notNull())
        .addColumn("claimedAt", "text")
        .addColumn("claimedBy", "text")
        .addColumn("role", "text")
        .addColumn("station", "text")
        .addColumn("name", "text")
        .addColumn("tokenId", "text")
        .addColumn("deliveredAt", "text")
        .execute();
      await db.schema.createIndex("pairings_expiresAt").on("pairings").column("expiresAt").execute();
    },
  }),
  "0014_payments": () => ({
    async up(db: Kysely<any>) {
      // How an order was paid (issue "Cashier and back office" item 1): one row per payment, so a
      // bill split over cash and card keeps both amounts, and cash keeps what was tendered and the
      // change given. Orders confirmed before this migration paid their whole total one way.
      await db.schema
        .createTable("payments")
        .addColumn("orderId", "integer", (c) => c.notNull().references("orders.id"))
        .addColumn("position", "integer", (c) => c.notNull())
        .addColumn("method", "text", (c) => c.notNull())
        .addColumn("amount", "integer", (c) => c.notNull())
        .addColumn("tendered", "integer")
        .addColumn("change", "integer")
        .addColumn("createdAt", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("payments_pk", ["orderId", "position"])
        .execute();
      await sql`insert into payments ("orderId", "position", "method", "amount", "tendered", "change", "createdAt")
        select "id", 0, "paymentMethod", "total", null, null, coalesce("confirmedAt", "createdAt") from orders
        where "paymentMethod" is not null`.execute(db);
    },
  }),
  "0016_carts": () => ({
    async up(db: Kysely<any>) {
      // A table's shared cart (issue "The guest's side", lib/orders/carts.ts): the order row itself
      // (status CREATED) plus this row. `openTable` is the table while the cart is open and null
      // after, so the unique constraint allows one open cart per table (NULLs are distinct on both
      // databases): two phones scanning at once cannot open two.
      await db.schema
        .createTable("carts")
        .addColumn("orderId", "integer", (c) => c.primaryKey().references("orders.id"))
        .addColumn("partnerId", "text", (c) => c.notNull().references("partners.id"))
        .addColumn("table", "text", (c) => c.notNull())
        .addColumn("openTable", "text")
        .addColumn("state", "text", (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
        .addColumn("guests", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("openedAt", "text", (c) => c.notNull())
        .addColumn("touchedAt", "text", (c) => c.notNull())
        .addColumn("submittedAt", "text")
        .addColumn("expiredAt", "text")
        .addUniqueConstraint("carts_open_table", ["partnerId", "openTable"])
        .execute();
      await db.schema.createIndex("carts_state_touched").on("carts").columns(["state", "touchedAt"]).execute();
      // One row per phone at the table; its token is stored as a keyed hash, like tracking tokens.
      await db.schema
        .createTable("cartMembers")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("orderId", "integer", (c) => c.notNull().references("orders.id"))
        .addColumn("tokenHash", "text", (c) => c.notNull().unique())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("number", "integer", (c) => c.notNull())
        .addColumn("joinedAt", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("cart_members_order").on("cartMembers").column("orderId").execute();
      // Who added a line, and its version: the later of two changes to one line wins, and both phones show it.
      await db.schema.alterTable("orderItems").addColumn("addedBy", "text").execute();
      await db.schema
        .alterTable("orderItems")
        .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
        .execute();
    },
  }),
  "0017_jobs": (dialect) => ({
    async up(db: Kysely<any>) {
      // Background jobs and notifications (issue "Jobs and notifications", docs/architecture.md
      // "Jobs" and "Outbox"). `jobs` is the embedded (SQLite) job queue; on PostgreSQL
      // graphile-worker keeps its own schema (lib/jobs/graphile.ts), so the table is not created there.
      if (dialect === "sqlite") {
        await db.schema
          .createTable("jobs")
          .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
          .addColumn("task", "text", (c) => c.notNull())
          .addColumn("payload", "text", (c) => c.notNull())
          .addColumn("runAt", "text", (c) => c.notNull())
          .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
          .addColumn("maxAttempts", "integer", (c) => c.notNull())
          .addColumn("lastError", "text")
          .addColumn("lockedBy", "text")
          .addColumn("lockedAt", "text")
          // A second enqueue with the same key while the first waits is a no-op (graphile's job_key).
          .addColumn("jobKey", "text", (c) => c.unique())
          .addColumn("failedAt", "text")
          .addColumn("createdAt", "text", (c) => c.notNull())
          .addColumn("updatedAt", "text", (c) => c.notNull())
          .execute();
        await db.schema.createIndex("jobs_due").on("jobs").columns(["failedAt", "runAt"]).execute();
      }
      if (dialect === "postgres") {
        // Nodes running graphile-worker, with their worker ids: a live node frees the jobs of a node
        // that stopped beating (SIGKILL, power cut) instead of graphile's 4-hour lock timeout.
        await db.schema
          .createTable("jobNodes")
          .addColumn("nodeId", "text", (c) => c.primaryKey())
          .addColumn("workerIds", "text", (c) => c.notNull())
          .addColumn("seenAt", "timestamptz", (c) => c.notNull())
          .execute();
      }
      // Where a partner wants its events POSTed; the secret is sealed with SESSION_SECRET (it must
      // be readable to sign with, unlike a password), shown once when the webhook is created.
      await db.schema
        .createTable("webhooks")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("partnerId", "text", (c) => c.notNull().references("partners.id"))
        .addColumn("url", "text", (c) => c.notNull())
        .addColumn("secretSealed", "text", (c) => c.notNull())
        .addColumn("events", "text", (c) => c.notNull()) // JSON string[]
        .addColumn("createdAt", "text", (c) => c.notNull())
        .addColumn("removedAt", "text")
        .execute();
      await db.schema.createIndex("webhooks_partner").on("webhooks").columns(["partnerId", "removedAt"]).execute();
      // A guest's "tell me when it is ready": a Web Push subscription or a phone number, per order.
      await db.schema
        .createTable("notificationSubscriptions")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("orderId", "integer", (c) => c.notNull().references("orders.id"))
        .addColumn("channel", "text", (c) => c.notNull()) // push | sms
        .addColumn("target", "text", (c) => c.notNull()) // the push endpoint, or the E.164 phone
        .addColumn("detail", "text", (c) => c.notNull()) // JSON: the push keys; {} for sms
        .addColumn("createdAt", "text", (c) => c.notNull())
        .addUniqueConstraint("notificationSubscriptions_unique", ["orderId", "channel", "target"])
        .execute();
      // The outbox: one row per (event, channel, recipient), written in the event's transaction and
      // delivered by the notification:send job; `status` moves pending → sent | failed by
      // conditional updates, so a row is delivered by one sender at a time.
      await db.schema
        .createTable("outbox")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("partnerId", "text", (c) => c.notNull())
        .addColumn("eventId", "integer", (c) => c.notNull())
        .addColumn("orderId", "integer")
        .addColumn("channel", "text", (c) => c.notNull()) // webhook | push | sms
        .addColumn("recipient", "text", (c) => c.notNull()) // webhook id or subscription id
        .addColumn("body", "text", (c) => c.notNull()) // JSON
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("claimedBy", "text")
        .addColumn("claimedAt", "text")
        .addColumn("lastError", "text")
        .addColumn("sentAt", "text")
        .addColumn("createdAt", "text", (c) => c.notNull())
        .addUniqueConstraint("outbox_once", ["eventId", "channel", "recipient"])
        .execute();
      await db.schema.createIndex("outbox_recipient").on("outbox").columns(["recipient", "createdAt"]).execute();
      // Every delivery attempt of a webhook, for its delivery log.
      await db.schema
        .createTable("webhookDeliveries")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("webhookId", "text", (c) => c.notNull())
        .addColumn("outboxId", "text", (c) => c.notNull())
        .addColumn("eventType", "text", (c) => c.notNull())
        .addColumn("attempt", "integer", (c) => c.notNull())
        .addColumn("httpStatus", "integer")
        .addColumn("error", "text")
        .addColumn("durationMs", "integer", (c) => c.notNull())
        .addColumn("at", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("webhookDeliveries_webhook").on("webhookDeliveries").columns(["webhookId", "at"]).execute();
    },
  }),
  "0018_customers": (dialect) => ({
    async up(db: Kysely<any>) {
      // The guests who gave a phone or an email with an order (issue "Jobs and notifications" item 4,
      // lib/orders/customers.ts). An integer id on both databases: seeds/001 `customer_id` is a number.
      // One customer per phone and per email within a partner (NULLs are distinct on both
      // databases), so two orders racing to create the same guest end with one row.
      await db.schema
        .createTable("customers")
        .addColumn("id", "integer", (c) =>
          dialect === "postgres" ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement(),
        )
        .addColumn("partnerId", "text", (c) => c.notNull().references("partners.id"))
        .addColumn("name", "text")
        .addColumn("phone", "text") // E.164
        .addColumn("email", "text") // lower-cased
        .addColumn("marketingConsent", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("createdAt", "text", (c) => c.notNull())
        .addColumn("updatedAt", "text", (c) => c.notNull())
        .addUniqueConstraint("customers_partner_phone", ["partnerId", "phone"])
        .addUniqueConstraint("customers_partner_email", ["partnerId", "email"])
        .execute();
      await db.schema
        .alterTable("orders")
        .addColumn("customerId", "integer", (c) => c.references("customers.id"))
        .execute();
    },
  }),
  "0019_couriers": (dialect) => ({
    async up(db: Kysely<any>) {
      // A partner's couriers (issue "Jobs and notifications" item 3, lib/orders/couriers.ts): managed by
      // operators, signed in on their phone with a device token of role "courier" (tokenId), available
      // or not, with the last position they reported. lastAssignedAt orders the round-robin of
      // rider:auto_assign when no position is known.
      const real = dialect === "postgres" ? ("double precision" as const) : ("real" as const);
      await db.schema
        .createTable("couriers")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("partnerId", "text", (c) => c.notNull().references("partners.id"))
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("phone", "text", (c) => c.notNull()) // E.164
        .addColumn("active", "integer", (c) => c.notNull().defaultTo(1))
        .addColumn("available", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("lastLat", real)
        .addColumn("lastLng", real)
        .addColumn("lastLocationAt", "text")
        .addColumn("lastAssignedAt", "text")
        .addColumn("tokenId", "text", (c) => c.references("deviceTokens.id"))
        .addColumn("createdAt", "text", (c) => c.notNull())
        .addColumn("updatedAt", "text", (c) => c.notNull())
        .addUniqueConstraint("couriers_partner_phone", ["partnerId", "phone"])
        .execute();
      await db.schema.createIndex("couriers_partner").on("couriers").columns(["partnerId", "active", "available"]).execute();
      // The order's courier row (null: none, or a free-text name typed at the cashier) and who chose it:
      // "manual" (POST /api/orders/{id}/courier) or "job" (rider:auto_assign); the job only ever fills an empty one.
      await db.schema
        .alterTable("orders")
        .addColumn("courierId", "text", (c) => c.references("couriers.id"))
        .execute();
      await db.schema.alterTable("orders").addColumn("courierAssignedBy", "text").execute();
      // Where the restaurant is: rider:auto_assign measures couriers' distance from here (null: round-robin).
      await db.schema.alterTable("partners").addColumn("latitude", real).execute();
      await db.schema.alterTable("partners").addColumn("longitude", real).execute();
    },
  }),
  "0021_order_history": (dialect) => ({
    async up(db: Kysely<any>) {
      // The audit trail (issue 17 item 4, lib/events/history.ts): one row per event about an order,
      // written by mutate in the event's transaction, with who did it. The event log is pruned
      // (lib/events/log.ts pruneEvents); these rows are kept as long as the order.
      await db.schema
        .createTable("orderHistory")
        .addColumn("id", "integer", (c) =>
          dialect === "postgres" ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement(),
        )
        .addColumn("orderId", "integer", (c) => c.notNull())
        .addColumn("partnerId", "text", (c) => c.notNull())
        .addColumn("eventId", "integer", (c) => c.notNull().unique())
        .addColumn("type", "text", (c) => c.notNull())
        .addColumn("actorKind", "text", (c) => c.notNull()) // user | device | guest | system
        .addColumn("actorId", "text")
        .addColumn("actorName", "text")
        .addColumn("detail", "text") // JSON: the event's payload beside its order/cart snapshot
        .addColumn("createdAt", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("orderHistory_order").on("orderHistory").columns(["orderId", "id"]).execute();
      // The order view reads an order's events while the log still has them.
      await db.schema.createIndex("events_order").on("events").columns(["orderId", "id"]).execute();
      // The invoice's header and tax lines (issue 17 item 2): where the restaurant is, its tax number,
      // and the rates its prices include (JSON [{ name, percent }], lib/orders/partner-profile.ts).
      await db.schema.alterTable("partners").addColumn("address", "text").execute();
      await db.schema.alterTable("partners").addColumn("taxId", "text").execute();
      await db.schema
        .alterTable("partners")
        .addColumn("taxRates", "text", (c) => c.notNull().defaultTo("[]"))
        .execute();
    },
  }),
  "0022_presence": () => ({
    async up(db: Kysely<any>) {
      // The health panel lists devices, not tabs (issue 17 item 3, lib/orders/presence.ts): each
      // tab row says which device it belongs to (a device token in one browser, or a person's
      // screen in one browser), whether its page is visible (a hidden tab's timers are throttled:
      // it gets longer before it counts as gone) and when it closed (the beacon a closing tab
      // sends, so it leaves the panel at once instead of after 10 minutes).
      await db.schema.alterTable("screens").addColumn("deviceKey", "text").execute();
      await db.schema.alterTable("screens").addColumn("tokenId", "text").execute();
      await db.schema
        .alterTable("screens")
        .addColumn("visible", "integer", (c) => c.notNull().defaultTo(1))
        .execute();
      await db.schema.alterTable("screens").addColumn("closedAt", "text").execute();
      // The page load that closed it: a heartbeat that page still had in flight (a tab says
      // "hidden" and then "closing" as it goes, and the two may arrive in either order) does not
      // reopen it; the same tab reloaded (another page load) does.
      await db.schema.alterTable("screens").addColumn("closedPage", "text").execute();
      await db.schema.createIndex("screens_partner_seen").on("screens").columns(["partnerId", "lastSeenAt"]).execute();
      await db.schema.createIndex("screens_device").on("screens").column("deviceKey").execute();
      // A device that went offline and came back: one row per gap, its id `deviceKey@wentAt`, so
      // two tabs (or two nodes) noticing the same return write it once. A gap still open is not
      // stored: it is the device's tabs all being gone.
      await db.schema
        .createTable("screenDisconnects")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("partnerId", "text")
        .addColumn("deviceKey", "text", (c) => c.notNull())
        .addColumn("tokenId", "text")
        .addColumn("who", "text", (c) => c.notNull())
        .addColumn("screen", "text", (c) => c.notNull())
        .addColumn("wentAt", "text", (c) => c.notNull())
        .addColumn("backAt", "text", (c) => c.notNull())
        .addColumn("reason", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("screenDisconnects_partner_went").on("screenDisconnects").columns(["partnerId", "wentAt"]).execute();
    },
  }),
  "0023_event_sequencer": (dialect) => ({
    async up(db: Kysely<any>) {
      // Issue 18 item 1 (docs/architecture.md "Positions in commit order"): on PostgreSQL a writer no
      // longer takes the one logMeta row lock for its whole transaction. It writes its events with
      // a write key (`seq`) and no position (`id` NULL), holding only its own partner's row of
      // eventStreams; right after commit a short sequencer step (pass_sequence_events) stamps
      // the committed, unstamped events with the next positions under the logMeta lock. SQLite
      // (one writer at a time) keeps stamping inside the transaction; `seq` is the id there.
      if (dialect === "sqlite") {
        await db.schema.alterTable("events").addColumn("seq", "integer").execute();
        await sql`update events set seq = id`.execute(db);
        await db.schema
          .createTable("eventStreams")
          .addColumn("partnerId", "text", (c) => c.primaryKey())
          .addColumn("appended", "integer", (c) => c.notNull())
          .execute();
        return;
      }
      await sql`create sequence events_seq as bigint`.execute(db);
      await sql`alter table events add column seq bigint`.execute(db);
      await sql`update events set seq = id`.execute(db);
      await sql`select setval('events_seq', coalesce((select max(id) from events), 0) + 1, false)`.execute(db);
      await sql`alter table events alter column seq set default nextval('events_seq')`.execute(db);
      await sql`alter table events alter column seq set not null`.execute(db);
      await sql`alter sequence events_seq owned by events.seq`.execute(db);
      await sql`alter table events drop constraint events_pkey`.execute(db);
      await sql`alter table events add constraint events_pkey primary key (seq)`.execute(db);
      await sql`alter table events alter column id drop not null`.execute(db);
      await sql`create unique index events_id on events (id)`.execute(db);
      await sql`create index events_unstamped on events (seq) where id is null`.execute(db);
      await db.schema
        .createTable("eventStreams")
        .addColumn("partnerId", "text", (c) => c.primaryKey())
        .addColumn("appended", "bigint", (c) => c.notNull())
        .execute();
      // One round trip after a commit. Called outside any transaction (its own statement is one):
      // after the logMeta lock is taken, each statement of a VOLATILE plpgsql function reads a
      // fresh READ COMMITTED snapshot, so it sees every writer that committed before it and every
      // earlier sequencer step. Positions are handed out in `seq` order, which is commit order
      // within a partner (its eventStreams row is held from the append to the commit).
      await sql`
        create function pass_sequence_events(wanted bigint[])
        returns table("eventSeq" bigint, "eventId" integer)
        language plpgsql volatile as $fn$
        declare
          base integer;
          stamped integer;
        begin
          if exists (select 1 from events e where e.id is null) then
            select m."lastEventId" into base from "logMeta" m where m.id = 1 for update;
            with pending as (
              select e.seq as s, row_number() over (order by e.seq) as rn from events e where e.id is null
            )
            update events e set id = base + pending.rn from pending where e.seq = pending.s;
            get diagnostics stamped = row_count;
            if stamped > 0 then
              update "logMeta" m set "lastEventId" = base + stamped where m.id = 1;
            end if;
          end if;
          return query select e.seq, e.id from events e where e.seq = any(wanted);
        end
        $fn$`.execute(db);
    },
  }),
  "0020_reports": () => ({
    async up(db: Kysely<any>) {
      // Reports and the end-of-day Z report (issue "Reports and end of day", lib/reports). Reports
      // read a partner's orders by business day: a covering index, so the days' totals and stamps
      // come from the index alone (docs/architecture.md "Reports").
      await db.schema
        .createIndex("orders_partner_day")
        .on("orders")
        .columns([
          "partnerId",
          "businessDay",
          "status",
          "total",
          "subTotal",
          "discount",
          "surcharge",
          "confirmedAt",
          "createdAt",
          "statusChangedAt",
        ])
        .execute();
      // How many times a station took its bumped part back (the kitchen's recall), for speed of service.
      await db.schema
        .alterTable("lineParts")
        .addColumn("recalls", "integer", (c) => c.notNull().defaultTo(0))
        .execute();
      // No covering index on lines, parts or payments: measured (npm run bench:reports, the same-run
      // baseline) they did not speed up computing a year from its orders, and lineParts is written
      // at every bump; the stored groups below are what makes a long range fast.

      // 86 time from the sold-out events while the log keeps them.
      await db.schema.createIndex("events_partner_type_created").on("events").columns(["partnerId", "type", "createdAt"]).execute();
      // One Z report per partner and business day: the primary key is what makes the end-of-day job
      // write it once, whichever node gets there first (a conditional insert).
      await db.schema
        .createTable("zReports")
        .addColumn("partnerId", "text", (c) => c.notNull().references("partners.id"))
        .addColumn("businessDay", "text", (c) => c.notNull())
        .addColumn("figures", "text", (c) => c.notNull()) // JSON: lib/reports ReportFigures
        .addColumn("pdf", "text", (c) => c.notNull()) // base64 of the PDF
        .addColumn("createdAt", "text", (c) => c.notNull())
        .addColumn("createdBy", "text", (c) => c.notNull()) // the node that won
        .addPrimaryKeyConstraint("zReports_pk", ["partnerId", "businessDay"])
        .execute();
      // Each ended business day's report groups (lib/reports/figures.ts DayGroups), so a year's
      // report merges 365 rows instead of re-reading 200,000 orders. `stamp` is, per status, the
      // day's orders' count, latest status change and total when computed: a later change recomputes it.
      await db.schema
        .createTable("reportDays")
        .addColumn("partnerId", "text", (c) => c.notNull().references("partners.id"))
        .addColumn("businessDay", "text", (c) => c.notNull())
        .addColumn("stamp", "text", (c) => c.notNull())
        .addColumn("groups", "text", (c) => c.notNull()) // JSON DayGroups
        .addColumn("sums", "text", (c) => c.notNull()) // JSON {sums, daySums?}: what the week before reads
        .addColumn("computedAt", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("reportDays_pk", ["partnerId", "businessDay"])
        .execute();
    },
  }),
};

export function migrationProvider(dialect: Dialect): MigrationProvider {
  return {
    async getMigrations() {
      return Object.fromEntries(Object.entries(migrations).map(([name, make]) => [name, make(dialect)]));
    },
  };
}
