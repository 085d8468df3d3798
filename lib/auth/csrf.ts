import { NO_PROXY, type ProxySettings } from "./proxy";

/**
 * A mutation made with the session cookie must come from our own pages. Browsers send
 * `Origin` on every cross-site POST and `Sec-Fetch-Site` on modern ones; either proves it.
 * A cookie request with neither (old tools, curl) is refused: use a bearer token there.
 *
 * `host` is the host the request was sent to (`Host`, or `X-Forwarded-Host` behind a trusted
 * proxy: lib/auth/proxy.ts requestHost). With `settings`, the public URL and ALLOWED_ORIGINS
 * count as ours too — behind nginx's usual `proxy_set_header Host $host`, `Host` has lost the
 * public port, and only PUBLIC_URL still matches the browser's `Origin`.
 */
export function isSameOrigin({
  origin,
  secFetchSite,
  host,
  settings = NO_PROXY,
}: {
  origin: string | null;
  secFetchSite: string | null;
  host: string | null;
  settings?: ProxySettings;
}): boolean {
  if (origin && origin !== "null") return isAllowedOrigin({ origin, host, settings });
  if (secFetchSite) return secFetchSite === "same-origin";
  return false;
}

/**
 * Whether a browser's `Origin` is one of ours: the public URL, one of ALLOWED_ORIGINS, or the
 * host the request was sent to (same host and port; a default port counts as none).
 */
export function isAllowedOrigin({
  origin,
  host,
  settings = NO_PROXY,
}: {
  origin: string;
  host: string | null;
  settings?: ProxySettings;
}): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return false;
  if (url.origin === settings.publicUrl || settings.allowedOrigins.includes(url.origin)) return true;
  if (!host) return false;
  try {
    return new URL(`${url.protocol}//${host}`).host === url.host;
  } catch {
    return false;
  }
}
