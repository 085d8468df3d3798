/**
 * ICU-light message formatting (docs/architecture.md#messages): `{name}` is replaced by the
 * parameter, `{count, plural, =0 {none} one {# ticket} other {# tickets}}` picks a branch by
 * `=N` first, then the locale's plural category (Intl.PluralRules), then `other`; `#` inside a
 * branch is the number in the locale's digits. Nothing else of ICU (select, dates) is needed.
 */
export type MessageParams = Record<string, string | number>;

const pluralRules = new Map<string, Intl.PluralRules>();
const numberFormats = new Map<string, Intl.NumberFormat>();

function rulesFor(locale: string): Intl.PluralRules {
  let r = pluralRules.get(locale);
  if (!r) pluralRules.set(locale, (r = new Intl.PluralRules(locale)));
  return r;
}

function numberOf(locale: string, n: number): string {
  let f = numberFormats.get(locale);
  if (!f) numberFormats.set(locale, (f = new Intl.NumberFormat(locale)));
  return f.format(n);
}

/** The index of the `}` closing the `{` at `open` (branches nest). */
function closing(message: string, open: number): number {
  let depth = 0;
  for (let i = open; i < message.length; i++) {
    if (message[i] === "{") depth++;
    else if (message[i] === "}" && --depth === 0) return i;
  }
  throw new SyntaxError(`unclosed '{' in message: ${message}`);
}

/** `=0 {none} one {# ticket} other {# tickets}` → [["=0", "none"], ["one", "# ticket"], …]. */
export function pluralBranches(spec: string): [string, string][] {
  const out: [string, string][] = [];
  let i = 0;
  while (i < spec.length) {
    const open = spec.indexOf("{", i);
    if (open < 0) break;
    const selector = spec.slice(i, open).trim();
    const end = closing(spec, open);
    out.push([selector, spec.slice(open + 1, end)]);
    i = end + 1;
  }
  return out;
}

export function formatMessage(message: string, params: MessageParams = {}, locale = "en-US", hash?: number): string {
  let out = "";
  let i = 0;
  while (i < message.length) {
    const c = message[i]!;
    if (c === "{") {
      const end = closing(message, i);
      out += argument(message.slice(i + 1, end), params, locale);
      i = end + 1;
    } else if (c === "#" && hash !== undefined) {
      out += numberOf(locale, hash);
      i++;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

function argument(inner: string, params: MessageParams, locale: string): string {
  const comma = inner.indexOf(",");
  const name = (comma < 0 ? inner : inner.slice(0, comma)).trim();
  const value = params[name];
  if (comma < 0) return value === undefined ? `{${name}}` : typeof value === "number" ? numberOf(locale, value) : value;
  const rest = inner.slice(comma + 1);
  const second = rest.indexOf(",");
  const kind = rest.slice(0, second).trim();
  if (kind !== "plural") throw new SyntaxError(`unsupported argument type '${kind}' (only plural)`);
  const n = Number(value);
  if (value === undefined || !Number.isFinite(n)) return `{${name}}`;
  const branches = new Map(pluralBranches(rest.slice(second + 1)));
  const chosen = branches.get(`=${n}`) ?? branches.get(rulesFor(locale).select(n)) ?? branches.get("other") ?? "";
  return formatMessage(chosen, params, locale, n);
}

/** The parameter names a message uses (plural arguments included), for checking translations. */
export function placeholdersOf(message: string): string[] {
  const names = new Set<string>();
  const walk = (m: string) => {
    let i = 0;
    while (i < m.length) {
      if (m[i] !== "{") {
        i++;
        continue;
      }
      const end = closing(m, i);
      const inner = m.slice(i + 1, end);
      const comma = inner.indexOf(",");
      names.add((comma < 0 ? inner : inner.slice(0, comma)).trim());
      if (comma >= 0) {
        const rest = inner.slice(comma + 1);
        for (const [, branch] of pluralBranches(rest.slice(rest.indexOf(",") + 1))) walk(branch);
      }
      i = end + 1;
    }
  };
  walk(message);
  return [...names].sort();
}
