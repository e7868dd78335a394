/**
 * The shop's decisions in 抖店 moving a case in review: pushes go through POST /webhooks/doudian (the fake pusher
 * signs them as 抖店 does), the job the route enqueued runs on the production 'doudian-event' processor (twice: BullMQ
 * is at-least-once), real SQLite and Redis. Fixtures and their public sources: test/fakes/doudian/fixtures.ts.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { doudianEventProcessor } from '../../../handlers/jobs/doudian-event.js';
import { rejectCase } from '../../../src/cases/execution.js';
import { readDecision } from '../../../src/cases/steps.js';
import { createDoudianChannel } from '../../../src/channels/doudian/index.js';
import type { Case } from '../../../src/core/types.js';
import { claimCase } from '../../../src/handoff/actions.js';
import { enterReview } from '../../../src/handoff/queue-entry.js';
import { shopDecisionData, specialRefundSucceededData } from '../../fakes/doudian/fixtures.js';
import { DoudianPusher } from '../../fakes/doudian/pusher.js';
import { FakeDoudian } from '../../fakes/doudian/server.js';
import { DD, startRig, type Rig } from '../douyin/rig.js';

let rig: Rig;
let fake: FakeDoudian;
let pusher: DoudianPusher;
let run: ReturnType<typeof doudianEventProcessor>;

beforeAll(async () => {
  fake = await FakeDoudian.start(DD);
  rig = await startRig({ env: { DOUDIAN_API_BASE: fake.baseUrl } });
  pusher = new DoudianPusher({ url: `${rig.baseUrl}/webhooks/doudian`, ...DD });
  run = doudianEventProcessor(rig.services, createDoudianChannel(rig.services).client);
});
afterAll(async () => {
  await rig?.stop();
  await fake?.stop();
});

/** A Douyin shopper's case the bot filed for review (待审核), the shopper's message a minute old. */
async function filedCase(orderId: string): Promise<Case> {
  const { store, clock } = rig.services;
  const openId = `dd-dec-${randomBytes(4).toString('hex')}`;
  const customer = await store.upsertCustomer({ channel: 'douyin', platformUserId: openId });
  const conv = await store.getOrCreateConversation({ channel: 'douyin', key: openId, customerId: customer.id });
  const at = clock.now() - 60_000;
  await store.updateConversation(conv.id, conv.version, { lastCustomerAt: at, meta: { msgId: `@m-${openId}`, msgAt: at, conversationId: '@c1', scene: 'im_replay_msg' } });
  const kase = await store.createCase({ channel: 'douyin', customerId: customer.id, conversationId: conv.id, orderId, status: 'open', category: 'quality', data: { filedAt: new Date(clock.now()).toISOString() } });
  return (await enterReview(rig.services, kase)).case;
}

/** 抖店 delivers the push twice; the job the route enqueued runs twice. */
async function deliver(tag: string, msgId: string, data: string): Promise<void> {
  const raw = `[{"tag":"${tag}","msg_id":"${msgId}","data":${JSON.stringify(data)}}]`;
  for (let i = 0; i < 2; i++) expect((await pusher.push([], { raw })).accepted).toBe(true);
  const job = await rig.services.queues.get('doudian-event').getJob(`doudian-${msgId}`);
  if (!job) throw new Error(`no job for ${msgId}`);
  await run(job);
  await run(job);
}

const texts = async (k: Case): Promise<string[]> => (await rig.services.store.listOutbound({ conversationId: k.conversationId, limit: 50 })).map((r) => r.reply.text);
const events = async (k: Case): Promise<string[]> => (await rig.services.store.listCaseEvents(k.id)).map((e) => e.type);
const push = (tag: '201' | '202' | '204' | '205' | '207', orderId: string, afterSaleType: 0 | 1 | 2, latestRecord?: string): string =>
  shopDecisionData(tag, { orderId, afterSaleId: `73029183912291${orderId.slice(-5)}`, shopId: DD.shopId, afterSaleType, latestRecord });

