/** The short case reference customers and agents both see (the same one the bot quotes). */
export { caseRef } from '../dialogue/answers.js';
import { renderTemplate, type TemplateBook } from '../../templates/render.js';

/** `regulator:12315` → 「扬言投诉监管：12315」 (templates/zh-CN/escalation.json); an unknown kind stays as written. */
function riskLabel(book: TemplateBook, r: string): string {
  const [kind = '', words] = r.split(/:(.*)/s);
  if (!book[`escalation.risk.${kind}`]) return r;
  const risk = renderTemplate(book, `escalation.risk.${kind}`);
  return words ? renderTemplate(book, 'escalation.risk.with_words', { risk, words }) : risk;
}

/** The reasons written as one phrase (src/dialogue/flow.ts, src/radar/complaint.ts, src/handoff/people-hooks.ts). */
const FIXED_REASONS = new Map([
  ['customer asked for a person', 'asked'],
  ['group complaint', 'group_complaint'],
  ['bot_error', 'bot_error'],
  ['safety hazard', 'safety'],
]);

/**
 * Escalation reasons are written in English for logs and tests ('customer asked for a person', 'risky message
 * (regulator:12315)'); agents and managers read them in Chinese (templates/zh-CN/escalation.json).
 */
export function reasonLabel(book: TemplateBook, reason: string): string {
  const fixed = FIXED_REASONS.get(reason);
  if (fixed) return renderTemplate(book, `escalation.reason.${fixed}`);
  const risky = /^risky message \((.*)\)$/.exec(reason);
  if (risky) {
    const risks = (risky[1] ?? '').split(', ').map((r) => riskLabel(book, r)).join(renderTemplate(book, 'label.list_separator'));
    return renderTemplate(book, 'escalation.reason.risky', { risks });
  }
  const attempts = /^no valid answer for (\w+) after (\d+) attempts$/.exec(reason);
  if (attempts) {
    const slot = attempts[1] as string;
    const label = book[`escalation.slot.${slot}`] ? renderTemplate(book, `escalation.slot.${slot}`) : slot;
    return renderTemplate(book, 'escalation.reason.attempts', { slot: label, count: attempts[2] });
  }
  // src/followup/answer.ts: `reopened by the customer (low_score, score 2)`.
  const reopened = /^reopened by the customer \((\w+)(?:, score (\d+))?\)$/.exec(reason);
  if (reopened && book[`escalation.reopen.${reopened[1]}`]) {
    const score = reopened[2] ? renderTemplate(book, 'escalation.reopen.score', { score: reopened[2] }) : '';
    return renderTemplate(book, 'escalation.reason.reopened_why', { why: renderTemplate(book, `escalation.reopen.${reopened[1]}`), score });
  }
  if (/^reopened/.test(reason)) return renderTemplate(book, 'escalation.reason.reopened');
  return reason;
}
