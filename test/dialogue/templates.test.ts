/** Reply texts are data: every key the dialogue uses exists, and the customer-facing ones have variants. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CASE_CATEGORIES, RESOLUTIONS } from '../../src/core/types.js';
import { loadPolicies } from '../../src/dialogue/policies.js';
import { STEP_KINDS } from '../../src/cases/steps.js';
import { loadTemplates } from '../../templates/render.js';

const book = loadTemplates();
/** The dialogue's own file; feature files (templates/zh-CN/*.json) are checked by their features' tests. */
const dialogueKeys = new Set(Object.keys(JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '../../templates/zh-CN.json'), 'utf8')) as object));
const dialogueBook = Object.fromEntries(Object.entries(book).filter(([k]) => dialogueKeys.has(k)));
const src = path.join(import.meta.dirname, '../../src/dialogue');

/** Literal keys in the source (`key: 'x.y'`, `text('x.y')`) plus the ones built from enums. */
function usedKeys(): string[] {
  const keys = new Set<string>();
  for (const f of fs.readdirSync(src)) {
    const code = fs.readFileSync(path.join(src, f), 'utf8');
    for (const m of code.matchAll(/(?:key: |text\()'([a-z_]+(?:\.[a-z_]+)+)'/g)) keys.add(m[1] as string);
  }
  const statuses = ['collecting', 'open', 'escalated', 'assigned', 'approved', 'rejected', 'executing', 'resolved', 'closed'];
  for (const k of STEP_KINDS) keys.add(`progress.step.${k}`);
  for (const c of CASE_CATEGORIES) keys.add(`label.category.${c}`).add(`empathy.${c}`);
  for (const r of [...RESOLUTIONS, 'none']) keys.add(`label.resolution.${r}`).add(`next.${r}`);
  for (const s of statuses) keys.add(`progress.${s}`);
  for (const w of ['digits', 'phone', 'tracking']) keys.add(`hint.order_${w}`);
  for (const s of ['category', 'orderId', 'description', 'evidence', 'resolution']) keys.add(`label.slot.${s}`);
  for (const s of ['category', 'orderId', 'description', 'evidence', 'resolution', 'confirm', 'edit']) keys.add(`hint.${s}`);
  for (const w of ['shop', 'customer']) keys.add(`label.payer.${w}`);
  const p = loadPolicies();
  for (const level of Object.keys(p.members.levels)) keys.add(`label.member.${level}`);
  for (const t of p.policyTopics) keys.add(t.template);
  for (const a of p.safetyAdvice) keys.add(a.template);
  return [...keys].sort();
}

describe('templates/zh-CN.json', () => {
  it('has every key the dialogue and the policy file use', () => {
    const missing = usedKeys().filter((k) => !book[k]);
    expect(missing).toEqual([]);
  });

  it('gives every sentence the customer reads at least two wordings', () => {
    const single = Object.entries(dialogueBook)
      .filter(([k]) => !/^(label|choice|choices)\.|^policy\.(member_line|member_line_plain|freight_insurance)$/.test(k))
      .filter(([, v]) => v.length < 2)
      .map(([k]) => k);
    expect(single).toEqual([]);
  });

  it('uses only variables the dialogue fills', () => {
    const known = new Set([
      'shopName', 'orderId', 'orderTail', 'category', 'resolution', 'allowed', 'count', 'caseRef', 'reviewHours', 'handoffMinutes', 'handoffWhen',
      'arrivalWorkdays', 'days', 'daysSince', 'cap', 'product', 'description', 'evidence', 'platformStatus', 'noReasonDays',
      'faultPayer', 'noFaultPayer', 'freightInsurance', 'warrantyDays', 'memberLevels', 'level', 'priority', 'evidenceCategories',
      'exchangeCategories', 'checkAfterDays', 'answer', 'trackingNo', 'carrier', 'address', 'amount', 'changes',
    ]);
    const unknown = Object.entries(dialogueBook).flatMap(([k, v]) =>
      v.flatMap((t) => [...t.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string).filter((n) => !known.has(n)).map((n) => `${k}:{${n}}`)),
    );
    expect(unknown).toEqual([]);
  });
});
