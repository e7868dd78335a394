/** Alerts (the console feed, pushed to WeCom once) and tasks for people. */
import { describe, expect, it } from 'vitest';
import type { GetStore } from './fixtures.js';
import { ISO_RE, uniq, UUID_RE } from './fixtures.js';

export function alertTests(store: GetStore): void {
  describe('alerts', () => {
    it('inserts once per key and returns the existing row on a repeat', async () => {
      const key = uniq('risk');
      const first = await store().insertAlert({ key, kind: 'risk', level: 'critical', title: '高风险消息', text: '顾客提到 138****0000' });
      expect(first.inserted).toBe(true);
      expect(first.row).toMatchObject({ key, kind: 'risk', level: 'critical', caseId: null, data: {}, deliveredAt: null });
      expect(first.row.id).toMatch(UUID_RE);
      expect(first.row.createdAt).toMatch(ISO_RE);
      const again = await store().insertAlert({ key, kind: 'risk', level: 'info', title: 'other', text: 'other' });
      expect(again.inserted).toBe(false);
      expect(again.row).toEqual(first.row);
    });

    it('lists newest first with paging, undelivered oldest first, and marks delivery', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const { row } = await store().insertAlert({ key: uniq(`a${i}`), kind: i === 1 ? 'spike' : 'risk', level: 'warning', title: `t${i}`, text: `x${i}`, caseId: `c${i}`, data: { i } });
        ids.push(row.id);
        await new Promise((r) => setTimeout(r, 3));
      }
      const all = await store().listAlerts({ limit: 10 });
      expect(all.map((a) => a.id)).toEqual([...ids].reverse());
      expect(all[0]?.data).toEqual({ i: 2 });
      const page2 = await store().listAlerts({ limit: 10, before: all[0]?.createdAt as string });
      expect(page2.map((a) => a.id)).toEqual([ids[1], ids[0]]);
      expect((await store().listAlerts({ kind: 'spike' })).map((a) => a.id)).toEqual([ids[1]]);
      expect((await store().listAlerts({ undelivered: true })).map((a) => a.id)).toEqual(ids);
      await store().markAlertsDelivered([ids[0] as string, ids[2] as string], '2026-11-23T08:00:00.000Z');
      expect((await store().listAlerts({ undelivered: true })).map((a) => a.id)).toEqual([ids[1]]);
      expect((await store().listAlerts({})).find((a) => a.id === ids[0])?.deliveredAt).toBe('2026-11-23T08:00:00.000Z');
    });
  });
}

export function taskTests(store: GetStore): void {
  describe('tasks', () => {
    it('inserts once per key, lists open ones oldest first, and closes them', async () => {
      const key = uniq('followup');
      const a = await store().insertTask({ key, kind: 'followup', reason: '企业微信 48 小时窗口已关闭', caseId: 'case-1', conversationId: 'conv-1' });
      expect(a.inserted).toBe(true);
      expect(a.row).toMatchObject({ key, kind: 'followup', status: 'open', assignee: null, doneBy: null, doneAt: null, data: {} });
      expect((await store().insertTask({ key, kind: 'survey', reason: 'y' })).inserted).toBe(false);
      await new Promise((r) => setTimeout(r, 3));
      const b = await store().insertTask({ key: uniq('survey'), kind: 'survey', reason: 'r', data: { score: null } });
      expect((await store().listTasks({ status: 'open' })).map((t) => t.id)).toEqual([a.row.id, b.row.id]);
      expect((await store().listTasks({ caseId: 'case-1' })).map((t) => t.id)).toEqual([a.row.id]);
      const done = await store().updateTask(a.row.id, { status: 'done', doneBy: 'u1', doneAt: '2026-11-23T09:00:00.000Z' });
      expect(done).toMatchObject({ status: 'done', doneBy: 'u1', doneAt: '2026-11-23T09:00:00.000Z' });
      expect(await store().getTask(a.row.id)).toEqual(done);
      expect((await store().listTasks({ status: 'open' })).map((t) => t.id)).toEqual([b.row.id]);
      expect(await store().updateTask('missing', { status: 'done' })).toBeNull();
    });
  });
}
