/** templates/zh-CN/followup.json: every key the follow-up code names exists, variables are all filled. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fill, loadTemplates } from '../../templates/render.js';
import { surveyReply, taskReason, type BlockCode } from '../../src/followup/texts.js';

const book = loadTemplates();
const own = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '../../templates/zh-CN/followup.json'), 'utf8')) as Record<string, string[]>;
const src = path.join(import.meta.dirname, '../../src/followup');

const CODES: BlockCode[] = ['wecom_window', 'wecom_no_message', 'wecom_cap', 'wecom_session', 'douyin_window', 'douyin_daily', 'no_channel', 'blocked'];

function usedKeys(): string[] {
  const keys = new Set<string>();
  for (const f of fs.readdirSync(src)) {
    for (const m of fs.readFileSync(path.join(src, f), 'utf8').matchAll(/'(followup\.[a-z_]+(?:\.[a-z_0-9]+)+)'/g)) keys.add(m[1] as string);
  }
  for (const n of [1, 2, 3, 4, 5]) keys.add(`followup.survey.choice.${n}`);
  for (const c of CODES) keys.add(`followup.task.${c}`);
  for (const w of ['survey', 'visit']) keys.add(`followup.what.${w}`);
  return [...keys].sort();
}

describe('templates/zh-CN/followup.json', () => {
  it('has every key the follow-up code uses, and only those', () => {
    const used = usedKeys();
    expect(used.filter((k) => !book[k])).toEqual([]);
    expect(Object.keys(own).filter((k) => !used.includes(k) && k !== 'followup.what.never')).toEqual([]);
  });

  it('fills every variable', () => {
    const vars = { shopName: '本店', orderTail: '0031', caseRef: 'AB12CD34', score: 5, what: '回访', lastAt: '11月1日 16:00', channel: 'wecom', limit: 1, words: '很好' };
    const open = Object.entries(own).flatMap(([k, v]) => v.map((t) => fill(t, vars)).filter((t) => /\{\w+\}/.test(t)).map((t) => `${k}: ${t}`));
    expect(open).toEqual([]);
  });

  it('gives every sentence the customer reads two wordings', () => {
    const customerFacing = Object.entries(own).filter(([k]) => !/\.(choice|tail)\b|^followup\.(task|what|alert)\./.test(k));
    expect(customerFacing.filter(([, v]) => v.length < 2).map(([k]) => k)).toEqual([]);
  });

  it('words the task reason for a person', () => {
    const at = Date.UTC(2026, 10, 1, 8, 0, 0);
    expect(taskReason(book, 'wecom_window', { step: 'visit', lastAt: at, channel: 'wecom' })).toBe(
      '企业微信 48 小时会话窗口已关闭（顾客最后一次发消息在 11月1日 16:00），无法自动发送售后回访，请人工联系顾客。',
    );
    expect(taskReason(book, 'douyin_daily', { step: 'survey', lastAt: at, channel: 'douyin', limit: 1 })).toContain('1 条');
  });

  it('numbers the survey 1→5 on Douyin, where choices are numbered lines', () => {
    const kase = { id: 'c1', orderId: null };
    expect(surveyReply(book, { ...kase, channel: 'wecom' }, '本店', 1).choices?.map((c) => c.id)).toEqual(['csat-5', 'csat-4', 'csat-3', 'csat-2', 'csat-1']);
    expect(surveyReply(book, { ...kase, channel: 'douyin' }, '本店', 1).choices?.map((c) => c.id)).toEqual(['csat-1', 'csat-2', 'csat-3', 'csat-4', 'csat-5']);
  });
});