describe('抖店 decisions on a case in review', () => {
  it('201 同意退款 approves a case in 待审核 by 抖店 for a refund, and tells the shopper once with the console\'s approve message', async () => {
    const order = '4705288465508535101';
    const k = await filedCase(order);
    await deliver('201', '7300000000000201001', push('201', order, 1));
    const after = await rig.services.store.getCase(k.id);
    expect(after).toMatchObject({ status: 'approved', resolution: 'refund', assignee: null });
    expect(readDecision(after ?? k)).toMatchObject({ verdict: 'approved', resolutions: ['refund'], by: 'doudian' });
    const approved = (await rig.services.store.listCaseEvents(k.id)).filter((e) => e.type === 'approved');
    expect(approved).toEqual([expect.objectContaining({ actor: 'doudian', data: expect.objectContaining({ resolutions: ['refund'] }) })]);
    expect((await events(k)).filter((t) => t === 'doudian_after_sale')).toHaveLength(1);
    const told = await texts(k);
    expect(told).toHaveLength(1);
    expect(told[0]).toContain('审核通过');
    expect(told[0]).toContain('仅退款');
  });

  it('201 on a 退货退款 after-sale grants the return-refund; 202 同意退货 does too', async () => {
    const a = await filedCase('4705288465508535102');
    await deliver('201', '7300000000000201002', push('201', '4705288465508535102', 0));
    expect(await rig.services.store.getCase(a.id)).toMatchObject({ status: 'approved', resolution: 'return_refund' });
    const b = await filedCase('4705288465508535103');
    await deliver('202', '7300000000000202003', push('202', '4705288465508535103', 0));
    expect(await rig.services.store.getCase(b.id)).toMatchObject({ status: 'approved', resolution: 'return_refund' });
    expect((await texts(b)).filter((t) => t.includes('退货退款'))).toHaveLength(1);
  });

  it('204 拒绝退款 rejects with a reason the shopper can read; 抖店\'s operation record stays in the history', async () => {
    const order = '4705288465508535104';
    const k = await filedCase(order);
    await deliver('204', '7300000000000204004', push('204', order, 1, '商家拒绝退款'));
    const after = await rig.services.store.getCase(k.id);
    expect(after?.status).toBe('rejected');
    const decision = readDecision(after ?? k);
    expect(decision).toMatchObject({ verdict: 'rejected', by: 'doudian' });
    expect(decision?.reason).toMatch(/商家.*抖店.*退款/);
    const told = await texts(k);
    expect(told).toHaveLength(1);
    expect(told[0]).toContain('没有通过审核');
    expect(told[0]).toContain(decision?.reason ?? '?');
    const record = (await rig.services.store.listCaseEvents(k.id)).find((e) => e.type === 'doudian_after_sale');
    expect(record?.data).toMatchObject({ tag: '204', latestRecord: '商家拒绝退款' });
    expect((await events(k)).filter((t) => t === 'rejected')).toHaveLength(1);
  });

  it('a person\'s decision wins: 201 on a case a person rejected changes nothing but the history', async () => {
    const order = '4705288465508535105';
    const k = await filedCase(order);
    const agent = await rig.services.store.createUser({ username: `ag-${randomBytes(3).toString('hex')}`, displayName: '小王', role: 'agent', passwordHash: 'unused', online: false, capacity: 5 });
    const actor = { id: agent.id, role: agent.role, name: agent.displayName };
    await claimCase(rig.services, actor, k.id);
    await rejectCase(rig.services, actor, k.id, '超过七天无理由退货期限');
    const before = await texts(k);

    await deliver('201', '7300000000000201005', push('201', order, 1));
    const after = await rig.services.store.getCase(k.id);
    expect(after?.status).toBe('rejected');
    expect(readDecision(after ?? k)).toMatchObject({ verdict: 'rejected', by: agent.id, reason: '超过七天无理由退货期限' });
    const kept = (await rig.services.store.listCaseEvents(k.id)).filter((e) => e.type === 'doudian_decision_kept');
    expect(kept).toEqual([expect.objectContaining({ data: expect.objectContaining({ tag: '201', verdict: 'approved', status: 'rejected', code: 'already_decided', decidedBy: agent.id }) })]);
    expect(await texts(k)).toEqual(before);

    // 抖店 closing the after-sale afterwards does not undo the person's decision either.
    await deliver('207', '7300000000000207005', push('207', order, 1));
    expect((await rig.services.store.getCase(k.id))?.status).toBe('rejected');
    const later = (await rig.services.store.listCaseEvents(k.id)).filter((e) => e.type === 'doudian_decision_kept').map((e) => e.data.tag);
    expect(later).toEqual(['201', '207']);
  });

  it('207 售后关闭 closes a case in review with a history line; after a refund it is nothing new', async () => {
    const order = '4705288465508535106';
    const k = await filedCase(order);
    await deliver('207', '7300000000000207006', push('207', order, 1));
    const after = await rig.services.store.getCase(k.id);
    expect(after).toMatchObject({ status: 'closed', data: expect.objectContaining({ closedBy: 'doudian' }) });
    const closed = (await rig.services.store.listCaseEvents(k.id)).filter((e) => e.type === 'closed');
    expect(closed).toEqual([expect.objectContaining({ actor: 'system', data: expect.objectContaining({ by: 'doudian', tag: '207' }) })]);
    expect(await texts(k)).toEqual([]);

    const refunded = await filedCase('4705288465508535107');
    await deliver('225', '7300000000000225007', specialRefundSucceededData('4705288465508535107', DD.shopId));
    expect((await rig.services.store.getCase(refunded.id))?.status).toBe('resolved');
    await deliver('207', '7300000000000207007', push('207', '4705288465508535107', 1));
    expect((await rig.services.store.getCase(refunded.id))?.status).toBe('resolved');
    expect(await events(refunded)).not.toContain('doudian_decision_kept');
    expect(await events(refunded)).not.toContain('closed');
  });
});
