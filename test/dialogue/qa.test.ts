/**
 * The Q&A file (config/qa.json) is checked when the bot is built: a broken entry stops start-up with one
 * line naming it. Matching is by clause and by shared wording, not by the exact string; the conversations
 * through the real app are in test/eval/conversations/questions.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadQa, matchQa, parseQa } from '../../src/dialogue/qa.js';

const entry = { id: 'invoice', phrasings: ['能开发票吗', '怎么开发票'], answer: '确认收货后在订单详情里申请电子发票。' };

describe('the Q&A file', () => {
  it('loads the shipped file, whose phrasings do not catch questions that only share 「什么时候」', () => {
    const shipped = loadQa();
    expect(shipped.entries.length).toBeGreaterThan(0);
    expect(matchQa(shipped, '你们什么时候开播')).toEqual([]);
    expect(matchQa(shipped, '下单以后多久发货啊').map((m) => m.entry.id)).toEqual(['shipping_time']);
  });

  it.each([
    [{ schemaVersion: 1, minSimilarity: 0.6, entries: [{ ...entry, phrasings: ['能开发票吗'] }] }, 'qa.json: entries.0.phrasings: give at least two phrasings'],
    [{ schemaVersion: 1, minSimilarity: 0.6, entries: [entry, entry] }, 'qa.json: entries.1.id: duplicate id invoice'],
    [{ schemaVersion: 1, minSimilarity: 0.6, entries: [{ ...entry, id: 'Invoice!' }] }, 'qa.json: entries.0.id: lower-case letters, digits and _'],
    [{ schemaVersion: 1, minSimilarity: 0.1, entries: [entry] }, 'qa.json: minSimilarity:'],
  ])('refuses a broken file with one line naming the field (%#)', (raw, message) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asa-qa-'));
    const file = path.join(dir, 'qa.json');
    fs.writeFileSync(file, JSON.stringify(raw));
    expect(() => loadQa(file)).toThrow(message);
    expect(() => loadQa(file)).toThrow(/^[^\n]+$/);
  });

  it('matches paraphrases clause by clause, and nothing for a problem that shares a word', () => {
    const book = parseQa({ schemaVersion: 1, minSimilarity: 0.6, entries: [entry, { id: 'ship', phrasings: ['几天能发货', '什么时候发货'], answer: '48小时内发货。' }] });
    expect(matchQa(book, '你好，请问可以开发票吗？到底几天能发货').map((m) => m.entry.id)).toEqual(['invoice', 'ship']);
    expect(matchQa(book, '四天了还没发货')).toEqual([]);
    expect(matchQa(book, '发票抬头写错了')).toEqual([]);
  });
});
