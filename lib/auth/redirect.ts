/**
 * Where the login page sends a user after signing in (`/login?next=…`). The value is resolved
 * the way a browser would resolve it — `new URL(next, origin)`, which also treats `\` as `/`
 * and drops tabs and newlines — and followed only when it stays on our origin; anything else
 * (`//evil`, `/\evil`, `/\t/evil`, `https://evil`, `javascript:`) goes home.
 */
const BASE = "http://pass.invalid";

export function safeNextPath(next: string | null | undefined, appOrigin: string = BASE): string {
  if (typeof next !== "string" || !next.startsWith("/")) return "/";
  let base: URL;
  let url: URL;
  try {
    base = new URL(appOrigin);
    url = new URL(next, base);
  } catch {
    return "/";
  }
  if (url.origin !== base.origin) return "/";
  const target = url.pathname + url.search + url.hash;
  // Belt and braces: what we hand back must itself be a plain same-origin path.
  if (!target.startsWith("/") || target.startsWith("//") || target.includes("\\")) return "/";
  return target;
}
