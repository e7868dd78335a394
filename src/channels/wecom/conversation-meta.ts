/**
 * Small compare-and-set updates this channel makes to a conversation outside the pipeline's drain: platform
 * session facts in `meta` (welcome code, pool/servicer/ended) and extra reply parts against the 5-message cap.
 * Each retries on a version conflict; the drain does the same on its side, so neither loses an update.
 */
import type { Conversation, Store } from '../../store/types.js';

const ATTEMPTS = 8;

export async function patchConversationMeta(
  store: Store,
  conversationId: string,
  patch: Record<string, unknown>,
): Promise<Conversation | null> {
  for (let i = 0; i < ATTEMPTS; i++) {
    const conv = await store.getConversation(conversationId);
    if (!conv) return null;
    const updated = await store.updateConversation(conv.id, conv.version, { meta: { ...conv.meta, ...patch } });
    if (updated) return updated;
  }
  throw new Error('conversation kept changing while recording WeCom session state');
}

export async function bumpReplies(store: Store, conversationId: string, by: number): Promise<void> {
  for (let i = 0; i < ATTEMPTS; i++) {
    const conv = await store.getConversation(conversationId);
    if (!conv) return;
    const updated = await store.updateConversation(conv.id, conv.version, {
      repliesSinceCustomer: conv.repliesSinceCustomer + by,
    });
    if (updated) return;
  }
}
