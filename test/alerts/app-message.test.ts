/**
 * Alerts as WeCom app messages (no robot key): to managers and supervisors with a wecomUserId, within 30 a
 * minute per member; and notifyUser for one person (skipped without an app or a wecomUserId, never throws).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { notifyUser, raiseAlert } from '../../src/alerts/index.js';
import { inert } from '../../src/alerts/format.js';
import type { ConsoleUser } from '../../src/store/types.js';
import { AGENT_ID, startAlertsEnv, UNMASKED_PHONE, type AlertsEnv } from './env.js';

let env: AlertsEnv;
let manager: ConsoleUser;
let supervisor: ConsoleUser;
let agent: ConsoleUser;

beforeEach(async () => {
  env = await startAlertsEnv({ robot: false, app: true });
  const { store } = env.services;
  manager = await store.createUser({ username: 'm1', displayName: '店长', role: 'manager', passwordHash: 'x', wecomUserId: 'mgr1' });
  supervisor = await store.createUser({ username: 's1', displayName: '主管', role: 'supervisor', passwordHash: 'x', wecomUserId: 'sup1' });
  agent = await store.createUser({ username: 'a1', displayName: '客服', role: 'agent', passwordHash: 'x', wecomUserId: 'agent1' });
  await store.createUser({ username: 'm2', displayName: '没绑企微', role: 'manager', passwordHash: 'x' });
});
afterEach(async () => {
  await env.stop();
});

const appMessages = () => env.fake.model.alerts.filter((a) => a.kind === 'app');
const touser = (a: { body: Record<string, unknown> }) => String(a.body.touser).split('|').sort();
const content = (a: { body: Record<string, unknown> }) => String((a.body.text as { content?: unknown } | undefined)?.content ?? '');

describe('alerts → app messages', () => {
  it('go to managers and supervisors with a wecomUserId, masked, once', async () => {
    await raiseAlert(env.services, { key: 'csat:c1', kind: 'low_csat', level: 'warning', title: '差评 1 分', text: '客户留言：太差了，打13912345678找我' });
    expect(await env.deliver()).toBe('delivered 1');
    const sent = appMessages();
    expect(sent).toHaveLength(1);
    expect(touser(sent[0] as (typeof sent)[number])).toEqual(['mgr1', 'sup1']);
    expect(sent[0]?.body.agentid).toBe(AGENT_ID);
    expect(content(sent[0] as (typeof sent)[number])).toContain('差评 1 分');
    expect(content(sent[0] as (typeof sent)[number])).not.toMatch(UNMASKED_PHONE);
    expect(await env.deliver()).toBe('delivered 0');
    expect(appMessages()).toHaveLength(1);
  });

  it('never more than 30 a minute to one member: the rest waits, nothing is dropped', async () => {
    for (let i = 0; i < 35; i++) {
      await raiseAlert(env.services, { key: `spike:${i}`, kind: 'spike', level: 'warning', title: `投诉激增 #${i}`, text: '近 10 分钟质量问题增多' });
      await env.deliver();
      env.clock.advance(500);
    }
    expect(appMessages()).toHaveLength(30);
    expect(appMessages().every((a) => !a.dropped)).toBe(true);
    env.clock.advance(63_000);
    expect(await env.deliver()).toBe('delivered 5');
    expect(appMessages().every((a) => !a.dropped)).toBe(true);
    const all = appMessages().map(content).join('\n');
    for (let i = 0; i < 35; i++) expect(all.split(`${inert(`投诉激增 #${i}`)}\n`).length - 1).toBe(1);
  });

  it('names a person in data.notifyUserIds: that person gets a personal message too', async () => {
    await raiseAlert(env.services, {
      key: 'group:m1',
      kind: 'group_complaint',
      level: 'critical',
      title: '客户群有人投诉',
      text: '群成员反馈质量问题',
      data: { notifyUserIds: [agent.id], notifyText: '您负责的群有人反馈问题，电话13800001111' },
    });
    expect(await env.deliver()).toBe('delivered 1');
    const personal = appMessages().filter((a) => touser(a).join() === 'agent1');
    expect(personal).toHaveLength(1);
    expect(content(personal[0] as (typeof personal)[number])).toContain('138****1111');
    await env.deliver();
    expect(appMessages().filter((a) => touser(a).join() === 'agent1')).toHaveLength(1);
  });
});

describe('notifyUser', () => {
  it('sends one app message to the user’s wecomUserId', async () => {
    expect(await notifyUser(env.services, manager, '工单已分配给您，客户电话13712345678')).toBe('sent');
    const [m] = appMessages();
    expect(m && touser(m)).toEqual(['mgr1']);
    expect(m && content(m)).not.toMatch(UNMASKED_PHONE);
  });

  it('is skipped for a user without a wecomUserId, and fails quietly for one WeCom does not know', async () => {
    const noWecom = (await env.services.store.getUserByName('m2')) as ConsoleUser;
    expect(await notifyUser(env.services, noWecom, 'hi')).toBe('skipped');
    const ghost = await env.services.store.updateUser(supervisor.id, { wecomUserId: 'nobody' });
    expect(await notifyUser(env.services, ghost as ConsoleUser, 'hi')).toBe('failed');
    expect(appMessages()).toHaveLength(0);
  });

  it('is skipped when no app is configured', async () => {
    const noApp = await startAlertsEnv({ robot: true, app: false });
    try {
      expect(await notifyUser(noApp.services, manager, 'hi')).toBe('skipped');
    } finally {
      await noApp.stop();
    }
  });

  it('does not throw when WeCom is unreachable', async () => {
    await env.fake.close();
    expect(await notifyUser(env.services, manager, 'hi')).toBe('failed');
  });
});

describe('robot alerts with personal messages', () => {
  it('an alert whose person is out of budget waits for them; the others go at once; each once', async () => {
    const both = await startAlertsEnv({ robot: true, app: true });
    try {
      const person = await both.services.store.createUser({ username: 'o1', displayName: '群主', role: 'agent', passwordHash: 'x', wecomUserId: 'owner1' });
      for (let i = 0; i < 30; i++) expect(await notifyUser(both.services, person, `消息 ${i}`)).toBe('sent');
      await raiseAlert(both.services, { key: 'g:1', kind: 'group_complaint', level: 'critical', title: '群投诉 A', text: 'a', data: { notifyUserIds: [person.id], notifyText: '请跟进 A' } });
      await raiseAlert(both.services, { key: 'r:1', kind: 'risk', level: 'critical', title: '风险 B', text: 'b' });
      expect(await both.deliver()).toMatch(/^deferred .*\(1 delivered\)/);
      expect(both.robotBodies().join()).toContain('风险 B');
      expect(both.robotBodies().join()).not.toContain('群投诉 A');

      both.clock.advance(63_000);
      expect(await both.deliver()).toBe('delivered 1');
      expect(await both.deliver()).toBe('delivered 0');
      const personal = both.fake.model.alerts.filter((a) => a.kind === 'app' && String((a.body.text as { content?: string }).content).includes('请跟进 A'));
      expect(personal).toHaveLength(1);
      expect(both.robotBodies().filter((b) => b.includes('群投诉 A'))).toHaveLength(1);
      expect(both.robotBodies().filter((b) => b.includes('风险 B'))).toHaveLength(1);
    } finally {
      await both.stop();
    }
  });
});
