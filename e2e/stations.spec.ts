/**
 * Issue "Station workflow", the kitchen: one service on three stations (grill, fryer, bar) with
 * expo, the guest board and the guest's /track page open at once; courses; the wall TV with 30
 * open tickets on the bump bar; no layout shift while tickets (RUSH among them) arrive; the
 * whole card's colour at the prep target.
 */
import type { APIRequestContext, BrowserContext, Locator, Page } from "@playwright/test";
import { BoardPage, KitchenPage } from "./pages/screens";
import {
  cancelOrder,
  configuredOrigin,
  confirmOrder,
  expect,
  fetchMenu,
  type Menu,
  placeOrder,
  signIn,
  stationAction,
  test,
} from "./support/fixtures";

const WALL = { width: 1920, height: 1080 };

async function openKitchen(context: BrowserContext, station?: string) {
  const k = new KitchenPage(await context.newPage());
  await k.goto(station);
  return k;
}

type Line = { food: string; course?: number };
async function order(request: APIRequestContext, menu: Menu, items: Line[], extra: Parameters<typeof placeOrder>[1] = {}) {
  const created = await placeOrder(request, { as: "staff", menu, items, ...extra });
  const confirmed = await confirmOrder(request, created.id);
  return { ...created, ticketNumber: confirmed.ticketNumber };
}

async function waitingOnOf(request: APIRequestContext, id: number): Promise<string[]> {
  const res = await request.get(`/api/orders/${id}`);
  expect(res.status()).toBe(200);
  return ((await res.json()) as { waitingOn: string[] }).waitingOn;
}

/**
 * Each line shown lies whole inside the card's list; the ones not shown are the "+N more lines"
 * (a single line taller than the room says "the rest of this line[, +N more lines] — show all").
 */
