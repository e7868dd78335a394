/** The customer view joins one buyer's cases across channels by order id, one hop only. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerView } from '../../src/analytics/customer-view.js';
import { loadLabels } from '../../src/analytics/labels.js';
import type { Case, Channel } from '../../src/core/types.js';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { seedConversation } from '../store/suite/fixtures.js';
import { statsCase } from '../store/suite/stats.js';
import { H, openStore } from './rig.js';

const labels = loadLabels();
const T = Date.parse('2026-03-10T02:00:00.000Z');

let store: SqliteStore;
let cleanup: () => Promise<void>;
const made: Record<string, Case> = {};

beforeAll(async () => {
  ({ store, cleanup } = await openStore());
  const conv: Record<Channel, string> = {
    douyin: (await seedConversation(store, 'douyin')).conversation.id,
    wecom: (await seedConversation(store, 'wecom')).conversation.id,
    web: (await seedConversation(store, 'web')).conversation.id,
  };
  const add = (name: string, channel: Channel, customerId: string, orderId: string | null, hours: number, verified = true): void => {
    made[name] = {
      ...statsCase(conv[channel], { at: T + hours * H, channel, data: { order: orderId ? { orderId, productName: '保温杯', verified } : {} } }),
      customerId,
      orderId,
      description: `${name}：杯子漏水，电话13812345678`,
    };
  };
  // Buyer A on Douyin: two orders, and one case without an order.
  add('a1', 'douyin', 'dy-A', 'O1', 0);
  add('a2', 'douyin', 'dy-A', 'O2', 1);
  add('a3', 'douyin', 'dy-A', null, 2);
  // The same buyer on WeCom about O1, and about another order O3 there.
  add('b1', 'wecom', 'wm-B', 'O1', 3);
  add('b2', 'wecom', 'wm-B', 'O3', 4);
  // Someone else who shares O3 with B: two hops from A, not joined.
  add('d1', 'web', 'v-D', 'O3', 5);
  // Unrelated.
  add('c1', 'web', 'v-C', 'O4', 6);
  // A stranger who typed A's order number, which 抖店 never confirmed for them: not joined either way.
  add('e1', 'web', 'v-E', 'O2', 7, false);
  await store.importCases(Object.values(made));
});

afterAll(async () => {
  await cleanup();
});

describe('customer view', () => {
  it("lists the buyer's own cases and those of identities that share an order, newest first", async () => {
    const v = await customerView(store, labels, { channel: 'douyin', platformUserId: 'dy-A' });
    expect(v.cases.map((c) => c.description.split('：')[0])).toEqual(['b2', 'b1', 'a3', 'a2', 'a1']);
    expect(v.orders.sort()).toEqual(['O1', 'O2']);
    expect(v.identities).toEqual([
      { channel: 'douyin', channelLabel: '抖音', customerId: 'dy-A', linkedBy: [] },
      { channel: 'wecom', channelLabel: '企业微信', customerId: 'wm-B', linkedBy: ['O1'] },
    ]);
    const b1 = v.cases.find((c) => c.id === made.b1?.id);
    expect(b1).toMatchObject({ channel: 'wecom', channelLabel: '企业微信', orderId: 'O1', product: '保温杯', categoryLabel: '商品质量问题', status: 'open' });
    expect(b1?.description).toBe('b1：杯子漏水，电话138****5678');
  });

  it('works from the other side too', async () => {
    const v = await customerView(store, labels, { channel: 'wecom', platformUserId: 'wm-B' });
    expect(v.identities.map((i) => [i.customerId, i.linkedBy])).toEqual([
      ['wm-B', []],
      // Orders are followed newest case first.
      ['v-D', ['O3']],
      ['dy-A', ['O1']],
    ]);
    expect(v.cases.map((c) => c.description.split('：')[0])).toEqual(['d1', 'b2', 'b1', 'a3', 'a2', 'a1']);
  });

  it('never links through an order number only typed (not confirmed by 抖店)', async () => {
    const stranger = await customerView(store, labels, { channel: 'web', platformUserId: 'v-E' });
    expect(stranger.identities.map((i) => i.customerId)).toEqual(['v-E']);
    expect(stranger.cases.map((c) => c.description.split('：')[0])).toEqual(['e1']);
    expect(stranger.orders).toEqual([]);
  });

  it('answers an unknown buyer with nothing, and does not mix channels up', async () => {
    expect(await customerView(store, labels, { channel: 'web', platformUserId: 'nobody' })).toMatchObject({ cases: [], orders: [] });
    expect((await customerView(store, labels, { channel: 'web', platformUserId: 'dy-A' })).cases).toEqual([]);
  });
});
