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
  disableUser,
  setUserRole,
  sessionPrincipal,
  USER_ROLES,
  TOKEN_ROLES,
  type Credential,
} from "./service";