async function expectEveryLineAccounted(card: Locator) {
  // The Bump button is whole inside its card, whatever the card holds (an allergy band among them).
  const [c, bump] = [(await card.boundingBox())!, (await card.getByTestId("bump").boundingBox())!];
  expect(bump.y + bump.height).toBeLessThanOrEqual(c.y + c.height + 1);
  const total = Number(await card.getAttribute("data-lines"));
  const lines = await card.getByTestId("ticket-lines").getByTestId("ticket-line").all();
  const more = card.getByTestId("more-lines");
  const hidden = (await more.count()) ? Number(await more.getAttribute("data-hidden")) : 0;
  expect(lines.length + hidden).toBe(total);
  if ((await more.count()) && (await more.getAttribute("data-cut")) === "true") {
    // The one line left is taller than the room: the button says so ("the rest of this line").
    expect(lines).toHaveLength(1);
    await expect(more).toContainText("the rest of this line");
    return;
  }
  if (lines.length === 0) return; // no room for a row: all of them behind "show all"
  const list = (await card.getByTestId("ticket-lines").boundingBox())!;
  for (const line of lines) {
    const box = (await line.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(list.y - 1);
    expect(box.y + box.height).toBeLessThanOrEqual(list.y + list.height + 1);
  }
}

/** Where each shown card is (by order id): an arrival must leave every one of them where it was. */
async function cardBoxes(page: Page) {
  const out = new Map<string, { x: number; y: number }>();
  for (const card of await page.locator('[data-testid="ticket"]:visible').all()) {
    const box = (await card.boundingBox())!;
    out.set((await card.getAttribute("data-id"))!, { x: Math.round(box.x), y: Math.round(box.y) });
  }
  return out;
}
function expectStill(before: Map<string, { x: number; y: number }>, after: Map<string, { x: number; y: number }>) {
  let compared = 0;
  for (const [id, box] of before) {
    expect(after.get(id), `card ${id} stays on screen, in place`).toEqual(box);
    compared++;
  }
  expect(compared).toBeGreaterThan(0);
}

/** The selected card is on screen, inside the viewport. */
async function expectSelectionOnScreen(page: Page) {
  const selected = page.locator('[data-testid="ticket"][data-selected="true"]');
  await expect(selected).toHaveCount(1);
  await expect(selected).toBeInViewport({ ratio: 1 });
  return Number(await selected.getAttribute("data-id"));
}

test("grill, fryer and bar bump their own lines; expo, the board and /track follow the order's READY; undo; courses", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const context = await browser.newContext({ viewport: WALL });
  await signIn(context.request);
  const api = context.request;
  const menu = await fetchMenu(api);
  const [grill, fryer, bar, expo] = await Promise.all([
    openKitchen(context, "grill"),
    openKitchen(context, "fryer"),
    openKitchen(context, "bar"),
    openKitchen(context),
  ]);
  const board = new BoardPage(await context.newPage());
  await board.goto();

  // One order with food at three stations; the guest follows it on /track.
  const a = await order(api, menu, [{ food: "Cheeseburger" }, { food: "Fries" }, { food: "Lemonade" }], { serviceType: "takeaway" });
  const n = a.ticketNumber;
  const track = await context.newPage();
  await track.goto(`/track/${a.id}?token=${a.trackingToken}`);
  await expect(track.getByTestId("track-number")).toHaveText(String(n));

  // Each station sees its own line only; expo sees a tick per station, all open.
  await expect((await grill.reveal(n)).getByTestId("ticket-line")).toHaveText([/1× Cheeseburger/]);
  await expect((await fryer.reveal(n)).getByTestId("ticket-line")).toHaveText([/1× Fries/]);
  await expect((await bar.reveal(n)).getByTestId("ticket-line")).toHaveText([/1× Lemonade/]);
  const expoCard = await expo.reveal(n);
  await expect(expoCard.getByTestId("service-type")).toHaveText(/Takeaway/);
  await expect(expoCard.getByTestId("ticket-number")).toHaveText(`#${n}`);
  for (const s of ["grill", "fryer", "bar"]) await expect(expo.tick(n, s)).toHaveAttribute("data-state", "open");
  await expect(board.preparing(n)).toBeVisible();

  // The grill bumps: its card offers Undo; fryer and bar keep their items; the board does not call it.
  await grill.bump(n);
  await expect(grill.ticket(n).getByTestId("undo")).toBeVisible();
  await expect(grill.line(n, "Cheeseburger")).toHaveAttribute("data-state", "DONE");
  await expect(expo.tick(n, "grill")).toHaveAttribute("data-state", "done");
  const waiting = await waitingOnOf(api, a.id);
  expect([...waiting].sort()).toEqual(["bar", "fryer"]);
  await expect(expo.waitingOn(n)).toHaveText(`waiting on: ${waiting.join(", ")}`);
  await expect(fryer.line(n, "Fries")).toHaveAttribute("data-state", "QUEUED");
  await expect(bar.line(n, "Lemonade")).toHaveAttribute("data-state", "QUEUED");
  await expect(board.preparing(n)).toBeVisible();
  await expect(board.ready(n)).toHaveCount(0);
  await expect(track.getByTestId("track-status")).not.toHaveAttribute("data-status", "READY");
  await grill.page.screenshot({ path: "/tmp/kds-station-grill.png" });
  await expo.page.screenshot({ path: "/tmp/kds-expo.png" });
  // Ten seconds on, the Undo is gone and so is the ticket: everything of it at the grill is done.
  await expect(grill.ticket(n)).toHaveCount(0, { timeout: 15_000 });
  await expect(grill.ready(n)).toBeVisible();

  // The fryer taps its line (a per-line bump); the bar bumps with the bump bar (select, Enter).
  await fryer.bumpLine(n, "Fries");
  await expect(expo.tick(n, "fryer")).toHaveAttribute("data-state", "done");
  await expect(expo.waitingOn(n)).toHaveText("waiting on: bar");
  await expect(board.ready(n)).toHaveCount(0);
  await bar.ticket(n).getByTestId("ticket-number").click();
  await bar.page.keyboard.press("s");
  await expect(bar.line(n, "Lemonade")).toHaveAttribute("data-state", "STARTED");
  await bar.page.keyboard.press("Enter");
  // The last station's bump: the order is READY — the board calls the number, /track says Ready.
  await expect(board.ready(n)).toBeVisible();
  await expect(track.getByTestId("track-status")).toHaveAttribute("data-status", "READY");
  await expect(expo.ticket(n)).toHaveCount(0);
  await expect(expo.ready(n)).toBeVisible();

  // Undo within 10 s (the U key): the bar's line is back, the order is not ready any more.
  await expect(bar.ticket(n).getByTestId("undo")).toBeVisible();
  await bar.page.keyboard.press("u");
  await expect(bar.line(n, "Lemonade")).toHaveAttribute("data-state", "STARTED");
  await expect(board.ready(n)).toHaveCount(0);
  await expect(board.preparing(n)).toBeVisible();
  await expect(track.getByTestId("track-status")).not.toHaveAttribute("data-status", "READY");
  await expect(expo.waitingOn(n)).toHaveText("waiting on: bar");
  await bar.bump(n);
  await expect(board.ready(n)).toBeVisible();

  // Two courses: the milkshake (course 2) reaches the bar only once the grill's course 1 is done.
  const b = await order(api, menu, [{ food: "Classic Burger" }, { food: "Milkshake", course: 2 }]);
  const m = b.ticketNumber;
  await grill.reveal(m);
  await expo.reveal(m);
  await expect(expo.tick(m, "bar")).toHaveAttribute("data-state", "held");
  await expect(expo.line(m, "Milkshake")).toHaveAttribute("data-state", "HELD");
  await expect(expo.ticket(m).locator('[data-testid="fire-course"][data-course="2"]')).toBeVisible();
  await expect(bar.ticket(m)).toHaveCount(0);
  await expo.page.screenshot({ path: "/tmp/kds-expo-course.png" });
  await grill.bump(m);
  await expect((await bar.reveal(m)).getByTestId("ticket-line")).toHaveText([/1× Milkshake/]);
  await expect(expo.tick(m, "bar")).toHaveAttribute("data-state", "open");

  // "Fire course 2" by hand from expo: the espresso goes to the bar before the iced tea is done.
  const c = await order(api, menu, [{ food: "Iced Tea" }, { food: "Espresso", course: 2 }]);
  await expect((await bar.reveal(c.ticketNumber)).getByTestId("ticket-line")).toHaveText([/Iced Tea/]);
  await expo.fireCourse(c.ticketNumber, 2);
  await expect(bar.ticket(c.ticketNumber).getByTestId("ticket-line")).toHaveText([/Iced Tea/, /Espresso/]);
  await bar.page.screenshot({ path: "/tmp/kds-station-bar.png" });

  // An illegal move is refused with the server's message on the card, and nothing else changes:
  // a second bar screen whose stream is cut (a network fault) still shows the ticket after the
  // bar finished it elsewhere; its Bump gets the 409 and says why.
  // (its own browser context: tabs of one context share one stream)
  const other = await browser.newContext({ viewport: WALL });
  await signIn(other.request);
  const stale = new KitchenPage(await other.newPage());
  await stale.page.route("**/api/events/**", (route) => route.abort());
  await stale.page.goto("/kitchen?station=bar");
  await stale.reveal(c.ticketNumber);
  const done = await api.post(`/api/orders/${c.id}/stations/bar/bump`, { data: {}, headers: { origin: configuredOrigin() } });
  expect(done.status()).toBe(200);
  await stale.bump(c.ticketNumber);
  await expect(stale.ticket(c.ticketNumber).getByTestId("card-error")).toHaveText("nothing at 'bar' is in progress");
  await expect(stale.line(c.ticketNumber, "Espresso")).toHaveAttribute("data-state", "QUEUED");
  await expect(stale.ticket(c.ticketNumber).getByTestId("undo")).toHaveCount(0);
  await stale.page.screenshot({ path: "/tmp/kds-station-409.png" });
  await other.close();
  await context.close();
});

