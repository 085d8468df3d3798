"use client";

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { CartDto, CartMemberRecord } from "../orders/cart-dto";
import { ApiError } from "./api";
import { type ConnectionState, LiveStream, type Position } from "./live-stream";

/**
 * A table's shared cart on one phone (docs/architecture.md#carts): joins the table's open cart
 * (POST /api/carts) or comes back to the one this phone already belongs to (its cart token in
 * localStorage, per partner and table), follows it live on `/v1/orders/live?view=cart`, and
 * changes it through the cart routes. Every answer and every frame carries the whole cart with
 * its version; the phone keeps the highest version it has seen (`newer`), so two phones that
 * changed one line at once both end showing the server's — the later — change.
 */
export type CartLine = { key: string; foodId: string; quantity: number; notes: string; choices: Record<string, string[]> };
export type Submitted = { orderId: number; displayCode: string; by: CartMemberRecord | null; trackUrl: string };
/** "Ben added Fries": the page words it in the restaurant's language (cart.note.*). */
export type CartChangeNote = { id: number; kind: "joined" | "added" | "changed" | "removed"; name: string; dish: string | null };

export type TableCart = {
  cart: CartDto | null;
  me: CartMemberRecord | null;
  token: string | null;
  connection: ConnectionState;
  error: string | null;
  submitted: Submitted | null;
  /** The last few changes other phones made ("Ben added Fries"), newest last. */
  notes: CartChangeNote[];
  /** In the local cart's shape (app/order/[slug]/order-view.tsx): the menu cards count and change them. */
  lines: CartLine[];
  add(foodId: string, choices: Record<string, string[]>, quantity: number): void;
  update(key: string, patch: { quantity?: number; notes?: string }): void;
  clear(): void;
  /** Leave a submitted or expired cart: this phone joins (or opens) the table's next one. */
  restart(): void;
  rename(name: string): Promise<void>;
  submit(input: {
    customer?: string;
    allergies?: { codes: string[]; note?: string };
    serviceType?: string;
  }): Promise<{ id: number; trackingToken: string }>;
  dismissError(): void;
};

/** This phone's place at the table, and the cart as it last saw it (shown while Pass is unreachable). */
type Stored = { id: number; token: string; cart?: CartDto; me?: CartMemberRecord };
/** A frame of the `view=cart` stream (lib/projections/cart.ts), or its `connected`. */
type Frame = {
  epoch?: unknown;
  cart?: CartDto;
  change?: { kind: string; by: CartMemberRecord | null; name?: string } | null;
  orderId?: number;
  displayCode?: string;
  by?: CartMemberRecord | null;
};
const storageKey = (partner: string, table: string) => `pass.cart:${partner}:${table}`;

/**
 * No answer at all (Pass or the network down), as opposed to Pass answering no: said in the
 * guest's words, never the browser's "Failed to fetch". The change was not made.
 */
export const UNREACHABLE_CHANGE = "cart.unreachable";
const unreachable = (err: unknown) => !(err instanceof ApiError);
/** A dish tapped on a phone after the table's order was sent (or cleared): said, not silently dropped. */
export const CLOSED_CHANGE = "cart.closed";
/** `error` is one of these message keys (the page translates it), or Pass's own message. */
export const CART_ERROR_KEYS = [UNREACHABLE_CHANGE, CLOSED_CHANGE] as const;

function readStored(key: string): Stored | null {
  try {
    const raw = localStorage.getItem(key);
    const v = raw ? (JSON.parse(raw) as Partial<Stored>) : null;
    if (!v || typeof v.id !== "number" || typeof v.token !== "string") return null;
    const cart = v.cart && typeof v.cart === "object" && v.cart.id === v.id ? v.cart : undefined;
    return { id: v.id, token: v.token, ...(cart ? { cart } : {}), ...(cart && v.me ? { me: v.me } : {}) };
  } catch {
    return null;
  }
}

async function request<T>(method: string, url: string, token: string | null, body?: unknown): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    cache: "no-store",
    credentials: "omit",
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, json?.error?.message ?? `HTTP ${res.status}`, json?.error?.details);
  return json as T;
}

const choicesOf = (item: CartDto["items"][number]) =>
  Object.fromEntries(item.modifiers.map((m) => [m.groupId, m.options.map((o) => o.id)])) as Record<string, string[]>;
