/**
 * A mutation made with the session cookie must come from our own pages. Browsers send
 * `Origin` on every cross-site POST and `Sec-Fetch-Site` on modern ones; either proves it.
 * A cookie request with neither (old tools, curl) is refused: use a bearer token there.
 */
export function isSameOrigin({
  origin,
  secFetchSite,
  host,
}: {
  origin: string | null;
  secFetchSite: string | null;
  host: string | null;
}): boolean {
  if (origin && origin !== "null") {
    try {
      return new URL(origin).host === host;
    } catch {
      return false;
    }
  }
  if (secFetchSite) return secFetchSite === "same-origin";
  return false;
}
