import "server-only";
export * from "./access";
export { SESSION_COOKIE, parseCookies, sessionCookie, clearedSessionCookie } from "./cookies";
export { isAllowedOrigin, isSameOrigin } from "./csrf";
export { NO_PROXY, clientAddress, isSecureClient, requestHost, type ProxySettings } from "./proxy";
export { resolvePartnerScope } from "./scope";
export { hashSecret, newSecret } from "./secrets";
export {
  login,
  logout,
  resolvePrincipal,
  principalForSession,
  createUser,
  createDeviceToken,
  revokeDeviceToken,
  USER_ROLES,
  TOKEN_ROLES,
} from "./service";