const sameChoices = (a: Record<string, string[]>, b: Record<string, string[]>) => {
  const norm = (c: Record<string, string[]>) =>
    Object.entries(c)
      .filter(([, ids]) => ids.length > 0)
      .map(([g, ids]) => `${g}:${[...ids].sort().join(",")}`)
      .sort()
      .join(";");
  return norm(a) === norm(b);
};
const modifiersOf = (choices: Record<string, string[]>) =>
  Object.entries(choices)
    .filter(([, ids]) => ids.length > 0)
    .map(([groupId, optionIds]) => ({ groupId, optionIds }));

/** null when there is no table (a kiosk): the page keeps its own local cart. */
export function useTableCart(partner: string | null, table: string | null): TableCart | null {
  const [cart, setCart] = useState<CartDto | null>(null);
  const [me, setMe] = useState<CartMemberRecord | null>(null);
  const [session, setSession] = useState<Stored | null>(null);
  const [connection, setConnection] = useState<ConnectionState>({ status: "connecting", since: Date.now() });
  const [error, setError] = useState<string | null>(null);
  const [submitted, setSubmitted] = useState<Submitted | null>(null);
  const [notes, setNotes] = useState<CartChangeNote[]>([]);
  /** Bumped by restart(): join the table's cart again. */
  const [joinAttempt, setAttempt] = useState(0);
  const version = useRef(0);
  // The phone's own word for "no network" comes at once; the stream notices a dead link only later.
  const [offlineSince, setOfflineSince] = useState<number | null>(null);
  // Pass itself unreachable while joining (the Wi-Fi is up, the server is not): offline too.
  const [unreachableSince, setUnreachableSince] = useState<number | null>(null);
  const unreachableRef = useRef(false);
  useEffect(() => {
    const update = () => setOfflineSince(navigator.onLine ? null : Date.now());
    update();
    window.addEventListener("online", update);
    window.addEventListener("offline", update);
    return () => {
      window.removeEventListener("online", update);
      window.removeEventListener("offline", update);
    };
  }, []);
  const meRef = useRef<CartMemberRecord | null>(null);
  meRef.current = me;
  const closedRef = useRef(false);
  closedRef.current = submitted !== null || (cart !== null && cart.state !== "OPEN");

  /** Keeps the newest cart only: answers and frames can arrive in any order. */
  const cartRef = useRef<CartDto | null>(null);
  const apply = useCallback((next: CartDto & { me?: CartMemberRecord }) => {
    if (next.me) {
      meRef.current = next.me;
      setMe(next.me);
    }
    if (next.version <= version.current) return;
    version.current = next.version;
    cartRef.current = next;
    setCart(next);
  }, []);

  // Changes made before the phone has joined wait for it; each phone's changes go one after the
  // other, each seeing the cart the previous one answered (two quick "+" make one line of two).
  const sessionRef = useRef<Stored | null>(null);
  const waiters = useRef<(() => void)[]>([]);
  useEffect(() => {
    sessionRef.current = session;
    if (session) for (const wake of waiters.current.splice(0)) wake();
  }, [session]);
  const queue = useRef<Promise<unknown>>(Promise.resolve());

  // Join (or come back to) the table's cart.
  useEffect(() => {
    if (!partner || !table) return;
    let stopped = false;
    const key = storageKey(partner, table);
    const join = async () => {
      const stored = readStored(key);
      if (stored) {
        try {
          const mine = await request<CartDto & { me: CartMemberRecord }>("GET", `/api/carts/${stored.id}`, stored.token);
          if (stopped) return;
          if (mine.state === "OPEN" || mine.state === "SUBMITTED") {
            apply(mine);
            setSession({ id: stored.id, token: stored.token });
            return;
          }
        } catch (err) {
          // Gone (expired and pruned, another database): a fresh cart below. Offline: the cart as
          // this phone last saw it, until Pass answers again (attempt retries).
          if (unreachable(err)) {
            if (stored.cart && !stopped) apply({ ...stored.cart, ...(stored.me ? { me: stored.me } : {}) });
            throw err;
          }
        }
      }
      const opened = await request<CartDto & { cartToken: string; me: CartMemberRecord }>("POST", "/api/carts", null, { partner, table });
      if (stopped) return;
      const mine = { id: opened.id, token: opened.cartToken };
      try {
        localStorage.setItem(key, JSON.stringify(mine));
      } catch {
        // private mode: this phone joins again after a reload
      }
      apply(opened);
      setSession(mine);
    };
    const reached = () => {
      unreachableRef.current = false;
      setUnreachableSince(null);
      setError(null);
    };
    let retry: ReturnType<typeof setTimeout> | undefined;
    const attempt = (delay: number) => {
      join()
        .then(() => {
          if (!stopped) reached();
        })
        .catch((err: unknown) => {
          if (stopped) return;
          if (unreachable(err)) {
            unreachableRef.current = true;
            setUnreachableSince((since) => since ?? Date.now());
          } else setError(err instanceof Error ? err.message : String(err));
          retry = setTimeout(() => attempt(Math.min(delay * 2, 15_000)), delay);
        });
    };
    attempt(1_000);
    return () => {
      stopped = true;
      clearTimeout(retry);
    };
  }, [partner, table, apply, joinAttempt]);

  // Follow it live: every other phone's change arrives as the whole cart.
  useEffect(() => {
    if (!session) return;
    const position: { current: Position } = { current: { lastEventId: null, epoch: null } };
    const refetch = () =>
      request<CartDto & { me: CartMemberRecord }>("GET", `/api/carts/${session.id}`, session.token)
        .then((c) => {
          apply(c);
          if (c.state !== "OPEN") version.current = Math.max(version.current, c.version);
        })
        .catch(() => undefined);
    const stream = new LiveStream({
      url: `/v1/orders/live?orderId=${session.id}&view=cart&token=${encodeURIComponent(session.token)}`,
      position: () => position.current,
      handlers: {
        onEvent: (event) => {
          if (event.id !== null) position.current = { ...position.current, lastEventId: event.id };
          const data = (event.data ?? {}) as Frame;
          if (event.event === "connected") {
            position.current = { ...position.current, epoch: typeof data?.epoch === "string" ? data.epoch : null };
            // Whatever happened while this phone was away (or before it listened).
            void refetch();
          } else if (event.event === "cart") {
            if (!data.cart) return;
            apply(data.cart);
            const change = data.change ?? null;
            const kind = change?.kind;
            if (
              change?.by &&
              change.by.id !== meRef.current?.id &&
              (kind === "joined" || kind === "added" || kind === "changed" || kind === "removed")
            ) {
              const note: CartChangeNote = { id: Number(event.id ?? Date.now()), kind, name: change.by.name, dish: change.name ?? null };
              setNotes((n) => [...n.slice(-3), note]);
            }
          } else if (event.event === "submitted") {
            if (typeof data.orderId !== "number") return;
            void refetch();
            setSubmitted({
              orderId: data.orderId,
              displayCode: data.displayCode ?? "",
              by: data.by ?? null,
              trackUrl: `/track/${data.orderId}?token=${encodeURIComponent(session.token)}`,
            });
          }
        },
        onState: setConnection,
        onReset: () => {
          position.current = { lastEventId: null, epoch: null };
          void refetch();
        },
      },
    });
    stream.start();
    return () => stream.stop();
  }, [session, apply]);

  // A cart that was submitted before this phone (re)loaded: the same "submitted" as the stream's.
  useEffect(() => {
    if (cart?.state === "SUBMITTED" && session && !submitted) {
      setSubmitted({
        orderId: cart.id,
        displayCode: "",
        by: null,
        trackUrl: `/track/${cart.id}?token=${encodeURIComponent(session.token)}`,
      });
    }
  }, [cart, session, submitted]);

  // The cart as this phone last saw it, beside its token: a reload while Pass is unreachable shows it.
  useEffect(() => {
    if (!partner || !table || !session || cart?.id !== session.id) return;
    try {
      const { me: _me, ...shown } = cart as CartDto & { me?: CartMemberRecord };
      localStorage.setItem(storageKey(partner, table), JSON.stringify({ ...session, cart: shown, ...(me ? { me } : {}) }));
    } catch {
      // full or private mode: no offline copy
    }
  }, [partner, table, session, cart, me]);

  // A note is typed on one phone and shown on all: kept here while typed, sent when the guest pauses.
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  const noteTimers = useRef(new Map<string, { timer: ReturnType<typeof setTimeout>; send: () => Promise<void> }>());

  // Only an open cart has lines to change; a sent one is the order now (its track link).
  const lines = useMemo<CartLine[]>(
    () =>
      cart?.state === "OPEN" && !submitted
        ? cart.items.map((i) => ({
            key: i.id,
            foodId: i.foodId,
            quantity: i.quantity,
            notes: drafts[i.id] ?? i.notes ?? "",
            choices: choicesOf(i),
          }))
        : [],
    [cart, drafts, submitted],
  );

  const run = useCallback(
    (work: (base: string, token: string) => Promise<CartDto | undefined>) => {
      queue.current = queue.current.then(async () => {
        if (closedRef.current) {
          setError(CLOSED_CHANGE);
          return;
        }
        if (!sessionRef.current) {
          // Not joined because Pass cannot be reached: refused now, not sent some minutes later.
          if (unreachableRef.current) {
            setError(UNREACHABLE_CHANGE);
            return;
          }
          await new Promise<void>((wake) => waiters.current.push(wake));
        }
        const { id, token } = sessionRef.current!;
        try {
          const next = await work(`/api/carts/${id}`, token);
          if (next) apply(next);
          setError(null);
        } catch (err) {
          setError(unreachable(err) ? UNREACHABLE_CHANGE : err instanceof Error ? err.message : String(err));
        }
      });
    },
    [apply],
  );

  if (!partner || !table) return null;
  const base = session ? `/api/carts/${session.id}` : null;
  const token = session?.token ?? null;
  return {
    cart,
    me,
    token,
    connection:
      offlineSince !== null
        ? { status: "offline", since: offlineSince }
        : !session && unreachableSince !== null
          ? { status: "offline", since: unreachableSince }
          : connection,
    error,
    submitted,
    notes,
    lines,
    add: (foodId, choices, quantity) =>
      run(async (base, token) => {
        // One more of a dish this phone already has, as it is (no note): the same line; anything else a new line.
        const mine = cartRef.current?.items.find(
          (i) => i.foodId === foodId && i.addedBy?.id === meRef.current?.id && !i.notes && sameChoices(choicesOf(i), choices),
        );
        if (mine) return request<CartDto>("PATCH", `${base}/items/${mine.id}`, token, { quantity: Math.min(99, mine.quantity + quantity) });
        const modifiers = modifiersOf(choices);
        return request<CartDto>("POST", `${base}/items`, token, { foodId, quantity, ...(modifiers.length ? { modifiers } : {}) });
      }),
    update: (key, patch) =>
      run(async (base, token) => {
        if (patch.quantity !== undefined && patch.quantity <= 0) return request<CartDto>("DELETE", `${base}/items/${key}`, token);
        if (patch.notes !== undefined) {
          const text = patch.notes;
          setDrafts((d) => ({ ...d, [key]: text }));
          const pending = noteTimers.current.get(key);
          if (pending) clearTimeout(pending.timer);
          const send = async () => {
            noteTimers.current.delete(key);
            const next = await request<CartDto>("PATCH", `${base}/items/${key}`, token, { notes: text.trim() || null });
            apply(next);
            setDrafts(({ [key]: sent, ...rest }) => (sent === text ? rest : { ...rest, [key]: sent! }));
          };
          noteTimers.current.set(key, {
            timer: setTimeout(
              () =>
                void send().catch((err: unknown) =>
                  setError(unreachable(err) ? UNREACHABLE_CHANGE : err instanceof Error ? err.message : String(err)),
                ),
              700,
            ),
            send,
          });
          if (patch.quantity === undefined) return undefined;
        }
        return request<CartDto>("PATCH", `${base}/items/${key}`, token, { quantity: Math.min(99, patch.quantity!) });
      }),
    clear: () => undefined,
    restart: () => {
      try {
        localStorage.removeItem(storageKey(partner, table));
      } catch {
        // nothing stored
      }
      version.current = 0;
      setCart(null);
      setSubmitted(null);
      setSession(null);
      setAttempt((n) => n + 1);
    },
    rename: async (name) => {
      if (!base) return;
      const next = await request<CartDto & { me: CartMemberRecord }>("PATCH", `${base}/me`, token, { name }).catch((err: unknown) => {
        throw unreachable(err) ? new Error(UNREACHABLE_CHANGE) : err;
      });
      apply(next);
    },
    submit: async (input) => {
      if (!base) throw new Error("the table's cart is not open yet");
      // Notes still being typed go first.
      for (const { timer, send } of [...noteTimers.current.values()]) {
        clearTimeout(timer);
        await send();
      }
      return request<{ id: number; trackingToken: string }>("POST", `${base}/submit`, token, input);
    },
    dismissError: () => setError(null),
  };
}
