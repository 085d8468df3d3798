/**
 * The route pattern of a request path, for `/metrics` labels (docs/operations.md#metrics): the
 * app/ route it lands on (`/api/orders/[id]/confirm`), one of the paths server.ts answers itself,
 * or `unmatched` — never the raw URL, so label values stay few whatever clients send.
 *
 * The app routes come from Next's build manifest (`.next/server/app-paths-manifest.json`, keys
 * like `/api/orders/[id]/route`, `/(group)/track/[id]/page`).
 */
type Compiled = { pattern: string; segments: string[]; catchAll: boolean; dynamic: number };

const FIXED: [RegExp, string][] = [
  [/^\/_next\/static\//, "/_next/static/*"],
  [/^\/_next\/image$/, "/_next/image"],
  [/^\/_next\//, "/_next/*"],
];

export type RouteMatcher = (pathname: string) => string;

export function routeMatcher(manifestKeys: readonly string[]): RouteMatcher {
  const routes: Compiled[] = [];
  const seen = new Set<string>();
  for (const key of manifestKeys) {
    const segments = key
      .split("/")
      .filter((s) => s && !/^\(.*\)$/.test(s) && !s.startsWith("@"))
      .slice(0, -1); // the trailing `route` / `page`
    if (segments.some((s) => s.startsWith("_"))) continue; // _not-found, _global-error
    const pattern = `/${segments.join("/")}`;
    if (seen.has(pattern)) continue;
    seen.add(pattern);
    const last = segments.at(-1) ?? "";
    routes.push({ pattern, segments, catchAll: /^\[\[?\.\.\./.test(last), dynamic: segments.filter((s) => s.startsWith("[")).length });
  }
  // Static segments win over dynamic ones (Next's own precedence): fewer dynamic segments first.
  routes.sort((a, b) => Number(a.catchAll) - Number(b.catchAll) || a.dynamic - b.dynamic);
  const byLength = new Map<number, Compiled[]>();
  for (const r of routes) {
    if (r.catchAll) continue;
    const list = byLength.get(r.segments.length) ?? [];
    list.push(r);
    byLength.set(r.segments.length, list);
  }
  const catchAlls = routes.filter((r) => r.catchAll);
  return (pathname) => {
    for (const [re, name] of FIXED) if (re.test(pathname)) return name;
    const parts = pathname.split("/").filter(Boolean);
    for (const r of byLength.get(parts.length) ?? []) if (r.segments.every((s, i) => s.startsWith("[") || s === parts[i])) return r.pattern;
    for (const r of catchAlls) {
      const fixed = r.segments.slice(0, -1);
      if (parts.length >= fixed.length && fixed.every((s, i) => s.startsWith("[") || s === parts[i])) return r.pattern;
    }
    return "unmatched";
  };
}
