import { can, canReadChannel, type Principal } from "@/lib/auth";
import type { MessageKey } from "@/lib/i18n";

/** The staff screens, as the home page and the access page list them (each with its channel or permission). */
export type Screen = {
  href: string;
  title: MessageKey;
  what: MessageKey;
  channel: string;
  allowed?: (p: Principal) => boolean;
};

export const SCREENS: readonly Screen[] = [
  { href: "/cashier", title: "screen.cashier", what: "screen.cashierWhat", channel: "cashier" },
  { href: "/kitchen", title: "screen.kitchen", what: "screen.kitchenWhat", channel: "kitchen" },
  { href: "/board", title: "screen.board", what: "screen.boardWhat", channel: "display" },
  { href: "/printer", title: "screen.printer", what: "screen.printerWhat", channel: "printer" },
  { href: "/dashboard", title: "screen.dashboard", what: "screen.dashboardWhat", channel: "partner" },
  // The back office: not a stream channel, the menu:write permission (operators, admins).
  { href: "/menu", title: "screen.menu", what: "screen.menuWhat", channel: "menu", allowed: (p) => can(p, "menu:write") },
  {
    href: "/settings",
    title: "screen.settings",
    what: "screen.settingsWhat",
    channel: "settings",
    allowed: (p) => can(p, "partner:write"),
  },
  // Reports and the end-of-day Z reports: the reports:read permission (operators and admins, people only).
  { href: "/reports", title: "screen.reports", what: "screen.reportsWhat", channel: "reports", allowed: (p) => can(p, "reports:read") },
];

export const screensFor = (principal: Principal): Screen[] =>
  SCREENS.filter((s) => (s.allowed ? s.allowed(principal) : canReadChannel(principal, s.channel)));
