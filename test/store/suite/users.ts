/** Console users, the case audit trail and small settings. */
import { describe, expect, it } from 'vitest';
import type { NewConsoleUser } from '../../../src/store/types.js';
import type { GetStore } from './fixtures.js';
import { ISO_RE, seedConversation, uniq, UUID_RE } from './fixtures.js';

const newUser = (over: Partial<NewConsoleUser> = {}): NewConsoleUser => ({
  username: uniq('agent'),
  displayName: '客服小美',
  role: 'agent',
  passwordHash: 'scrypt$abc$def',
  ...over,
});

export function userTests(store: GetStore): void {
  describe('console users', () => {
    it('creates with defaults, finds by id and by name', async () => {
      const input = newUser();
      const u = await store().createUser(input);
      expect(u.id).toMatch(UUID_RE);
      expect(u).toEqual({
        id: u.id,
        username: input.username,
        displayName: '客服小美',
        role: 'agent',
        passwordHash: 'scrypt$abc$def',
        skills: [],
        capacity: 5,
        online: false,
        wecomUserId: null,
        createdAt: u.createdAt,
        updatedAt: u.createdAt,
      });
      expect(u.createdAt).toMatch(ISO_RE);
      expect(await store().getUser(u.id)).toEqual(u);
      expect(await store().getUserByName(input.username)).toEqual(u);
      expect(await store().getUser('no-such-user')).toBeNull();
      expect(await store().getUserByName('no-such-user')).toBeNull();
      const full = await store().createUser(
        newUser({ role: 'supervisor', skills: ['wecom', 'quality'], capacity: 12, online: true, wecomUserId: 'ZhangSan' }),
      );
      expect(full).toMatchObject({ role: 'supervisor', skills: ['wecom', 'quality'], capacity: 12, online: true, wecomUserId: 'ZhangSan' });
    });

    it('refuses a second user with the same username', async () => {
      const input = newUser();
      await store().createUser(input);
      await expect(store().createUser({ ...input, displayName: 'other' })).rejects.toMatchObject({
        code: 'username_taken',
        status: 409,
      });
      expect((await store().listUsers()).filter((u) => u.username === input.username)).toHaveLength(1);
    });

    it('lists by username and updates', async () => {
      const b = await store().createUser(newUser({ username: 'b-user' }));
      const a = await store().createUser(newUser({ username: 'a-user' }));
      const c = await store().createUser(newUser({ username: 'c-user' }));
      expect((await store().listUsers()).map((u) => u.id)).toEqual([a.id, b.id, c.id]);
      const u = await store().updateUser(b.id, { online: true, skills: ['douyin'], capacity: 1, role: 'admin' });
      expect(u).toEqual({ ...b, online: true, skills: ['douyin'], capacity: 1, role: 'admin', updatedAt: u?.updatedAt });
      const u2 = await store().updateUser(b.id, { wecomUserId: 'LiSi', displayName: '李四', passwordHash: 'new' });
      expect(u2).toMatchObject({ wecomUserId: 'LiSi', displayName: '李四', passwordHash: 'new', online: true });
      expect(await store().getUser(b.id)).toEqual(u2);
      expect(await store().updateUser('no-such-user', { online: true })).toBeNull();
    });
  });
}

export function caseEventTests(store: GetStore): void {
  describe('case events', () => {
    it('lists a case\'s events by time, then insertion order', async () => {
      const { customer, conversation } = await seedConversation(store());
      const mk = () => store().createCase({ channel: 'wecom', customerId: customer.id, conversationId: conversation.id });
      const c = await mk();
      const other = await mk();
      const t1 = '2024-05-01T10:00:00.000Z';
      const t2 = '2024-05-01T10:05:00.000Z';
      const e1 = await store().addCaseEvent({ caseId: c.id, type: 'escalated', actor: 'bot', data: { reason: 'risk' }, at: t2 });
      const e2 = await store().addCaseEvent({ caseId: c.id, type: 'created', actor: 'system', data: {}, at: t1 });
      const e3 = await store().addCaseEvent({ caseId: c.id, type: 'assigned', actor: 'user-1', data: { to: 'user-1' }, at: t2 });
      const now = await store().addCaseEvent({ caseId: c.id, type: 'csat', actor: 'customer', data: { score: 5, n: [1] } });
      await store().addCaseEvent({ caseId: other.id, type: 'created', actor: 'bot', data: {} });
      expect(e1.id).toMatch(UUID_RE);
      expect(e1).toEqual({ id: e1.id, caseId: c.id, at: t2, type: 'escalated', actor: 'bot', data: { reason: 'risk' } });
      expect(now.at).toMatch(ISO_RE);
      const events = await store().listCaseEvents(c.id);
      expect(events.map((e) => e.id)).toEqual([e2.id, e1.id, e3.id, now.id]);
      expect(events[3]).toEqual(now);
      expect(await store().listCaseEvents('no-such-case')).toEqual([]);
    });

    it('keeps insertion order for many events in the same millisecond', async () => {
      const { customer, conversation } = await seedConversation(store());
      const c = await store().createCase({ channel: 'wecom', customerId: customer.id, conversationId: conversation.id });
      const at = '2024-05-01T10:00:00.000Z';
      const ids: string[] = [];
      for (let i = 0; i < 15; i += 1) {
        ids.push((await store().addCaseEvent({ caseId: c.id, type: 'note', actor: 'bot', data: { i }, at })).id);
      }
      expect((await store().listCaseEvents(c.id)).map((e) => e.id)).toEqual(ids);
    });
  });
}

export function settingTests(store: GetStore): void {
  describe('settings', () => {
    it('gets null, sets, and overwrites', async () => {
      const key = uniq('wecom.sync_cursor');
      expect(await store().getSetting(key)).toBeNull();
      await store().setSetting(key, 'cursor-1');
      expect(await store().getSetting(key)).toBe('cursor-1');
      await store().setSetting(key, '游标-2');
      expect(await store().getSetting(key)).toBe('游标-2');
      await store().setSetting(key, '');
      expect(await store().getSetting(key)).toBe('');
      expect(await store().getSetting(`${key}.other`)).toBeNull();
    });
  });
}
