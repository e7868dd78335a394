/**
 * The agents' texts of the handoff (templates/zh-CN/{escalation,packet,sla,console}.json and the assignment notice
 * in queue.json): every key is named by the code, and each text fills exactly the variables its code gives.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';

const read = (file: string): Record<string, string | string[]> =>
  JSON.parse(fs.readFileSync(path.join(projectRoot, 'templates/zh-CN', file), 'utf8')) as Record<string, string | string[]>;
const own: Record<string, string | string[]> = { ...read('escalation.json'), ...read('packet.json'), ...read('sla.json'), ...read('console.json') };
const queue = read('queue.json');
const source = ['src/handoff/refs.ts', 'src/handoff/packet.ts', 'src/handoff/sla.ts', 'src/handoff/assign.ts', 'src/console/login.ts']
  .map((f) => fs.readFileSync(path.join(projectRoot, f), 'utf8'))
  .join('\n');

/** Keys the code builds from a value (risk kinds, slots, moods, SLA types…) rather than naming them literally. */
const DYNAMIC = /^(escalation\.(risk|slot|reopen)\.\w+|escalation\.reason\.(asked|group_complaint|bot_error|safety)|packet\.(mood|policy\.payer)\.\w+|sla\.type\.\w+)$/;
const VARS: Record<string, string[]> = {
  'escalation.reason.risky': ['risks'],
  'escalation.reason.attempts': ['slot', 'count'],
  'escalation.reason.reopened_why': ['why', 'score'],
  'escalation.risk.with_words': ['risk', 'words'],
  'escalation.reopen.score': ['score'],
  'packet.line.who': ['who', 'order'],
  'packet.line.case': ['category', 'description', 'evidence', 'resolution'],
  'packet.line.state': ['escalation', 'priority', 'risk', 'mood', 'cues', 'policy'],
  'packet.order': ['orderId', 'product'],
  'packet.order.product': ['productName', 'status'],
  'packet.order.status': ['statusDesc'],
  'packet.escalation': ['reason'],
  'packet.cues': ['cues'],
  'packet.policy.within': ['days', 'day'],
  'packet.policy.expired': ['days', 'daysSince'],
  'packet.policy.freight': ['payer'],
  'packet.policy.auto_compensation': ['cap'],
  'sla.alert.title': ['caseRef', 'sla'],
  'sla.alert.text': ['category', 'priority', 'agent', 'reassigned'],
  'queue.assigned': ['urgent', 'caseRef', 'category'],
};
/** Pure punctuation joins parts; everything else is a Chinese phrase. */
const SEPARATORS = ['packet.who_separator', 'packet.policy.separator'];
const texts = (book: Record<string, string | string[]>, key: string): string[] => [book[key] ?? []].flat();
const varsOf = (text: string): string[] => [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string))].sort();

describe('the handoff texts agents and managers read', () => {
  it('are all named by the code, literally or built from a known value', () => {
    for (const key of Object.keys(own)) expect(DYNAMIC.test(key) || source.includes(`'${key}'`), key).toBe(true);
    for (const key of ['queue.assigned', 'queue.assigned.urgent', 'queue.assigned.category_pending']) expect(source, key).toContain(`'${key}'`);
  });

  it.each(Object.keys(own))('%s has no Latin word and fills exactly its variables', (key) => {
    for (const text of texts(own, key)) {
      expect(text.replace(/\{\w+\}/g, ''), key).not.toMatch(/[A-Za-z]/);
      // A phrase of its own (no variable, not a separator) is Chinese; frames like 「（{cues}）」 only punctuate.
      if (!SEPARATORS.includes(key) && varsOf(text).length === 0) expect(text, key).toMatch(/[\u4e00-\u9fff]/);
      expect(varsOf(text), key).toEqual([...(VARS[key] ?? [])].sort());
    }
  });

  it('words the assignment notice with the case ref, the category and the urgent mark', () => {
    for (const key of ['queue.assigned', 'queue.assigned.urgent', 'queue.assigned.category_pending']) {
      for (const text of texts(queue, key)) expect(varsOf(text), key).toEqual([...(VARS[key] ?? [])].sort());
    }
  });
});
