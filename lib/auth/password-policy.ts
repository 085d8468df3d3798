import { BOUNDS } from "../fields";
import { COMMON_PASSWORDS_TEXT } from "./common-passwords";

/** The shortest password Pass accepts (users, PASS_ADMIN_PASSWORD). */
export const MIN_PASSWORD_LENGTH = 10;

let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
  return (common ??= new Set(COMMON_PASSWORDS_TEXT.split("\n").filter(Boolean)));
}

/** Why a new password is refused, or null when it is acceptable. */
export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `must be at least ${MIN_PASSWORD_LENGTH} characters`;
  // Sign-in accepts no longer password (and no NUL): one set here could never be used.
  if (password.length > BOUNDS.password) return `must be at most ${BOUNDS.password} characters`;
  if (password.includes("\u0000")) return "must not contain NUL";
  if (commonPasswords().has(password.toLowerCase())) return "is too common; choose another";
  return null;
}

/** Usernames are case-insensitive: stored and looked up in lower case. */
export function normaliseUsername(username: string): string {
  return username.trim().toLowerCase();
}
