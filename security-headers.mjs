/**
 * The security headers on every answer (issue "Security hardening"): next.config.mjs sets them on
 * Next's answers, server.ts on the ones it writes itself (streams, /v1/orders/live, its 503s).
 * Plain JavaScript so that next.config.mjs can import it; server.ts imports it too.
 *
 * Content-Security-Policy without nonces (node_modules/next/dist/docs/01-app/02-guides/
 * content-security-policy.md, "Without Nonces"): the App Router streams its RSC payload in inline
 * <script> tags, so script-src needs 'unsafe-inline' unless every page carries a per-request
 * nonce (proxy.ts, dynamic rendering of every page). 'unsafe-eval' only in development (React's
 * debugging). Everything is loaded from our origin; streams, fetches and /ws go to 'self'.
 * No upgrade-insecure-requests: Pass is often served over plain http on a LAN.
 */

/** @param {{ dev?: boolean }} [options] */
export function contentSecurityPolicy({ dev = false } = {}) {
  return [
    "default-src 'self'",
    `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ""}`,
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

/**
 * Screens keep themselves awake (screen-wake-lock), chime (autoplay) and go full screen on our
 * own origin; nothing else is needed.
 */
export const PERMISSIONS_POLICY =
  "screen-wake-lock=(self), autoplay=(self), fullscreen=(self), camera=(), microphone=(), geolocation=(), payment=(), usb=()";

/**
 * @param {{ dev?: boolean }} [options]
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
