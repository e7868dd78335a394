/**
 * 直播间话术核查 (issue #19 item 2): the false-advertising cases of a period grouped by product, each with the
 * claims shoppers quote from the live room (「主播说买一送一」), masked, most repeated first — so the owner of the
 * live-room script sees which claim to correct. A claim is the clause of the description that names the live
 * room, the host or a promise; identical clauses are counted together.
 */
import { maskedExcerpt } from '../core/mask.js';
import type { Labels } from '../analytics/labels.js';
import type { Period } from '../analytics/period.js';
import type { Case } from '../core/types.js';
import type { Store } from '../store/types.js';

/** The newest false-advertising cases read per request. */
export const WORDING_CASES_MAX = 200;
const CLAIM_MAX_CHARS = 60;
/** Words that show the shopper is quoting what was said or promised in the live room. */
const CLAIM_MARK = /(主播|直播间|直播时|直播里|播主|达人|说好的|宣传|承诺|保证|详情页)/;
const CLAUSE_SPLIT = /[，,。.！!？?；;\n]+/;

export interface Claim {
  /** The clause as the shopper wrote it, masked. */
  text: string;
  cases: number;
  caseIds: string[];
}

export interface WordingGroup {
  product: string | null;
  label: string;
  cases: number;
  claims: Claim[];
  /** False-advertising cases of this product that quote no claim. */
  withoutClaim: number;
}

export interface WordingReport {
  period: Pick<Period, 'from' | 'to' | 'fromDay' | 'toDay'>;
  cases: number;
  /** True when more cases matched than were read (WORDING_CASES_MAX). */
  truncated: boolean;
  groups: WordingGroup[];
}

/** The claim clauses of one description, masked. */
export function claimsOf(description: string): string[] {
  const out = new Set<string>();
  for (const clause of description.split(CLAUSE_SPLIT)) {
    const t = clause.trim();
    if (t.length >= 4 && CLAIM_MARK.test(t)) out.add(maskedExcerpt(t, CLAIM_MAX_CHARS));
  }
  return [...out];
}

const productOf = (c: Case): string | null => {
  const name = (c.data as { order?: { productName?: unknown } }).order?.productName;
  return typeof name === 'string' && name.trim() !== '' ? name : null;
};

export async function wordingReport(store: Store, labels: Labels, period: Period): Promise<WordingReport> {
  const filter = { from: period.from, to: period.to, category: 'false_ad' as const, ...(period.channel ? { channel: period.channel } : {}) };
  const [cases, [bucket]] = await Promise.all([
    store.listStatsCases({ ...filter, limit: WORDING_CASES_MAX }),
    store.caseStats({ ...filter, countOnly: true }),
  ]);
  const groups = new Map<string | null, { cases: number; withoutClaim: number; claims: Map<string, Claim> }>();
  for (const c of cases) {
    const product = productOf(c);
    const g = groups.get(product) ?? { cases: 0, withoutClaim: 0, claims: new Map<string, Claim>() };
    groups.set(product, g);
    g.cases += 1;
    const claims = claimsOf(c.description ?? '');
    if (claims.length === 0) g.withoutClaim += 1;
    for (const text of claims) {
      const claim = g.claims.get(text) ?? { text, cases: 0, caseIds: [] };
      claim.cases += 1;
      claim.caseIds.push(c.id);
      g.claims.set(text, claim);
    }
  }
  const byCount = (a: { cases: number; label?: string; text?: string }, b: { cases: number; label?: string; text?: string }): number =>
    b.cases - a.cases || (a.label ?? a.text ?? '').localeCompare(b.label ?? b.text ?? '', 'zh-CN');
  return {
    period: { from: period.from, to: period.to, fromDay: period.fromDay, toDay: period.toDay },
    cases: bucket?.cases ?? 0,
    truncated: (bucket?.cases ?? 0) > cases.length,
    groups: [...groups.entries()]
      .map(([product, g]) => ({
        product,
        label: labels.value('product', product),
        cases: g.cases,
        claims: [...g.claims.values()].sort(byCount),
        withoutClaim: g.withoutClaim,
      }))
      .sort(byCount),
  };
}
