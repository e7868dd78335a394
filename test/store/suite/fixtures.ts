/** Builders shared by the conformance sections. Every key is unique so sections never see each other's rows. */
import { createHash, randomUUID } from 'node:crypto';
import type { Channel, InboundMessage } from '../../../src/core/types.js';
import type { Conversation, Customer, NewEvidence, Store } from '../../../src/store/types.js';

/** Returns the store of the running test; set by the suite's beforeEach. */
export type GetStore = () => Store;

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export const uniq = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;

export const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

export function inbound(over: Partial<InboundMessage> = {}): InboundMessage {
  return {
    channel: 'wecom',
    platformMsgId: uniq('msg'),
    conversationKey: 'wkAAA:wmCUST',
    platformUserId: 'wmCUST',
    sentAt: 1_700_000_000_000,
    from: 'customer',
    kind: 'text',
    text: '你好，我的订单有问题',
    attachments: [],
    meta: { open_kfid: 'wkAAA', scene: null, answered: false, seq: 3 },
    ...over,
  };
}

export async function seedConversation(
  store: Store,
  channel: Channel = 'wecom',
): Promise<{ customer: Customer; conversation: Conversation }> {
  const customer = await store.upsertCustomer({ channel, platformUserId: uniq('user') });
  const conversation = await store.getOrCreateConversation({ channel, key: uniq('conv'), customerId: customer.id });
  return { customer, conversation };
}

export function newEvidence(conversationId: string, bytes: Buffer, over: Partial<NewEvidence> = {}): NewEvidence {
  return {
    conversationId,
    channel: 'wecom',
    kind: 'image',
    mime: 'image/jpeg',
    size: bytes.length,
    sha256: sha256(bytes),
    source: 'media_id:abc',
    ...over,
  };
}

/** Runs `fn` `n` times at once and waits for all. */
export function concurrently<T>(n: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => fn(i)));
}
