import "server-only";
export * from "./access";
export { SESSION_COOKIE, parseCookies, sessionCookie, clearedSessionCookie } from "./cookies";
export { isSameOrigin } from "./csrf";
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
