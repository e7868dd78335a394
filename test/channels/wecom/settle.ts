/** Waiting for a WeCom conversation to come to rest in an app under test (no fixed sleeps). */
import type { Store } from '../../../src/store/types.js';
import type { FakeWecom } from '../../fakes/wecom/index.js';
import { waitFor } from '../../helpers/harness.js';

/** Callbacks delivered, at least `rowCount` inbox rows, every one handled, and no reply pending. */
export async function conversationSettled(fake: FakeWecom, store: Store, key: string, rowCount: number): Promise<void> {
  await fake.settle();
  await waitFor(async () => {
    const conv = await store.findConversation('wecom', key);
    if (!conv) return false;
    const rows = await store.listInbound(conv.id, 100);
    const pending = await store.listOutbound({ conversationId: conv.id, status: 'pending' });
    return rows.length >= rowCount && rows.every((r) => r.status !== 'pending') && pending.length === 0;
  }, { what: 'conversation settled' });
}
