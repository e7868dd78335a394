/**
 * templates/zh-CN/care.json: every key is named by the care or surge code, shopper sentences have two wordings,
 * and each text uses only the variables its code fills.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';

const own = JSON.parse(fs.readFileSync(path.join(projectRoot, 'templates/zh-CN/care.json'), 'utf8')) as Record<string, string | string[]>;
const source = ['src/care', 'src/surge']
  .flatMap((dir) => fs.readdirSync(path.join(projectRoot, dir)).map((f) => fs.readFileSync(path.join(projectRoot, dir, f), 'utf8')))
  .join('\n');

const parcel = ['orderTail', 'carrier', 'days'];
const task = ['orderId', 'trackingNo', 'carrier', 'days', 'text'];
const incident = ['carrier', 'count', 'hours'];
const surgeAlert = ['perMinute', 'usual', 'threshold'];
const VARS: Record<string, string[]> = {
  'care.notice.stale': parcel,
  'care.notice.incident': parcel,
  'care.carrier.unknown': ['id'],
  'care.carrier.none': [],
  'care.case.description': ['trackingNo', 'carrier', 'days'],
  'care.task.no_conversation': task,
  'care.task.window_closed': task,
  'care.alert.incident.title': ['carrier'],
  'care.alert.incident.text': incident,
  'care.alert.incident.suggestion': ['carrier'],
  'surge.answer': ['answer'],
  'surge.alert.started.title': [],
  'surge.alert.started.text': surgeAlert,
  'surge.alert.started.no_answer': surgeAlert,
};
/** What shoppers read: two wordings, so a shop's voice does not sound canned. */
const SHOPPER = ['care.notice.stale', 'care.notice.incident', 'surge.answer'];
const texts = (key: string): string[] => [own[key] ?? []].flat();

describe('templates/zh-CN/care.json', () => {
  it('has exactly the keys the code names, each used by src/care or src/surge', () => {
    expect(Object.keys(own).sort()).toEqual(Object.keys(VARS).sort());
    const dynamic = /^care\.(task|notice)\./;
    for (const key of Object.keys(own)) expect(dynamic.test(key) || source.includes(`'${key}'`), key).toBe(true);
    expect(source).toContain("`care.task.${code}`");
  });

  it.each(Object.entries(VARS))('%s is Chinese and fills exactly its variables', (key, names) => {
    for (const text of texts(key)) {
      expect(text).toMatch(/[\u4e00-\u9fff]/);
      expect([...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort(), key).toEqual([...names].sort());
    }
  });

  it('gives every shopper sentence two wordings, and the stale notice promises the chase honestly', () => {
    for (const key of SHOPPER) expect(texts(key).length, key).toBeGreaterThanOrEqual(2);
    for (const text of [...texts('care.notice.stale'), ...texts('care.notice.incident')]) expect(text).toMatch(/催件|加急/);
  });
});
