/**
 * The browser's side of Web Push encryption (RFC 8291, aes128gcm content coding of RFC 8188),
 * for tests: a subscription's key pair, and the decryption of what a push service received.
 */
import crypto from "node:crypto";

export type TestSubscriber = { ecdh: crypto.ECDH; auth: Buffer; keys: { p256dh: string; auth: string } };

export function newSubscriber(): TestSubscriber {
  const ecdh = crypto.createECDH("prime256v1");
  ecdh.generateKeys();
  const auth = crypto.randomBytes(16);
  return { ecdh, auth, keys: { p256dh: ecdh.getPublicKey().toString("base64url"), auth: auth.toString("base64url") } };
}

const hkdf = (ikm: Buffer, salt: Buffer, info: Buffer, length: number) => Buffer.from(crypto.hkdfSync("sha256", ikm, salt, info, length));

/** Decrypts one aes128gcm push message body for `subscriber`; throws when it was not encrypted for them. */
export function decryptPush(body: Buffer, subscriber: TestSubscriber): string {
  // Header: salt (16) | record size (4) | key id length (1) | key id = the sender's public key.
  const salt = body.subarray(0, 16);
  const idLength = body[20]!;
  const senderPublic = body.subarray(21, 21 + idLength);
  const ciphertext = body.subarray(21 + idLength);
  const uaPublic = subscriber.ecdh.getPublicKey();
  const ecdhSecret = subscriber.ecdh.computeSecret(senderPublic);
  // RFC 8291 §3.4: IKM from the shared secret, keyed by the auth secret and both public keys.
  const keyInfo = Buffer.concat([Buffer.from("WebPush: info\0"), uaPublic, senderPublic]);
  const ikm = hkdf(ecdhSecret, subscriber.auth, keyInfo, 32);
  // RFC 8188 §2.2/2.3: content key and nonce from the salt.
  const cek = hkdf(ikm, salt, Buffer.from("Content-Encoding: aes128gcm\0"), 16);
  const nonce = hkdf(ikm, salt, Buffer.from("Content-Encoding: nonce\0"), 12);
  const decipher = crypto.createDecipheriv("aes-128-gcm", cek, nonce);
  decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
  const padded = Buffer.concat([decipher.update(ciphertext.subarray(0, ciphertext.length - 16)), decipher.final()]);
  // The last record ends with the delimiter 0x02, then zero padding.
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (padded[end] !== 2) throw new Error("not a last record (missing 0x02 delimiter)");
  return padded.subarray(0, end).toString("utf8");
}
