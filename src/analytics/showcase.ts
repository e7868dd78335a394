/**
 * Showcase reviews: cases closed with 4–5 stars whose customer agreed that their words may be reused
 * (`data.showcase = {consent, words, at}`, written by the survey step). Words are masked twice over — phone,
 * address and ID numbers, then every long digit run such as order numbers — because they are meant to leave
 * the shop's systems (posters, live-room scripts, product pages).
 */
import { maskDigits, maskText } from '../core/mask.js';
import type { Case, CaseCategory, Channel } from '../core/types.js';
import type { Store } from '../store/types.js';
import type { Labels } from './labels.js';

export interface ShowcaseItem {
  caseId: string;
  at: string;
  channel: Channel;
  channelLabel: string;
  category: CaseCategory | null;
  categoryLabel: string;
  product: string | null;
  csat: number;
  words: string;
}

export const maskWords = (words: string): string => maskDigits(maskText(words));

export function showcaseItem(c: Case, labels: Labels): ShowcaseItem {
  const show = (c.data.showcase ?? {}) as { words?: unknown; at?: unknown };
  const order = (c.data.order ?? {}) as { productName?: unknown };
  return {
    caseId: c.id,
    at: typeof show.at === 'string' ? show.at : c.updatedAt,
    channel: c.channel,
    channelLabel: labels.channel(c.channel),
    category: c.category,
    categoryLabel: labels.category(c.category),
    product: typeof order.productName === 'string' ? order.productName : null,
    csat: c.csat ?? 0,
    words: maskWords(typeof show.words === 'string' ? show.words : ''),
  };
}

export async function listShowcase(
  store: Store,
  labels: Labels,
  filter: { from?: string; to?: string; channel?: Channel; category?: CaseCategory; limit?: number },
): Promise<ShowcaseItem[]> {
  const limit = filter.limit ?? 200;
  // Channel and category are few, so filtering after the indexed read keeps the store method small.
  const narrowed = filter.channel !== undefined || filter.category !== undefined;
  const cases = await store.listShowcase({
    ...(filter.from ? { from: filter.from } : {}),
    ...(filter.to ? { to: filter.to } : {}),
    limit: narrowed ? 1000 : limit,
  });
  return cases
    .filter((c) => (filter.channel === undefined || c.channel === filter.channel) && (filter.category === undefined || c.category === filter.category))
    .filter((c) => typeof (c.data.showcase as { words?: unknown } | undefined)?.words === 'string')
    .slice(0, limit)
    .map((c) => showcaseItem(c, labels));
}
