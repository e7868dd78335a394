/**
 * Pulls one kf account's messages with kf/sync_msg (WeCom 微信客服 API docs): cursor persisted after every page,
 * has_more loop, msgid dedupe against the inbox (already-ingested items are skipped before any media
 * download), media fetched before ingest, session facts recorded on the conversation, nicknames filled once.
 */
import { PlatformError } from '../../core/errors.js';
import type { InboundMessage } from '../../core/types.js';
import { maskId } from '../../core/mask.js';
import type { Services } from '../../services.js';
import type { SyncItem } from './api-types.js';
import type { WecomClient } from './client.js';
import { patchConversationMeta } from './conversation-meta.js';
import { BAD_SYNC_TOKEN } from './errcodes.js';
import { SERVICER_EVENTS_USER } from './map-event.js';
import { MEDIA_KINDS, mapSyncItem, rec, str } from './map-message.js';
import { fetchEvidence } from './media.js';
import { fillNicknames } from './nicknames.js';
import { msgidLinkKey } from './sender.js';
import { META } from './window.js';

export type SyncServices = Pick<Services, 'store' | 'redis' | 'log' | 'ingest' | 'config' | 'clock' | 'metrics'>;

export const PAGE_LIMIT = 1000;
/** Pages per run before yielding: the caller loops again, so a huge backlog cannot hold the lock forever. */
export const MAX_PAGES = 50;

export function cursorSetting(openKfId: string): string {
  return `wecom:cursor:${openKfId}`;
}

export interface SyncResult {
  pages: number;
  ingested: number;
  /** True when MAX_PAGES stopped the loop with has_more still set. */
  more: boolean;
}

export async function syncAccount(
  s: SyncServices,
  client: WecomClient,
  input: { openKfId: string; token: string | null; onPage?: () => Promise<void> },
): Promise<SyncResult> {
  const key = cursorSetting(input.openKfId);
  let cursor = await s.store.getSetting(key);
  const order = await LogOrder.load(s, input.openKfId);
  let token = input.token;
  let ingested = 0;
  for (let page = 1; page <= MAX_PAGES; page++) {
    let res;
    try {
      res = await client.syncMsg({
        open_kfid: input.openKfId,
        limit: PAGE_LIMIT,
        voice_format: 0,
        ...(cursor ? { cursor } : {}),
        ...(token ? { token } : {}),
      });
    } catch (err) {
      // An expired callback token (10 min) must not block the pull: go on without it (stricter rate limit).
      if (err instanceof PlatformError && err.platformCode === BAD_SYNC_TOKEN && token) {
        s.log.info({ openKfId: maskId(input.openKfId) }, 'kf callback token refused; syncing without it');
        token = null;
        page--;
        continue;
      }
      throw err;
    }
    ingested += await processItems(s, client, res.msg_list ?? [], order);
    await order.save();
    if (res.next_cursor && res.next_cursor !== cursor) {
      cursor = res.next_cursor;
      await s.store.setSetting(key, cursor);
    }
    await input.onPage?.();
    if (res.has_more !== 1) return { pages: page, ingested, more: false };
  }
  return { pages: MAX_PAGES, ingested, more: true };
}

async function processItems(s: SyncServices, client: WecomClient, items: SyncItem[], order: LogOrder): Promise<number> {
  const messages: InboundMessage[] = [];
  const customers = new Set<string>();
  for (const item of items) {
    const message = mapSyncItem(item);
    if (!message) {
      s.log.warn({ msgtype: str(item.msgtype), origin: item.origin }, 'kf item without msgid or customer: skipped');
      continue;
    }
    message.sentAt = order.place(message.sentAt);
    if (await s.store.findInbound('wecom', message.platformMsgId)) continue;
    const needsConversation = message.attachments.length > 0 || message.event !== undefined;
    if (needsConversation) {
      const customer = await s.store.upsertCustomer({ channel: 'wecom', platformUserId: message.platformUserId });
      const conv = await s.store.getOrCreateConversation({
        channel: 'wecom',
        key: message.conversationKey,
        customerId: customer.id,
      });
      await prepare(s, client, item, message, conv.id);
    }
    if (message.from === 'customer' && message.platformUserId !== SERVICER_EVENTS_USER) {
      customers.add(message.platformUserId);
      await reopenIfEnded(s, message.conversationKey);
    }
    messages.push(message);
  }
  if (messages.length === 0) return 0;
  const results = await s.ingest(messages);
  await fillNicknames(s, client, [...customers.keys()]);
  return results.filter((r) => r.inserted).length;
}

