/**
 * The security headers on every answer (issue "Security hardening"). proxy.ts gives every page a
 * Content-Security-Policy with a fresh nonce; next.config.mjs sets the rest (and the static CSP) on
 * Next's other answers; server.ts sets the static set on the answers it writes itself (streams,
 * /v1/orders/live, its 503s and 400s). Plain JavaScript so that next.config.mjs can import it.
 *
 * Content-Security-Policy with nonces (node_modules/next/dist/docs/01-app/02-guides/
 * content-security-policy.md, "Nonces"): proxy.ts puts `'nonce-…'` in the CSP of the request and
 * of the answer; Next reads it from the request while rendering (every page is dynamic) and puts
 * it on each of its <script> tags, the inline RSC payload included. `'strict-dynamic'` lets those
 * scripts load Next's further chunks. No `'unsafe-inline'` for scripts: an injected <script> or
 * event handler does not run. Answers that are not pages (JSON, streams, assets) carry the same
 * policy without a nonce, which allows no inline script at all. style-src keeps 'unsafe-inline':
 * React's `style` attributes cannot carry a nonce (and a nonce would switch 'unsafe-inline' off).
 * 'unsafe-eval' only in development (React's debugging). Everything is loaded from our origin;
 * streams, fetches and /ws go to 'self'. No upgrade-insecure-requests: Pass is often served over
 * plain http on a LAN. A new inline script must get the nonce (`x-nonce` request header).
 */

/** @param {{ dev?: boolean; nonce?: string }} [options] */
export function contentSecurityPolicy({ dev = false, nonce } = {}) {
  return [
    "default-src 'self'",
    `script-src 'self'${nonce ? ` 'nonce-${nonce}' 'strict-dynamic'` : ""}${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    // Partner logos on the dashboard may live elsewhere.
    "img-src 'self' data: blob: https:",
    "font-src 'self'",
    "connect-src 'self'",
    "media-src 'self' data: blob:",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** A fresh nonce for one page answer: 16 random bytes, base64 (Web Crypto: proxy.ts and Node alike). */
export function newNonce() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

/**
 * Screens keep themselves awake (screen-wake-lock), chime (autoplay) and go full screen on our
 * own origin; nothing else is needed.
 */
export const PERMISSIONS_POLICY =
  "screen-wake-lock=(self), autoplay=(self), fullscreen=(self), camera=(), microphone=(), geolocation=(), payment=(), usb=()";

/**
 * @param {{ dev?: boolean; nonce?: string }} [options]
 * @returns {Record<string, string>} lower-case header names
 */
export function securityHeaders(options) {
  return {
    "content-security-policy": contentSecurityPolicy(options),
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    "permissions-policy": PERMISSIONS_POLICY,
  };
}
