import crypto from "node:crypto";

/**
 * cuid-style string ids, as the seeds show for items, foods and users: 24 lower-case base-36
 * characters: a letter, a time-ordered part, and ~72 random bits. (A hashing cuid
 * generator cost more CPU per order than the rest of order creation together.)
 */
const LETTERS = "abcdefghijklmnopqrstuvwxyz";
let pool = Buffer.alloc(0);
let offset = 0;

function randomBytes(n: number): Buffer {
  if (offset + n > pool.length) {
    pool = crypto.randomBytes(4096);
    offset = 0;
  }
  const out = pool.subarray(offset, offset + n);
  offset += n;
  return out;
}

export function newId(): string {
  const bytes = randomBytes(15);
  const time = Date.now().toString(36).padStart(9, "0").slice(-9);
  let rand = "";
  // 14 base-36 digits (~72 random bits); the small modulo bias does not matter for uniqueness.
  for (let i = 1; i < 15; i++) rand += (bytes[i]! % 36).toString(36);
  return LETTERS[bytes[0]! % 26] + time + rand;
}

export const nowIso = (): string => new Date().toISOString();