test("expo confirms: the card stands out when every station is done; the whole card turns warning, then late", async ({ browser }) => {
  test.setTimeout(90_000);
  const context = await browser.newContext({ viewport: WALL });
  await signIn(context.request);
  const api = context.request;
  const menu = await fetchMenu(api);
  const headers = { origin: configuredOrigin() };
  const before = await (await api.get("/api/partners/demo/kitchen-settings")).json();
  // An order placed under "expo confirms" and short thresholds (10 % / 20 % of the espresso's 2 minutes).
  expect(
    (
      await api.patch("/api/partners/demo/kitchen-settings", { data: { expoConfirms: true, warnPercent: 10, latePercent: 20 }, headers })
    ).status(),
  ).toBe(200);
  let d: Awaited<ReturnType<typeof order>>;
  try {
    d = await order(api, menu, [{ food: "Espresso" }], { serviceType: "pickup", priority: "HIGH" });
  } finally {
    const restore = { expoConfirms: before.expoConfirms, warnPercent: before.warnPercent, latePercent: before.latePercent };
    expect((await api.patch("/api/partners/demo/kitchen-settings", { data: restore, headers })).status()).toBe(200);
  }
  const n = d.ticketNumber;
  const bar = await openKitchen(context, "bar");
  const expo = await openKitchen(context);
  const board = new BoardPage(await context.newPage());
  await board.goto();
  const card = await bar.reveal(n);
  await expect(card).toHaveAttribute("data-urgency", "warn", { timeout: 20_000 });
  await expect(card.getByTestId("urgency")).toHaveText("WARNING");
  await expect(card).toHaveAttribute("data-urgency", "late", { timeout: 20_000 });
  await expect(card.getByTestId("urgency")).toHaveText("LATE");
  // Not a chip: the card's own background changes.
  expect(await card.evaluate((el) => getComputedStyle(el).backgroundColor)).not.toBe("rgb(21, 24, 29)");
  await expect(expo.ticket(n)).toHaveAttribute("data-urgency", "late");
  await bar.page.screenshot({ path: "/tmp/kds-station-late.png" });

  await bar.bump(n);
  const expoCard = await expo.reveal(n);
  await expect(expoCard).toHaveAttribute("data-ready-to-send", "true");
  await expect(expoCard.getByTestId("ready-to-send")).toHaveText("READY TO SEND");
  await expect(board.ready(n)).toHaveCount(0);
  await expo.page.screenshot({ path: "/tmp/kds-expo-ready-to-send.png" });
  await expo.expoBump(n);
  await expect(board.ready(n)).toBeVisible();
  // Expo's bump is undone with U within 10 s: the board stops calling it, the card is back.
  await expect(expo.ready(n).getByTestId("undo")).toBeVisible();
  await expo.page.keyboard.press("u");
  await expect(board.ready(n)).toHaveCount(0);
  await expect(await expo.reveal(n)).toHaveAttribute("data-ready-to-send", "true");
  await expo.expoBump(n);
  await expect(board.ready(n)).toBeVisible();
  await context.close();
});

