import "server-only";
export * from "./access";
export { SESSION_COOKIE, parseCookies, sessionCookie, clearedSessionCookie } from "./cookies";
export { isAllowedOrigin, isSameOrigin } from "./csrf";
export {
  CLIENT_ADDRESS_HEADER,
  CLIENT_ADDRESS_PROOF_HEADER,
  NO_PROXY,
  clientAddress,
  isSecureClient,
  requestHost,
  type ProxySettings,
} from "./proxy";
export { resolvePartnerScope } from "./scope";
export { listLockouts, recordLockout, type LockoutKind, type LockoutNotice } from "./lockouts";
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
