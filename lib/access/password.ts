// Password hashes for PERCH_UI_USERS: scrypt, salted, slow on purpose, in one
// self-describing token without commas or colons so it sits in a comma-separated list:
//   scrypt$<log2 N>$<r>$<p>$<salt>$<hash>   (salt and hash base64url)
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const scrypt = (password: string, salt: Buffer, length: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scryptCallback(password, salt, length, options, (error, key) => (error ? reject(error) : resolve(key))),
  );

const LOG_N = 15;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;
// The chosen N and r need exactly scrypt's default memory ceiling (128·N·r bytes), so lift it a little.
const MAX_MEMORY = 64 * 1024 * 1024;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEY_LENGTH, { N: 2 ** LOG_N, r: R, p: P, maxmem: MAX_MEMORY });
  return ['scrypt', LOG_N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

const HASH_FORMAT = /^scrypt\$(\d{1,2})\$(\d{1,2})\$(\d{1,2})\$([\w-]{16,})\$([\w-]{32,})$/;

export function isPasswordHash(text: string): boolean {
  const match = HASH_FORMAT.exec(text);
  return match !== null && Number(match[1]) >= 14 && Number(match[1]) <= 20;
}

/** True when `password` matches `hash`; compares in constant time. */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  const match = HASH_FORMAT.exec(hash);
  if (!match) return false;
  const [, logN, r, p, salt, expected] = match;
  const expectedKey = Buffer.from(expected!, 'base64url');
  const key = await scrypt(password, Buffer.from(salt!, 'base64url'), expectedKey.length, {
    N: 2 ** Number(logN),
    r: Number(r),
    p: Number(p),
    maxmem: MAX_MEMORY * 4,
  });
  return timingSafeEqual(key, expectedKey);
}