test("the wall TV: 30 open tickets all reachable with the bump bar, the selection always on screen; pages and compact cards", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const context = await browser.newContext({ viewport: WALL });
  await signIn(context.request);
  const api = context.request;
  const menu = await fetchMenu(api);
  const foods = ["Cheeseburger", "Fries", "Lemonade", "Caesar Salad", "Onion Rings", "Iced Tea", "Grilled Chicken"];
  const types = ["dine-in", "takeaway", "delivery", "pickup"] as const;
  const allergyTickets: number[] = [];
  for (let i = 0; i < 30; i++) {
    const placed = await order(api, menu, [{ food: foods[i % foods.length]! }, { food: foods[(i + 3) % foods.length]! }], {
      serviceType: types[i % 4],
      priority: i % 11 === 5 ? "HIGH" : "NORMAL",
      table: String(i + 1),
      ...(i % 10 === 2 ? { allergies: { codes: ["peanuts", "sesame"], note: "severe, carries an EpiPen" } } : {}),
    });
    if (i % 10 === 2) allergyTickets.push(placed.ticketNumber);
  }
  const expo = await openKitchen(context);
  const total = Number(await expo.grid().getAttribute("data-count"));
  expect(total).toBeGreaterThanOrEqual(30);

  for (const density of ["normal", "compact"] as const) {
    await expo.density(density);
    const pages = Number(await expo.grid().getAttribute("data-pages"));
    expect(pages).toBeGreaterThan(1);
    // Back to the first page, then walk every ticket with the arrow key.
    for (let i = 0; i < pages; i++) await expo.page.keyboard.press("PageUp");
    await expect(expo.grid()).toHaveAttribute("data-page", "0");
    // "+N more →", with RUSH in front when a RUSH ticket waits on a later page.
    await expect(expo.page.getByTestId("more")).toHaveText(/^(RUSH)?\+\d+ more →$/);
    await expo.page.screenshot({ path: `/tmp/kds-wall-${density}-page1.png` });
    for (const card of await expo.page.locator('[data-testid="ticket"]:visible').all()) await expectEveryLineAccounted(card);
    const seen = new Set<number>();
    for (let i = 0; i < total; i++) {
      seen.add(await expectSelectionOnScreen(expo.page));
      await expo.page.keyboard.press("ArrowRight");
    }
    expect(seen.size).toBe(total);
    await expect(expo.grid()).toHaveAttribute("data-page", String(pages - 1));
    await expo.page.screenshot({ path: `/tmp/kds-wall-${density}-last.png` });
    // PageUp turns back; 1–9 choose on the page shown.
    await expo.page.keyboard.press("PageUp");
    await expo.page.keyboard.press("3");
    await expectSelectionOnScreen(expo.page);
    // No page scrolls: the document is the viewport.
    expect(await expo.page.evaluate(() => document.documentElement.scrollHeight <= window.innerHeight)).toBe(true);
  }
  // A compact allergy card keeps its buttons inside its slot and every allergen on the band; a line
  // that does not fit beside the band is counted in "+N more lines", never cut by the card's edge.
  const inside = async (card: Locator, part: Locator) => {
    const [c, p] = [(await card.boundingBox())!, (await part.boundingBox())!];
    expect(p.y + p.height).toBeLessThanOrEqual(c.y + c.height);
    expect(p.height).toBeGreaterThanOrEqual(44);
  };
  for (const ticket of allergyTickets) {
    const card = await expo.reveal(ticket);
    await expect(card.getByTestId("allergy-band")).toBeVisible();
    await expectEveryLineAccounted(card);
    // Every declared allergen is on the compact band; nothing safety-relevant is cut.
    await expect(card.getByTestId("allergy-text")).toHaveText("⚠ ALLERGY: Peanuts, Sesame");
    await inside(card, card.getByTestId("allergy-seen"));
    await inside(card, card.getByTestId("bump"));
  }
  // Every compact card on the page shows its lines whole or counts them in "+N more lines".
  for (const card of await expo.page.locator('[data-testid="ticket"]:visible').all()) await expectEveryLineAccounted(card);
  await expo.page.screenshot({ path: "/tmp/kds-wall-compact-allergy.png" });
  // A ticket longer than its compact slot: "+N more lines" opens every line over the grid (M or a tap).
  const long = await order(
    api,
    menu,
    ["Fries", "Lemonade", "Caesar Salad", "Onion Rings", "Iced Tea", "Grilled Chicken", "Espresso"].map((food) => ({ food })),
  );
  const longCard = await expo.reveal(long.ticketNumber);
  await expect(longCard.getByTestId("more-lines")).toHaveText(/^\+\d more lines — show all \(M\)$/);
  await longCard.getByTestId("ticket-number").click();
  await expo.page.keyboard.press("m");
  const overlay = expo.page.getByTestId("ticket-overlay");
  await expect(overlay.getByTestId("ticket-line")).toHaveCount(7);
  await expect(overlay.getByTestId("ticket-line").last()).toBeInViewport();
  await expo.page.screenshot({ path: "/tmp/kds-wall-compact-overlay.png" });
  await expo.page.keyboard.press("Escape");
  await expect(overlay).toHaveCount(0);
  await longCard.getByTestId("more-lines").click();
  await expect(overlay.getByTestId("ticket-line")).toHaveCount(7);
  await overlay.getByTestId("overlay-close").click();
  await expect(overlay).toHaveCount(0);
  // The density is kept on this screen.
  await expo.page.reload();
  await expect(expo.grid()).toHaveAttribute("data-density", "compact");
  await expo.density("normal");
  await context.close();
});

