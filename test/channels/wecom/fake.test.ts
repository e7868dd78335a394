/**
 * The fake WeCom itself follows the 微信客服 API: tokens (https://developer.work.weixin.qq.com/document/path/91039),
 * sync_msg rules (https://developer.work.weixin.qq.com/document/path/94670), codes, state table, alert sinks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_CODES, startFakeWecom, type FakeWecom } from '../../fakes/wecom/index.js';
import { KF, SECRET, VECTOR } from './env.js';
import { manualClock } from '../../helpers/clock.js';

const clock = manualClock();
let fake: FakeWecom;
let token = '';

beforeAll(async () => {
  fake = await startFakeWecom({
    corpId: VECTOR.corpId,
    secret: SECRET,
    appSecrets: ['app-secret'],
    openKfIds: [KF, 'wkBBB222'],
    users: ['zhangsan', 'lisi'],
    agentId: 1000002,
    robotKey: 'robot-key',
    clock,
  });
  token = String((await get(`gettoken?corpid=${VECTOR.corpId}&corpsecret=${SECRET}`)).access_token);
});
afterAll(async () => {
  await fake.close();
});

async function get(path: string): Promise<Record<string, unknown>> {
  return (await (await fetch(`${fake.baseUrl}/cgi-bin/${path}`)).json()) as Record<string, unknown>;
}
async function post(path: string, body: unknown, withToken = true): Promise<Record<string, unknown>> {
  const sep = path.includes('?') ? '&' : '?';
  const url = `${fake.baseUrl}/cgi-bin/${path}${withToken ? `${sep}access_token=${token}` : ''}`;
  return (await (await fetch(url, { method: 'POST', body: JSON.stringify(body) })).json()) as Record<string, unknown>;
}

describe('fake WeCom', () => {
  it('gettoken checks credentials and returns the same token while valid', async () => {
    expect((await get(`gettoken?corpid=${VECTOR.corpId}&corpsecret=nope`)).errcode).toBe(40001);
    expect((await get(`gettoken?corpid=${VECTOR.corpId}&corpsecret=${SECRET}`)).access_token).toBe(token);
    expect((await post('kf/sync_msg', { open_kfid: KF }, false)).errcode).toBe(41001);
  });

  it('sync_msg: 10-minute callback tokens, limit ≤1000, 3-day retention, open_kfid filter', async () => {
    fake.customerText(KF, 'wmF1', '旧消息');
    clock.advance(4 * 24 * 3600_000);
    token = String((await get(`gettoken?corpid=${VECTOR.corpId}&corpsecret=${SECRET}`)).access_token);
    const fresh = fake.customerText(KF, 'wmF1', '新消息');
    fake.customerText('wkBBB222', 'wmF2', '别的账号');
    const cb = fake.callbackToken(KF);
    expect((await post('kf/sync_msg', { open_kfid: KF, limit: 1001 })).errcode).toBe(FAKE_CODES.invalidParam);
    const page = await post('kf/sync_msg', { open_kfid: KF, token: cb });
    expect((page.msg_list as { msgid: string }[]).map((m) => m.msgid)).toEqual([fresh]);
    clock.advance(11 * 60_000);
    expect((await post('kf/sync_msg', { open_kfid: KF, token: cb })).errcode).toBe(95007);
  });

  it('service_state follows the transition table and issues msg_code', async () => {
    const u = 'wmState1';
    fake.customerText(KF, u, '人工');
    expect((await post('kf/service_state/trans', { open_kfid: KF, external_userid: u, service_state: 2 })).msg_code).toBeTruthy();
    expect((await post('kf/service_state/trans', { open_kfid: KF, external_userid: u, service_state: 1 })).errcode).toBe(FAKE_CODES.badTransition);
    expect((await post('kf/service_state/trans', { open_kfid: KF, external_userid: u, service_state: 3 })).errcode).toBe(FAKE_CODES.notServicer);
    const taken = await post('kf/service_state/trans', { open_kfid: KF, external_userid: u, service_state: 3, servicer_userid: 'zhangsan' });
    expect(taken.errcode).toBe(0);
    expect(await post('kf/service_state/get', { open_kfid: KF, external_userid: u })).toMatchObject({ service_state: 3, servicer_userid: 'zhangsan' });
    // A reply code works only while the session is still in the state that issued it.
    const send = await post('kf/send_msg_on_event', { code: taken.msg_code, msgtype: 'text', text: { content: '我来处理' } });
    expect(send.errcode).toBe(0);
    expect((await post('kf/send_msg', { touser: u, open_kfid: KF, msgtype: 'text', text: { content: '机器人' } })).errcode).toBe(FAKE_CODES.badState);
    fake.refusals.length = 0;
  });

  it('send_msg enforces text length and msgid format; batchget knows only recent customers', async () => {
    const u = 'wmSend99';
    fake.customerText(KF, u, '在吗');
    expect((await post('kf/send_msg', { touser: u, open_kfid: KF, msgtype: 'text', text: { content: '长'.repeat(700) } })).errcode).toBe(FAKE_CODES.invalidParam);
    expect((await post('kf/send_msg', { touser: u, open_kfid: KF, msgid: 'bad:id', msgtype: 'text', text: { content: '好' } })).errcode).toBe(FAKE_CODES.invalidParam);
    for (let i = 0; i < 5; i++) {
      expect((await post('kf/send_msg', { touser: u, open_kfid: KF, msgtype: 'text', text: { content: `第${i}条` } })).errcode).toBe(0);
    }
    expect((await post('kf/send_msg', { touser: u, open_kfid: KF, msgtype: 'text', text: { content: '第六条' } })).errcode).toBe(95001);
    const batch = await post('kf/customer/batchget', { external_userid_list: [u, 'wmNobody'] });
    expect(batch).toMatchObject({ customer_list: [{ external_userid: u }], invalid_external_userid: ['wmNobody'] });
    expect(fake.refusals.map((r) => r.reason)).toEqual(['invalid', 'invalid', 'cap']);
    fake.refusals.length = 0;
  });

  it('alert sinks: app messages report invalid users, the robot allows 20 per minute', async () => {
    const ok = await post('message/send', { touser: 'zhangsan|ghost', agentid: 1000002, msgtype: 'text', text: { content: '新工单' } });
    expect(ok).toMatchObject({ errcode: 0, invaliduser: 'ghost' });
    expect((await post('message/send', { touser: 'ghost', agentid: 1000002, msgtype: 'text', text: { content: 'x' } })).errcode).toBe(81013);
    expect((await post('webhook/send?key=wrong', { msgtype: 'text', text: { content: 'x' } }, false)).errcode).toBe(93000);
    const codes: unknown[] = [];
    for (let i = 0; i < 21; i++) codes.push((await post('webhook/send?key=robot-key', { msgtype: 'text', text: { content: `告警${i}` } }, false)).errcode);
    expect(codes.slice(0, 20).every((c) => c === 0)).toBe(true);
    expect(codes[20]).toBe(45009);
    expect(await post('kf/account/list', { offset: 0, limit: 100 })).toMatchObject({ account_list: [{ open_kfid: KF }, { open_kfid: 'wkBBB222' }] });
    expect((await get(`kf/servicer/list?open_kfid=${KF}&access_token=${token}`)).servicer_list).toEqual([{ userid: 'zhangsan', status: 0 }]);
  });
});
