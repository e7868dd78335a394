/**
 * The group complaint radar through /webhooks/wecom-bot of the real application: a member
 * @mentions the 智能机器人 with an after-sales problem → encrypted reply in the group, an escalated case, an
 * alert to the managers' robot and a personal app message to the group's owner. Duplicates, forgeries and
 * junk are refused or absorbed. Groups and owners come from change_external_chat + groupchat/get.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyGroupChange, getGroup, listOwnedGroups } from '../../src/radar/index.js';
import { wecomGroupFetcher } from '../../src/radar/groups.js';
import type { ConsoleUser } from '../../src/store/types.js';
import { CallbackSender } from '../fakes/wecom/index.js';
import { VECTOR } from '../channels/wecom/env.js';
import { BOT, startAlertsEnv, UNMASKED_PHONE, type AlertsEnv } from '../alerts/env.js';
import { BotSender } from './bot-sender.js';

let env: AlertsEnv;
let base = '';
let bot: BotSender;
let owner: ConsoleUser;
const GROUP = 'wrGROUP0001';

beforeAll(async () => {
  env = await startAlertsEnv({ robot: true, app: true, bot: true });
  base = env.baseUrl;
  bot = new BotSender({ url: `${base}/webhooks/wecom-bot`, token: BOT.token, encodingAesKey: BOT.key, now: () => env.clock.now() });

  owner = await env.services.store.createUser({ username: 'owner', displayName: '群主', role: 'manager', passwordHash: 'x', wecomUserId: 'owner1' });
  env.api.groups.set(GROUP, { name: '老客福利群', owner: 'owner1' });
  await applyGroupChange(env.services, { MsgType: 'event', Event: 'change_external_chat', ChatId: GROUP, ChangeType: 'create' }, wecomGroupFetcher(env.services));
});
afterAll(async () => {
  await env.stop();
});

const groupCases = async () => (await env.services.store.listCases({ channel: 'wecom', limit: 200 })).items;
const streamOf = (reply: Record<string, unknown> | null) => (reply?.stream ?? {}) as { id?: string; finish?: boolean; content?: string };
const appTo = (userid: string) => env.fake.model.alerts.filter((a) => a.kind === 'app' && String(a.body.touser).split('|').includes(userid));

describe('groups (change_external_chat)', () => {
  it('keeps each group’s name and owner, and the list of groups each manager owns', async () => {
    expect(await getGroup(env.services.store, GROUP)).toMatchObject({ name: '老客福利群', owner: 'owner1', status: 'active' });
    expect(await listOwnedGroups(env.services.store, 'owner1')).toContain(GROUP);

    env.api.groups.set('wrGROUP0002', { name: '新品体验群', owner: 'owner1' });
    const fetch = wecomGroupFetcher(env.services);
    await applyGroupChange(env.services, { MsgType: 'event', Event: 'change_external_chat', ChatId: 'wrGROUP0002', ChangeType: 'create' }, fetch);
    env.api.groups.set('wrGROUP0002', { name: '新品体验群', owner: 'mgr1' });
    await applyGroupChange(env.services, { MsgType: 'event', Event: 'change_external_chat', ChatId: 'wrGROUP0002', ChangeType: 'update', UpdateDetail: 'change_owner' }, fetch);
    expect(await listOwnedGroups(env.services.store, 'owner1')).not.toContain('wrGROUP0002');
    expect(await listOwnedGroups(env.services.store, 'mgr1')).toEqual(['wrGROUP0002']);

    await applyGroupChange(env.services, { MsgType: 'event', Event: 'change_external_chat', ChatId: 'wrGROUP0002', ChangeType: 'dismiss' }, fetch);
    expect(await getGroup(env.services.store, 'wrGROUP0002')).toMatchObject({ status: 'dismissed' });
    expect(await listOwnedGroups(env.services.store, 'mgr1')).toEqual([]);
  });

  it('arrive as encrypted XML events on /webhooks/wecom', async () => {
    env.api.groups.set('wrGROUP0003', { name: '会员群', owner: 'owner1' });
    const sender = new CallbackSender({ url: `${base}/webhooks/wecom`, corpId: VECTOR.corpId, token: VECTOR.token, encodingAesKey: VECTOR.key, clock: env.clock });
    const ts = Math.floor(env.clock.now() / 1000);
    const xml =
      `<xml><ToUserName><![CDATA[${VECTOR.corpId}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>${ts}</CreateTime>` +
      `<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_external_chat]]></Event><ChatId><![CDATA[wrGROUP0003]]></ChatId>` +
      `<ChangeType><![CDATA[create]]></ChangeType></xml>`;
    const delivery = await sender.deliverSigned(sender.seal(xml));
    expect(delivery.acked).toBe(true);
    await expect.poll(async () => (await getGroup(env.services.store, 'wrGROUP0003'))?.owner, { timeout: 5000 }).toBe('owner1');
  });
});

describe('GET /webhooks/wecom-bot', () => {
  it('answers the URL check with the bare plaintext', async () => {
    const out = await bot.verifyUrl();
    expect(out).toMatchObject({ status: 200, body: out.expected });
  });
});

describe('POST /webhooks/wecom-bot', () => {
  it('a member reports a problem: reply in the group, case opened, manager alerted', async () => {
    const msgid = 'CAIQ-complaint-1';
    const text = '@售后小助手 衣服发错颜色了，尺码也不对，我电话13812345678';
    const { status, reply } = await bot.mention({ msgid, text, userid: 'member1' });
    expect(status).toBe(200);
    expect(reply).toMatchObject({ msgtype: 'stream', stream: { finish: true } });
    expect(streamOf(reply).content).toMatch(/私信/);

    const cases = await groupCases();
    expect(cases).toHaveLength(1);
    const kase = cases[0];
    expect(kase).toMatchObject({ channel: 'wecom', status: 'escalated', customerId: 'member1', category: 'wrong_item' });
    expect(kase?.data.escalation).toMatchObject({ reason: 'group complaint' });
    const conv = await env.services.store.findConversation('wecom', `group:${GROUP}:member1`);
    expect(conv).toMatchObject({ mode: 'human', id: kase?.conversationId });
    expect(await env.services.store.findInbound('wecom', `aibot:${msgid}`)).toMatchObject({ status: 'processed' });

    const [alert] = await env.services.store.listAlerts({ kind: 'group_complaint' });
    expect(alert).toMatchObject({ level: 'critical', caseId: kase?.id });
    expect(alert?.title).toContain('老客福利群');
    expect(alert?.text).not.toMatch(UNMASKED_PHONE);
    expect(alert?.data.notifyUserIds).toEqual([owner.id]);

    expect(await env.deliver()).toBe('delivered 1');
    const robot = env.robotBodies();
    expect(robot).toHaveLength(1);
    expect(robot[0]).toContain('老客福利群');
    expect(robot[0]).not.toMatch(UNMASKED_PHONE);
    const personal = appTo('owner1');
    expect(personal).toHaveLength(1);
    expect(String((personal[0]?.body.text as { content?: string }).content)).toContain('老客福利群');
    expect(JSON.stringify(personal[0]?.body)).not.toMatch(UNMASKED_PHONE);
  });

  it('the same msgid again (WeCom retry): same reply, nothing opened or alerted twice', async () => {
    const msgid = 'CAIQ-dup-1';
    const text = '@售后小助手 杯子收到就碎了，质量太差了';
    const sealed = bot.seal(bot.message({ msgid, text, userid: 'member2' }));
    const first = await bot.post(sealed);
    const [second, third] = await Promise.all([bot.post(sealed), bot.post(bot.seal(bot.message({ msgid, text, userid: 'member2' })))]);
    for (const r of [first, second, third]) expect(r.status).toBe(200);
    const replies = [first, second, third].map((r) => streamOf(bot.open(r.text)));
    expect(new Set(replies.map((r) => r.content)).size).toBe(1);
    expect(new Set(replies.map((r) => r.id)).size).toBe(1);

    const mine = (await groupCases()).filter((c) => c.customerId === 'member2');
    expect(mine).toHaveLength(1);
    expect((await env.services.store.listAlerts({ kind: 'group_complaint' })).filter((a) => a.key === `group:${msgid}`)).toHaveLength(1);
    const conv = await env.services.store.findConversation('wecom', `group:${GROUP}:member2`);
    expect(await env.services.store.listInbound(conv?.id ?? '', 10)).toHaveLength(1);
    const events = await env.services.store.listCaseEvents(mine[0]?.id ?? '');
    expect(events.filter((e) => e.type === 'escalated')).toHaveLength(1);
  });

  it('a risky mention is escalated as urgent with a risk reply', async () => {
    const { reply } = await bot.mention({ msgid: 'CAIQ-risk-1', text: '@售后小助手 再不处理我就去12315投诉你们', userid: 'member3' });
    expect(streamOf(reply).content).toMatch(/加急/);
    const [kase] = (await groupCases()).filter((c) => c.customerId === 'member3');
    expect(kase).toMatchObject({ status: 'escalated', risk: true, priority: 1 });
  });

  it('chatter is answered with a hint and opens nothing', async () => {
    const before = (await groupCases()).length;
    const alertsBefore = (await env.services.store.listAlerts({ kind: 'group_complaint' })).length;
    const { status, reply } = await bot.mention({ msgid: 'CAIQ-hello-1', text: '@售后小助手 大家好呀', userid: 'member4' });
    expect(status).toBe(200);
    expect(streamOf(reply).content).toMatch(/@我/);
    expect(await groupCases()).toHaveLength(before);
    expect(await env.services.store.listAlerts({ kind: 'group_complaint' })).toHaveLength(alertsBefore);
  });

  it('a one-to-one chat with the bot gets a hint, never a case', async () => {
    const before = (await groupCases()).length;
    const { reply } = await bot.mention({ msgid: 'CAIQ-single-1', chattype: 'single', chatid: '', text: '衣服发错颜色了', userid: 'staff1' });
    expect(streamOf(reply).content).toMatch(/群/);
    expect(await groupCases()).toHaveLength(before);
  });

  it('a mention in a group nobody has told us about still opens a case and alerts the managers’ robot', async () => {
    const { reply } = await bot.mention({ msgid: 'CAIQ-unknown-1', chatid: 'wrUNKNOWN01', text: '@售后小助手 快递一周了还没到', userid: 'member5' });
    expect(streamOf(reply).content).toMatch(/私信/);
    const [alert] = (await env.services.store.listAlerts({ kind: 'group_complaint' })).filter((a) => a.key === 'group:CAIQ-unknown-1');
    expect(alert?.title).toContain('未命名群聊');
    expect(alert?.data.notifyUserIds).toBeUndefined();
  });

  it('a stream refresh gets the same finished answer; events get an empty 200', async () => {
    const { reply } = await bot.mention({ msgid: 'CAIQ-stream-1', text: '@售后小助手 你好', userid: 'member6' });
    const id = streamOf(reply).id;
    const refresh = await bot.mention({ msgid: 'CAIQ-stream-2', aibotid: 'AIBOTID1', chatid: GROUP, chattype: 'group', from: { userid: 'member6' }, msgtype: 'stream', stream: { id } });
    expect(streamOf(refresh.reply)).toEqual(streamOf(reply));
    const event = await bot.mention({ msgid: 'CAIQ-ev-1', aibotid: 'AIBOTID1', from: { userid: 'member6' }, msgtype: 'event', event: { eventtype: 'enter_chat' } });
    expect(event).toMatchObject({ status: 200, reply: null, raw: '' });
  });

  it('refuses a bad signature (401), a stale timestamp (401), junk (400) and a huge body (413)', async () => {
    const sealed = bot.seal(bot.message({ text: '@售后小助手 发错货了' }));
    const forged = sealed.query.replace(/msg_signature=[0-9a-f]+/, `msg_signature=${'0'.repeat(40)}`);
    expect((await bot.post({ query: forged, body: sealed.body })).status).toBe(401);
    expect((await bot.post({ query: sealed.query.replace(/msg_signature=[0-9a-f]+/, 'msg_signature=abc'), body: sealed.body })).status).toBe(401);

    const old = bot.seal(bot.message({ text: '@售后小助手 发错货了' }), { timestamp: String(Math.floor(env.clock.now() / 1000) - 3600) });
    expect((await bot.post(old)).status).toBe(401);

    expect((await bot.post({ query: sealed.query, body: 'not json' })).status).toBe(400);
    expect((await bot.post({ query: sealed.query, body: '{"nothing":1}' })).status).toBe(400);
    const corp = bot.seal(bot.message({ text: 'x' }), { receiveId: VECTOR.corpId });
    expect((await bot.post(corp)).status).toBe(401);
    const noSender = bot.seal({ msgtype: 'text', text: { content: 'x' } });
    expect((await bot.post(noSender)).status).toBe(400);

    const huge = await fetch(`${base}/webhooks/wecom-bot?${sealed.query}`, { method: 'POST', body: Buffer.alloc(64 * 1024 + 1, 97) });
    expect(huge.status).toBe(413);
    expect(await groupCases()).toSatisfy((cases: unknown[]) => cases.length < 10);
  });
});