test("no layout shift while tickets arrive, RUSH among them (CLS < 0.05)", async ({ browser }) => {
  test.setTimeout(90_000);
  const context = await browser.newContext({ viewport: WALL });
  await signIn(context.request);
  const api = context.request;
  const menu = await fetchMenu(api);
  const expo = await openKitchen(context);
  const grill = await openKitchen(context, "grill");
  const measure = (p: Page) =>
    p.evaluate(() => {
      const w = window as unknown as { __cls: number };
      w.__cls = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries() as unknown as { value: number; hadRecentInput: boolean }[])
          if (!e.hadRecentInput) w.__cls += e.value;
      }).observe({ type: "layout-shift" });
    });
  await Promise.all([measure(expo.page), measure(grill.page)]);
  const before = Number(await expo.grid().getAttribute("data-count"));
  for (let i = 0; i < 12; i++) {
    await order(api, menu, [{ food: "Cheeseburger" }, { food: i % 2 ? "Fries" : "Lemonade" }], {
      priority: i % 4 === 1 ? "HIGH" : "NORMAL",
    });
    await expo.page.waitForTimeout(150);
  }
  await expect(expo.grid()).toHaveAttribute("data-count", String(before + 12));
  await expo.page.waitForTimeout(500);
  const cls = await Promise.all([expo.page, grill.page].map((p) => p.evaluate(() => (window as unknown as { __cls: number }).__cls)));
  console.log(`CLS while 12 tickets (3 RUSH) arrived: expo ${cls[0]!.toFixed(4)}, grill ${cls[1]!.toFixed(4)}`);
  expect(cls[0]).toBeLessThan(0.05);
  expect(cls[1]).toBeLessThan(0.05);
  await context.close();
});

