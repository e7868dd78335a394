/**
 * send_msg `msgid` from an outbox key. WeCom wants ≤32 bytes of [0-9a-zA-Z_-], unique per kf account, and
 * refuses a repeated one, which makes it our idempotency key. Keys that do not fit are hashed, deterministically,
 * so a retried send reuses the same msgid.
 */
import { createHash } from 'node:crypto';

const FITS = /^[0-9A-Za-z_-]{1,32}$/;

/** `part` numbers the pieces of a long text (key_1, key_2, …). */
export function msgidFor(key: string, part?: number): string {
  const raw = part === undefined ? key : `${key}_${part}`;
  if (FITS.test(raw)) return raw;
  // base64url uses exactly the allowed alphabet; 'h' marks a hashed id for whoever reads platform logs.
  return `h${createHash('sha256').update(raw).digest('base64url').slice(0, 31)}`;
}
