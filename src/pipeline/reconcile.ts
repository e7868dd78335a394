/**
 * Redis is not the record: the store is. At worker start and then periodically, conversations that still
 * have pending inbox rows (or messages a hand-back marked for the bot) get a trigger, and replies left pending get a send job. Both are idempotent
 * (deduplicated trigger, deterministic send job id, deliver() skips rows already sent), so running this
 * in several workers at once is harmless. It is what makes a Redis that lost its data lose no message.
 */
import type { Services } from '../services.js';
import { triggerConversation } from './ingest.js';
import { jobId } from './keys.js';

export async function reconcile(s: Services, opts: { pendingOlderThanMs: number }): Promise<{ conversations: number; replies: number }> {
  // Pending inbox rows, and messages a hand-back marked for the bot (src/pipeline/replay.ts) whose trigger was lost.
  const conversations = [...new Set([...(await s.store.listConversationsWithPending(1000)), ...(await s.store.listConversationsWithReplay(1000))])];
  for (const id of conversations) await triggerConversation(s, id);
  const cutoff = new Date(Date.now() - opts.pendingOlderThanMs).toISOString();
  const stale = (await s.store.listOutbound({ status: 'pending', limit: 1000 })).filter((r) => r.createdAt <= cutoff);
  // A fresh job id per minute: the original job may still be kept as completed or failed, which would swallow the add.
  const minute = Math.floor(Date.now() / 60_000);
  for (const row of stale) await s.queues.add('send', { outboxKey: row.key }, { jobId: jobId('send', row.key, 'r', minute) });
  return { conversations: conversations.length, replies: stale.length };
}