test("a two-column tablet: a RUSH takes its own slot and a recalled ticket comes back after the others; no card moves", async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await signIn(context.request);
  const api = context.request;
  const menu = await fetchMenu(api);
  const grill = await openKitchen(context, "grill");
  await grill.page.evaluate(() => {
    const w = window as unknown as { __cls: number };
    w.__cls = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as unknown as { value: number; hadRecentInput: boolean }[])
        if (!e.hadRecentInput) w.__cls += e.value;
    }).observe({ type: "layout-shift" });
  });
  const placed: { id: number; ticketNumber: number }[] = [];
  for (let i = 0; i < 3; i++) placed.push(await order(api, menu, [{ food: "Cheeseburger" }]));
  for (const p of placed) await expect(grill.ticket(p.ticketNumber)).toHaveCount(1);
  // Two columns here: the lane is one slot, the first of each page, kept free for RUSH.
  const lane = grill.page.getByTestId("rush-lane");
  await expect(lane).toHaveAttribute("data-lane", "slot");
  // (Tickets other tests left open may fill pages: whatever page is shown must stay as it is.)
  await grill.page.screenshot({ path: "/tmp/kds-tablet-before-rush.png" });
  const before = await cardBoxes(grill.page);

  const rush = await order(api, menu, [{ food: "Cheeseburger" }], { priority: "HIGH" });
  const rushCard = grill.ticket(rush.ticketNumber);
  await expect(rushCard).toHaveAttribute("data-rush", "true");
  await grill.page.waitForTimeout(300);
  expectStill(before, await cardBoxes(grill.page));
  // It sits in the lane's slot of its page.
  await grill.reveal(rush.ticketNumber);
  const laneBox = (await lane.boundingBox())!;
  const rushBox = (await rushCard.boundingBox())!;
  expect(Math.round(rushBox.x)).toBe(Math.round(laneBox.x));
  expect(Math.round(rushBox.y)).toBe(Math.round(laneBox.y));
  await grill.page.screenshot({ path: "/tmp/kds-tablet-rush.png" });

  // The first of ours is bumped (it leaves), then recalled: it comes back after the cards shown.
  const [first] = placed;
  await stationAction(api, first!.id, "grill", "bump");
  await expect(grill.ticket(first!.ticketNumber)).toHaveCount(0);
  await grill.reveal(placed[2]!.ticketNumber);
  const shown = await cardBoxes(grill.page);
  await stationAction(api, first!.id, "grill", "recall");
  await expect(grill.ticket(first!.ticketNumber)).toHaveCount(1);
  expectStill(shown, await cardBoxes(grill.page));
  const ids = await grill
    .grid()
    .getByTestId("ticket")
    .evaluateAll((cards) => cards.map((c) => c.getAttribute("data-id")));
  expect(ids.indexOf(String(first!.id))).toBeGreaterThan(ids.indexOf(String(placed[2]!.id)));
  await grill.page.screenshot({ path: "/tmp/kds-tablet-recalled.png" });
  const cls = await grill.page.evaluate(() => (window as unknown as { __cls: number }).__cls);
  console.log(`tablet 1280×800, grill: CLS while a RUSH arrived and a ticket was recalled ${cls.toFixed(4)}`);
  expect(cls).toBeLessThan(0.05);
  // Leave the station screens empty for the specs after this one.
  for (const p of [...placed, rush]) await cancelOrder(api, p.id);
  await context.close();
});
