/**
 * Judges one played conversation: the forbidden behaviours turn by turn (silence, a verbatim repeat, asking
 * for something already given) and the case at the end. Returns the reasons it failed, empty when it passed.
 */
import type { Case } from '../../src/core/types.js';
import type { Lexicon } from '../../src/dialogue/lexicon.js';
import type { Heard } from './drivers.js';
import type { EvalConversation, ShopperTurn } from './types.js';

const ORDER = /\d{19}/;

export interface Played {
  heard: Heard[];
  cases: Case[];
  /** Shopper turns until the expected case first existed (null: never). */
  turnsToCase: number | null;
}

const textOf = (t: ShopperTurn): string => (typeof t === 'string' ? t : '');

function resolutionWordSaid(lex: Lexicon, texts: string[]): boolean {
  const words = Object.values(lex.resolutions).flat();
  return texts.some((t) => words.some((w) => t.includes(w)));
}

export function judge(c: EvalConversation, p: Played, lex: Lexicon): string[] {
  const why: string[] = [];
  let previous: string | null = null;
  p.heard.forEach((h, i) => {
    const turn = i + 1;
    const said = c.turns.slice(0, turn).map(textOf);
    const waiting = h.mode !== 'bot';
    if (h.replies.length === 0) why.push(`turn ${turn}: silence to ${JSON.stringify(c.turns[i])}${waiting ? ' (waiting for a person)' : ''}`);
    for (const r of h.replies) {
      if (r.text === previous) why.push(`turn ${turn}: verbatim repeat ${JSON.stringify(r.text.slice(0, 40))}`);
      previous = r.text;
    }
    // Asked again for what the shopper already sent (unless the bot said that value was unusable).
    const asking = h.state.asking;
    // A value refused, or the 退货退款/仅退款 question, is not a repeat question.
    const rejected = h.replies.some((r) => /不对|有误|查不到|位数|寄回/.test(r.text));
    if (asking === 'orderId' && !rejected && said.some((t) => ORDER.test(t))) why.push(`turn ${turn}: asked for the order number already given`);
    if (asking === 'resolution' && h.state.intake?.resolution === null && resolutionWordSaid(lex, said.slice(0, -1)) && !rejected) {
      why.push(`turn ${turn}: asked for the resolution already given`);
    }
    for (const check of c.says ?? []) {
      if (check.turn !== turn) continue;
      const all = h.replies.map((r) => r.text).join('\n');
      for (const f of check.has ?? []) if (!all.includes(f)) why.push(`turn ${turn}: reply lacks 「${f}」: ${JSON.stringify(all.slice(0, 80))}`);
      for (const f of check.lacks ?? []) if (all.includes(f)) why.push(`turn ${turn}: reply says 「${f}」`);
    }
  });
  if (c.noCase && p.cases.length > 0) why.push(`case fields: expected no case, got ${p.cases.length} (${p.cases.map((x) => `${x.category}/${x.status}`).join(', ')})`);
  if (c.case) {
    const got = p.cases[0];
    const last = p.heard.at(-1)?.replies.at(-1)?.text ?? '';
    if (!got) why.push(`case fields: no case was created (asking ${String(p.heard.at(-1)?.state.asking)}, last reply ${JSON.stringify(last.slice(0, 60))})`);
    else {
      const e = c.case;
      const fields = { category: got.category, orderId: got.orderId, resolution: got.resolution, evidence: got.evidence.length, status: got.status };
      for (const [k, v] of Object.entries(fields)) {
        const want = e[k as keyof typeof fields];
        if (want !== v) why.push(`case fields: ${k} ${JSON.stringify(v)}, expected ${JSON.stringify(want)}`);
      }
      if (e.risk !== undefined && got.risk !== e.risk) why.push(`case fields: risk ${got.risk}, expected ${e.risk}`);
      const d = got.description ?? '';
      for (const f of e.descriptionHas ?? []) if (!d.includes(f)) why.push(`case fields: description lacks 「${f}」 (${JSON.stringify(d)})`);
      for (const f of e.descriptionLacks ?? []) if (d.includes(f)) why.push(`case fields: description has 「${f}」 (${JSON.stringify(d)})`);
      if (p.cases.length > 1) why.push(`case fields: ${p.cases.length} cases instead of one`);
    }
  }
  return why;
}