/**
 * send_time has 1 s resolution but sync_msg returns the account's log in order; the drain orders a
 * conversation by sentAt. Spreading items of one second over its milliseconds, in log order, keeps a
 * takeover event ahead of the customer message that followed it in the same second.
 */
class LogOrder {
  private constructor(
    private readonly s: SyncServices,
    private readonly key: string,
    private second: number,
    private offset: number,
  ) {}

  static async load(s: SyncServices, openKfId: string): Promise<LogOrder> {
    const key = `${s.config.queuePrefix}:wecom:logorder:${openKfId}`;
    const [second, offset] = ((await s.redis.get(key)) ?? '0:0').split(':').map(Number);
    return new LogOrder(s, key, second ?? 0, offset ?? 0);
  }

  place(sentAt: number): number {
    if (sentAt !== this.second) {
      this.second = sentAt;
      this.offset = 0;
    } else {
      this.offset = Math.min(this.offset + 1, 999);
    }
    return sentAt + this.offset;
  }

  async save(): Promise<void> {
    await this.s.redis.set(this.key, `${this.second}:${this.offset}`, 'EX', 3600);
  }
}

/**
 * A customer message after the session ended starts a new one (state 0). The log order is the truth here:
 * platform times have 1 s resolution, so "later than the end" cannot be told from timestamps alone.
 */
async function reopenIfEnded(s: SyncServices, key: string): Promise<void> {
  const conv = await s.store.findConversation('wecom', key);
  if (conv?.meta[META.state] === 'ended') {
    await patchConversationMeta(s.store, conv.id, { [META.state]: null, [META.stateAt]: null });
  }
}

/** Work that must happen before the message reaches the inbox: evidence bytes, session facts, msgid links. */
async function prepare(
  s: SyncServices,
  client: WecomClient,
  item: SyncItem,
  message: InboundMessage,
  conversationId: string,
): Promise<void> {
  const kind = MEDIA_KINDS[str(item.msgtype)];
  const mediaId = str(rec(item[str(item.msgtype)]).media_id);
  if (kind && mediaId) {
    try {
      message.attachments = [
        await fetchEvidence({ client, store: s.store, log: s.log }, { conversationId, kind, mediaId, msgid: message.platformMsgId }),
      ];
    } catch (err) {
      // Transport trouble: fail the job so the page is pulled again. A refused media_id will never work: keep the message.
      if (!(err instanceof PlatformError) || err.retryable) throw err;
      s.log.warn({ code: err.platformCode, kind }, 'WeCom media refused: message kept without evidence');
    }
  }
  const event = message.event;
  if (!event) return;
  const at = message.sentAt;
  if (event.type === 'enter_session' && typeof message.meta.welcomeCode === 'string') {
    await patchConversationMeta(s.store, conversationId, {
      [META.welcomeCode]: message.meta.welcomeCode,
      [META.welcomeExpiresAt]: message.meta.welcomeCodeExpiresAt,
    });
  } else if (event.type === 'human_took_over') {
    await patchConversationMeta(s.store, conversationId, { [META.state]: 'servicer', [META.stateAt]: at });
  } else if (event.type === 'human_released') {
    await patchConversationMeta(s.store, conversationId, { [META.state]: 'ended', [META.stateAt]: at });
  } else if (event.type === 'send_failed' && typeof event.data.failMsgid === 'string') {
    // Split replies and hashed keys use a msgid that is not the outbox key: resolve it back.
    const linked = await s.redis.get(msgidLinkKey(s.config.queuePrefix, event.data.failMsgid));
    if (linked) event.data.outboxKey = linked;
    s.metrics.errors.inc({ code: 'wecom_msg_send_fail' });
    s.log.warn({ outboxKey: event.data.outboxKey, failType: event.data.failType }, 'WeCom reported a reply undelivered');
  }
}
