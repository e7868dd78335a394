/**
 * Acceptance on WeCom 微信客服, end to end through the fake kf API with one injectable clock for the fake and
 * the app: the survey goes out as a msgmenu inside the 48 h window and a click answers it; the follow-up
 * visit, due after the window has closed, becomes a person's task with the reason — no send is attempted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPlan } from '../../src/followup/index.js';
import { visitOutboxKey } from '../../src/followup/plan.js';
import { CallbackSender, startFakeWecom, type FakeWecom } from '../fakes/wecom/index.js';
import { startHarness, waitFor, type Harness } from '../helpers/harness.js';
import { KF, SECRET, VECTOR, wecomEnv } from '../channels/wecom/env.js';
import { manualClock } from '../helpers/clock.js';
import { openCase, resolveCase } from './helpers.js';

// 3 days → 18 s, the 48 h answer timeout → 12 s, the 10-minute survey delay → 42 ms.
const TIME_SCALE = '14400';
const USER = 'wmFOLLOWUP01';
const HOUR = 3600_000;

const clock = manualClock();
let app: Harness;
let fake: FakeWecom;

beforeAll(async () => {
  fake = await startFakeWecom({ corpId: VECTOR.corpId, secret: SECRET, openKfIds: [KF], clock });
  app = await startHarness({ env: { ...wecomEnv(fake.baseUrl), TIME_SCALE }, clock });
  fake.connect(new CallbackSender({ url: `${app.baseUrl}/webhooks/wecom`, corpId: VECTOR.corpId, token: VECTOR.token, encodingAesKey: VECTOR.key, retryAfterMs: 2000, clock }));
});
afterAll(async () => {
  await fake?.close();
  await app?.stop();
});

const sentTo = () => fake.sent.filter((m) => m.touser === USER);
const menuIds = (body: Record<string, unknown>): string[] => {
  const menu = body.msgmenu as { list?: { click?: { id?: string } }[] } | undefined;
  return (menu?.list ?? []).map((i) => i.click?.id ?? '');
};

/** Every inbox row handled and no reply pending. */
async function settled(rows: number): Promise<void> {
  await fake.settle();
  const { store } = app.services;
  await waitFor(async () => {
    const conv = await store.findConversation('wecom', `${KF}:${USER}`);
    if (!conv) return false;
    const inbox = await store.listInbound(conv.id, 100);
    const pending = await store.listOutbound({ conversationId: conv.id, status: 'pending' });
    return inbox.length >= rows && inbox.every((r) => r.status !== 'pending') && pending.length === 0;
  }, { what: 'conversation settled' });
}

describe('follow-ups on WeCom', () => {
  it('survey as a msgmenu, answered by a click; the visit after the 48 h window becomes a task', { timeout: 60_000 }, async () => {
    fake.customerText(KF, USER, '你好');
    await waitFor(() => sentTo().length >= 1, { what: 'first reply' });
    await settled(1);
    const { store } = app.services;
    const conv = await waitFor(() => store.findConversation('wecom', `${KF}:${USER}`));
    const kase = await openCase(app.services, conv);
    await resolveCase(app.services, kase.id);

    const survey = await waitFor(() => sentTo().find((m) => m.msgtype === 'msgmenu' && menuIds(m.body).includes('csat-5')), { what: 'the survey menu' });
    expect(menuIds(survey.body)).toEqual(['csat-5', 'csat-4', 'csat-3', 'csat-2', 'csat-1']);
    expect(survey.via).toBe('send_msg');

    // The customer clicks 「5分 非常满意」 in the menu.
    fake.customerText(KF, USER, '5分 非常满意', 'csat-5');
    await waitFor(() => sentTo().some((m) => m.msgtype === 'msgmenu' && menuIds(m.body).includes('showcase-yes')), { what: 'thanks with the consent menu' });
    await settled(2);
    expect(await store.getCase(kase.id)).toMatchObject({ status: 'closed', csat: 5 });

    // Two days pass without the customer writing: the window closes before the visit is due.
    const sentBefore = fake.sent.length;
    clock.advance(49 * HOUR);
    const task = await waitFor(async () => (await store.listTasks({ caseId: kase.id }))[0], { timeoutMs: 30_000, what: 'the follow-up task' });
    expect(task).toMatchObject({ key: `followup:${kase.id}:1`, kind: 'followup', status: 'open', conversationId: conv.id });
    expect(task.reason).toMatch(/^企业微信 48 小时会话窗口已关闭（顾客最后一次发消息在 11月1日 16:00）/);
    expect(task.data).toMatchObject({ channel: 'wecom', code: 'wecom_window', text: expect.stringContaining('尾号0031'), choices: ['解决了', '还没解决'] });

    const plan = readPlan((await store.getCase(kase.id)) ?? { data: {} });
    expect(plan?.visit).toMatchObject({ status: 'task', taskKey: task.key, reason: 'wecom_window' });
    // No send was attempted: nothing in the outbox for the visit, nothing refused by WeCom, nothing new sent.
    expect(await store.getOutbound(visitOutboxKey(kase.id, 1))).toBeNull();
    expect(await store.listOutbound({ conversationId: conv.id, status: 'failed' })).toEqual([]);
    expect(await store.listOutbound({ conversationId: conv.id, status: 'held' })).toEqual([]);
    expect(fake.refusals).toEqual([]);
    expect(fake.sent.length).toBe(sentBefore);
    expect((await store.listCaseEvents(kase.id)).some((e) => e.type === 'followup_task')).toBe(true);
  });
});
