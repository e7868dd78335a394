/**
 * Deterministic idempotency keys. Every key is ≤ 32 characters of [0-9A-Za-z_-], so it can be sent as
 * WeCom's `msgid` unchanged, and the same input always gives the same key (a retried job re-creates the
 * same outbox row instead of a second one).
 */
import { createHash } from 'node:crypto';

export function outboxKey(prefix: 'b' | 'a' | 's' | 'w', ...parts: (string | number)[]): string {
  const digest = createHash('sha256').update(parts.join('\u0000')).digest('base64url');
  return `${prefix}${digest.slice(0, 27)}`;
}

/** BullMQ custom job ids may not contain ':' — we use '-' joined parts. */
export function jobId(...parts: (string | number)[]): string {
  return parts.map((p) => String(p).replace(/:/g, '_')).join('-');
}
