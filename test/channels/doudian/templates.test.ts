/** The 抖店 texts (templates/zh-CN/doudian.json): every tag we name has a wording, and sentences have two. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TAG_NAMES, statusLabelKey } from '../../../src/channels/doudian/tags.js';
import { refundSucceededText } from '../../../src/channels/doudian/texts.js';
import { loadTemplates } from '../../../templates/render.js';

const file = path.join(import.meta.dirname, '../../../templates/zh-CN/doudian.json');
const own = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string[]>;
const book = loadTemplates();

describe('templates/zh-CN/doudian.json', () => {
  it('words every known tag and arbitration in Chinese, and no code', () => {
    for (const name of [...Object.values(TAG_NAMES), 'arbitration']) {
      const key = statusLabelKey(name);
      expect(key, name).not.toBeNull();
      expect(book[key ?? '']?.[0], name).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(statusLabelKey('tag_299')).toBeNull();
  });

  it('gives every sentence two wordings and uses only the variables the code fills', () => {
    const vars: Record<string, string[]> = {
      'doudian.refund_succeeded': ['amount'],
      'doudian.refund_succeeded_no_amount': [],
      'doudian.refused.refund': [],
      'doudian.refused.return': [],
      'progress.shipment': ['orderTail', 'carrier', 'trackingNo'],
      'progress.shipment_no_carrier': ['orderTail', 'trackingNo'],
    };
    for (const [key, names] of Object.entries(vars)) {
      expect(own[key]?.length, key).toBeGreaterThanOrEqual(2);
      for (const text of own[key] ?? []) expect([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort(), key).toEqual([...names].sort());
    }
  });

  it('renders the refund message with the amount in yuan, the same wording for the same push', () => {
    expect(refundSucceededText(12900, 'm1', book)).toContain('129.00 元');
    expect(refundSucceededText(12900, 'm1', book)).toBe(refundSucceededText(12900, 'm1', book));
    expect(refundSucceededText(null, 'm1', book)).not.toMatch(/元|\{/);
  });
});
