/**
 * The one way a message to a customer is written: an outbox row, idempotent by its key, then — unless the
 * caller delivers it in order itself (the drain) — a send job with a deterministic id. Whether it may go out
 * now (a person owns the conversation, the platform window is closed) is decided at delivery (send.ts), in one
 * place, never here.
 */
import type { Services } from '../services.js';
import type { NewOutbox, OutboxRow } from '../store/types.js';
import { jobId } from './keys.js';

export interface OutboxOptions {
  /** `inline`: the caller delivers the row itself (the drain does, to keep one conversation's order). */
  delivery?: 'queue' | 'inline';
  /** A fresh send-job id for a rebuild: the first job may be kept as completed and would swallow the add. */
  retag?: string;
}

export async function writeOutbox(
  s: Pick<Services, 'store' | 'queues'>,
  input: NewOutbox,
  opts: OutboxOptions = {},
): Promise<{ inserted: boolean; row: OutboxRow }> {
  const written = await s.store.insertOutbound(input);
  if (opts.delivery !== 'inline' && written.row.status === 'pending') {
    await s.queues.add('send', { outboxKey: input.key }, { jobId: opts.retag ? jobId('send', input.key, opts.retag) : `send-${input.key}` });
  }
  return written;
}
