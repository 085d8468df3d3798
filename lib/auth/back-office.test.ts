import { beforeAll, expect, it } from "vitest";
import { logPosition, readEvents } from "../events/log";
import { describeEachDatabase } from "../testing/each-database";
import { makePartner, makeUser, type TestPartner } from "../testing/fixtures";
import type { Principal } from "./access";
import { issueDevice, listDevices, revokeDevice } from "./devices";
import { claimPairing, normaliseCode, PAIRING_TTL_MS, pollPairing, startPairing } from "./pairing";
import { login, resolvePrincipal } from "./service";
import { addUser, listUsers, updateUser } from "./users-admin";

describeEachDatabase("the back office's users, devices and pairing", (t) => {
  let demo: TestPartner;
  let other: TestPartner;
  let operator: Principal;
  let otherOperator: Principal;
  let chef: Principal;
  let admin: Principal;

  beforeAll(async () => {
    demo = await makePartner(t.db, "demo");
    other = await makePartner(t.db, "other");
    operator = (await makeUser(t.db, { partnerId: demo.partner.id, role: "operator", username: "op" })).principal;
    otherOperator = (await makeUser(t.db, { partnerId: other.partner.id, role: "operator", username: "op2" })).principal;
    chef = (await makeUser(t.db, { partnerId: demo.partner.id, role: "kitchen", username: "chef" })).principal;
    admin = (await makeUser(t.db, { partnerId: null, role: "admin", username: "root" })).principal;
  });

  const usersOf = async (principal: Principal, partner = "demo") =>
    (await listUsers({ db: t.db, principal, partner })).map((u) => `${u.username}:${u.role}${u.disabled ? ":off" : ""}`);
  const countUsers = async () => (await t.db.selectFrom("users").select("id").execute()).length;

  it("users: an operator adds, resets, changes role and disables their partner's users; the policy applies", async () => {
    const ana = await addUser({
      db: t.db,
      principal: operator,
      partner: "demo",
      input: { username: "Ana", role: "kitchen", password: "a-long-pass-7731" },
    });
    expect(ana).toMatchObject({ username: "ana", role: "kitchen", partnerId: demo.partner.id });
    expect(await usersOf(operator)).toEqual(["ana:kitchen", "chef:kitchen", "op:operator"]);
    const { sessionToken } = await login({ db: t.db, username: "ana", password: "a-long-pass-7731" });

    await updateUser({ db: t.db, principal: operator, id: ana.id, patch: { password: "another-pass-9902" } });
    // The reset ends her sessions and the new password works.
    expect(await resolvePrincipal({ db: t.db, cookieHeader: `pass_session=${sessionToken}` })).toBeNull();
    await expect(login({ db: t.db, username: "ana", password: "a-long-pass-7731" })).rejects.toMatchObject({ status: 401 });
    await login({ db: t.db, username: "ana", password: "another-pass-9902" });

    expect((await updateUser({ db: t.db, principal: operator, id: ana.id, patch: { role: "operator" } })).role).toBe("operator");
    const position = (await logPosition({ db: t.db })).lastEventId;
    expect((await updateUser({ db: t.db, principal: operator, id: ana.id, patch: { disabled: true } })).disabled).toBe(true);
    expect((await readEvents({ db: t.db, afterId: position, limit: 5 })).map((e) => e.type)).toEqual(["auth.revoked"]);
    await expect(login({ db: t.db, username: "ana", password: "another-pass-9902" })).rejects.toMatchObject({ status: 401 });
    expect((await updateUser({ db: t.db, principal: operator, id: ana.id, patch: { disabled: false } })).disabled).toBe(false);
    // Several changes at once: one transaction, one revocation.
    const at = (await logPosition({ db: t.db })).lastEventId;
    const both = await updateUser({ db: t.db, principal: operator, id: ana.id, patch: { role: "kitchen", password: "third-pass-55120" } });
    expect(both.role).toBe("kitchen");
    expect((await readEvents({ db: t.db, afterId: at, limit: 5 })).map((e) => [e.type, (e.payload as { reason: string }).reason])).toEqual([
      ["auth.revoked", "password-reset"],
    ]);
    await login({ db: t.db, username: "ana", password: "third-pass-55120" });
  });

  it.each([
    [{ username: "weak", role: "kitchen", password: "short" }, "password", 400],
    [{ username: "weak2", role: "kitchen", password: "password123" }, "password", 400],
    [{ username: "weak3", role: "kitchen", password: "nul\u0000-in-the-password" }, "password", 400],
    [{ username: "op", role: "kitchen", password: "a-long-pass-7731" }, "username", 400],
    [{ username: "x", role: "kitchen", password: "a-long-pass-7731" }, "username", 400],
    [{ username: "boss", role: "admin", password: "a-long-pass-7731" }, "role", 403],
  ] as const)("an operator adding %j is refused on %s (%i), nothing written", async (input, field, status) => {
    const before = await countUsers();
    await expect(addUser({ db: t.db, principal: operator, partner: "demo", input: { ...input } })).rejects.toMatchObject({
      status,
      details: { field },
    });
    expect(await countUsers()).toBe(before);
  });

  it("an operator cannot touch another partner's users or admins, nor make an admin; the kitchen manages nobody", async () => {
    const rootRow = await t.db.selectFrom("users").select("id").where("username", "=", "root").executeTakeFirstOrThrow();
    const op2Row = await t.db.selectFrom("users").select("id").where("username", "=", "op2").executeTakeFirstOrThrow();
    const chefRow = await t.db.selectFrom("users").select(["id", "role"]).where("username", "=", "chef").executeTakeFirstOrThrow();
    await expect(updateUser({ db: t.db, principal: operator, id: op2Row.id, patch: { disabled: true } })).rejects.toMatchObject({
      status: 404,
    });
    await expect(
      updateUser({ db: t.db, principal: operator, id: rootRow.id, patch: { password: "x-long-pass-1234" } }),
    ).rejects.toMatchObject({ status: 404 });
    await expect(updateUser({ db: t.db, principal: operator, id: chefRow.id, patch: { role: "admin" } })).rejects.toMatchObject({
      status: 403,
      details: { field: "role" },
    });
    // A bad password with a good role: nothing changes (every field is checked first).
    await expect(
      updateUser({ db: t.db, principal: operator, id: chefRow.id, patch: { role: "operator", password: "short" } }),
    ).rejects.toMatchObject({
      details: { field: "password" },
    });
    expect((await t.db.selectFrom("users").select("role").where("id", "=", chefRow.id).executeTakeFirstOrThrow()).role).toBe("kitchen");
    await expect(listUsers({ db: t.db, principal: operator, partner: "other" })).rejects.toMatchObject({
      status: 404,
      details: { field: "partner" },
    });
    await expect(listUsers({ db: t.db, principal: chef, partner: "demo" })).rejects.toMatchObject({ status: 403 });
    const opRow = await t.db.selectFrom("users").select("id").where("username", "=", "op").executeTakeFirstOrThrow();
    await expect(updateUser({ db: t.db, principal: operator, id: opRow.id, patch: { disabled: true } })).rejects.toMatchObject({
      details: { field: "disabled" },
    });
    // An admin sees the admins too, and may make one.
    expect(await usersOf(admin, "other")).toEqual(["op2:operator", "root:admin"]);
    expect(
      (
        await addUser({
          db: t.db,
          principal: admin,
          partner: "demo",
          input: { username: "boss", role: "admin", password: "a-long-pass-7731" },
        })
      ).partnerId,
    ).toBeNull();
  });

  it("devices: issued once with its secret, listed with last seen, revoked (and then no one)", async () => {
    const issued = await issueDevice({ db: t.db, principal: operator, partner: "demo", input: { name: "Grill TV", role: "kitchen" } });
    expect(issued.token).toMatch(/^pass_/);
    const row = await t.db.selectFrom("deviceTokens").selectAll().where("id", "=", issued.id).executeTakeFirstOrThrow();
    expect(row.tokenHash).not.toContain(issued.token);
    let listed = (await listDevices({ db: t.db, principal: operator, partner: "demo" })).find((d) => d.id === issued.id)!;
    expect(listed).toMatchObject({ name: "Grill TV", role: "kitchen", lastSeenAt: null, revokedAt: null });
    expect(JSON.stringify(listed)).not.toContain(issued.token);
    const seen = await resolvePrincipal({ db: t.db, authorization: `Bearer ${issued.token}` });
    expect(seen?.principal).toMatchObject({ kind: "token", role: "kitchen", partnerId: demo.partner.id });
    listed = (await listDevices({ db: t.db, principal: operator, partner: "demo" })).find((d) => d.id === issued.id)!;
    expect(listed.lastSeenAt).not.toBeNull();

    await expect(revokeDevice({ db: t.db, principal: otherOperator, id: issued.id })).rejects.toMatchObject({ status: 404 });
    await expect(listDevices({ db: t.db, principal: otherOperator, partner: "demo" })).rejects.toMatchObject({ status: 404 });
    await revokeDevice({ db: t.db, principal: operator, id: issued.id });
    await expect(resolvePrincipal({ db: t.db, authorization: `Bearer ${issued.token}` })).rejects.toMatchObject({ status: 401 });
    // As a paired screen's cookie, a revoked token is simply no one.
    expect(await resolvePrincipal({ db: t.db, cookieHeader: `pass_device=${issued.token}` })).toBeNull();
    await expect(
      issueDevice({ db: t.db, principal: operator, partner: "demo", input: { name: "x", role: "root" as never } }),
    ).rejects.toMatchObject({
      details: { field: "role" },
    });
    await expect(
      issueDevice({ db: t.db, principal: operator, partner: "demo", input: { name: "bad\u0000", role: "printer" } }),
    ).rejects.toMatchObject({
      details: { field: "name" },
    });
    await expect(issueDevice({ db: t.db, principal: chef, partner: "demo", input: { name: "x", role: "printer" } })).rejects.toMatchObject({
      status: 403,
    });
  });

  const claim = (code: string, principal: Principal = operator, partner = "demo", extra: Record<string, unknown> = {}) =>
    claimPairing({ db: t.db, principal, partner, input: { code, role: "kitchen", station: "fryer", name: "Fryer TV", ...extra } });

  it("pairing: the screen waits, an operator claims the code, the screen receives a kitchen token once", async () => {
    const { code, secret, expiresAt } = await startPairing({ db: t.db });
    expect(code).toMatch(/^[A-Z2-9]{8}$/);
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(PAIRING_TTL_MS - 5_000);
    const stored = await t.db.selectFrom("pairings").selectAll().execute();
    expect(JSON.stringify(stored)).not.toContain(code);
    expect(JSON.stringify(stored)).not.toContain(secret);
    expect(await pollPairing({ db: t.db, secret })).toMatchObject({ status: "waiting" });

    // Typed as people type it: lower case, with the dash.
    const typed = `${code.slice(0, 4).toLowerCase()}-${code.slice(4)}`;
    expect(normaliseCode(typed)).toBe(code);
    expect(await claim(typed)).toMatchObject({ role: "kitchen", station: "fryer", path: "/kitchen?station=fryer" });

    const paired = await pollPairing({ db: t.db, secret });
    expect(paired).toMatchObject({ status: "paired", path: "/kitchen?station=fryer", name: "Fryer TV" });
    const token = (paired as { token: string }).token;
    const device = await resolvePrincipal({ db: t.db, cookieHeader: `pass_device=${token}` });
    expect(device).toMatchObject({
      via: "cookie",
      principal: { kind: "token", role: "kitchen", name: "Fryer TV", partnerId: demo.partner.id },
    });
    // Delivered once: the next poll gets nothing more.
    expect(await pollPairing({ db: t.db, secret })).toEqual({ status: "used" });
    // The device is in the back office's list, revocable like any other.
    expect((await listDevices({ db: t.db, principal: operator, partner: "demo" })).map((d) => d.name)).toContain("Fryer TV");

    // Reused: 400 naming the code.
    await expect(claim(code)).rejects.toMatchObject({ status: 400, details: { field: "code" } });
    await expect(claim(code, otherOperator, "other")).rejects.toMatchObject({ details: { field: "code" } });
  });

  it("pairing: expired, another partner's, unknown and malformed codes are refused naming their field; nothing is claimed", async () => {
    const past = new Date(Date.now() - PAIRING_TTL_MS - 60_000);
    const old = await startPairing({ db: t.db, now: past });
    await expect(claim(old.code)).rejects.toMatchObject({ status: 400, details: { field: "code" } });
    expect(await pollPairing({ db: t.db, secret: old.secret })).toEqual({ status: "expired" });

    // Opened as /pair?partner=other: demo's operator is told it does not exist.
    const bound = await startPairing({ db: t.db, partner: "other" });
    await expect(claim(bound.code)).rejects.toMatchObject({ status: 404, details: { field: "code" } });
    expect(await pollPairing({ db: t.db, secret: bound.secret })).toMatchObject({ status: "waiting" });
    // …and its own operator may claim it (no station at other's: a plain kitchen screen).
    expect(await claim(bound.code, otherOperator, "other", { station: null })).toMatchObject({ path: "/kitchen" });

    const fresh = await startPairing({ db: t.db });
    await expect(claim("ZZZZZZZZ")).rejects.toMatchObject({ status: 404, details: { field: "code" } });
    await expect(claim("short")).rejects.toMatchObject({ status: 400, details: { field: "code" } });
    await expect(claim("ABCD\u0000EFG")).rejects.toMatchObject({ status: 400, details: { field: "code" } });
    await expect(claim(fresh.code, operator, "demo", { role: "integration" })).rejects.toMatchObject({ details: { field: "role" } });
    await expect(claim(fresh.code, operator, "demo", { station: "wok" })).rejects.toMatchObject({ details: { field: "station" } });
    await expect(claim(fresh.code, operator, "demo", { role: "display", station: "fryer" })).rejects.toMatchObject({
      details: { field: "station" },
    });
    await expect(claim(fresh.code, operator, "demo", { name: "" })).rejects.toMatchObject({ details: { field: "name" } });
    await expect(claim(fresh.code, chef)).rejects.toMatchObject({ status: 403 });
    await expect(claim(fresh.code, otherOperator, "demo")).rejects.toMatchObject({ status: 404, details: { field: "partner" } });
    // None of those claimed it: still waiting, and a good claim still works.
    expect(await pollPairing({ db: t.db, secret: fresh.secret })).toMatchObject({ status: "waiting" });
    await claim(fresh.code, operator, "demo", { role: "display", station: null, name: "Board" });
    expect(await pollPairing({ db: t.db, secret: fresh.secret })).toMatchObject({ status: "paired", path: "/board" });
    await expect(pollPairing({ db: t.db, secret: "pair_unknown" })).rejects.toMatchObject({ status: 404 });
  });
});
