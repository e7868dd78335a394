/**
 * customer/batchget fills a customer's nickname once (WeCom 微信客服 docs: only customers active in the last 48 h
 * are returned). A Redis marker keeps us from asking again for customers WeCom does not return.
 */
import { maskId } from '../../core/mask.js';
import type { Services } from '../../services.js';
import type { WecomClient } from './client.js';

const BATCH = 100;
const RETRY_AFTER_S = 24 * 3600;

export async function fillNicknames(
  s: Pick<Services, 'store' | 'redis' | 'log' | 'config'>,
  client: WecomClient,
  externalUserIds: string[],
): Promise<void> {
  const wanted = new Map<string, string>();
  for (const id of externalUserIds) {
    const customer = await s.store.upsertCustomer({ channel: 'wecom', platformUserId: id });
    if (customer.nickname !== null) continue;
    const marker = `${s.config.queuePrefix}:wecom:nick:${customer.id}`;
    if (await s.redis.set(marker, '1', 'EX', RETRY_AFTER_S, 'NX')) wanted.set(id, customer.id);
  }
  const ids = [...wanted.keys()];
  for (let i = 0; i < ids.length; i += BATCH) {
    try {
      const res = await client.batchGetCustomers(ids.slice(i, i + BATCH));
      for (const c of res.customer_list ?? []) {
        const customerRowId = c.external_userid ? wanted.get(c.external_userid) : undefined;
        if (customerRowId && c.nickname) await s.store.updateCustomer(customerRowId, { nickname: c.nickname });
      }
    } catch (err) {
      // Names are a nicety: never fail a sync over them.
      s.log.warn({ err: err instanceof Error ? err.message : String(err), first: maskId(ids[i]) }, 'customer/batchget failed');
    }
  }
}
