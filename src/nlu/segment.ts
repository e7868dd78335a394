/**
 * Word segmentation behind one small interface, so scripts/nlu-compare.ts can measure the choices on the
 * same features. `intl` (production) is the ICU segmenter built into Node with the shop dictionary of
 * config/nlu/shop-dict.txt applied first; `jieba` is @node-rs/jieba with the same dictionary, loaded only
 * when asked for (it is a measurement option, not a runtime dependency); `none` leaves Chinese to the
 * character n-grams alone.
 */
const JIEBA = '@node-rs/jieba';

// The slice of @node-rs/jieba's API used here.
interface JiebaModule {
  Jieba: { withDict(dict: Uint8Array): { loadDict(dict: Uint8Array): void; cut(text: string, hmm?: boolean): string[] } };
}
interface JiebaDict {
  dict: Uint8Array;
}

export type SegmenterKind = 'jieba' | 'intl' | 'none';

export interface Segmenter {
  readonly kind: SegmenterKind;
  /** Words of one run of Han characters. */
  cut(run: string): string[];
}

/** Turns the `word freq tag` lines of the shop dictionary into what jieba loads (comments removed). */
export function shopDictionary(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith('#'))
    .join('\n');
}

/** The words of the shop dictionary (first column). */
export function shopWords(text: string): string[] {
  return shopDictionary(text)
    .split('\n')
    .map((line) => line.split(/\s+/)[0] ?? '')
    .filter((w) => w.length > 0);
}

/** Longest shop-dictionary word starting at each position, by first character. */
function longestMatch(words: readonly string[]): (run: string, at: number) => number {
  const byFirst = new Map<string, string[]>();
  for (const w of words) {
    const list = byFirst.get(w[0] ?? '') ?? [];
    list.push(w);
    byFirst.set(w[0] ?? '', list);
  }
  for (const list of byFirst.values()) list.sort((a, b) => b.length - a.length);
  return (run, at) => byFirst.get(run[at] ?? '')?.find((w) => run.startsWith(w, at))?.length ?? 0;
}

/**
 * ICU's dictionary knows general Chinese but splits shop words (客服 → 客|服, 主播 → 主|播), so shop
 * words are taken first by longest match and only the text between them goes to ICU.
 */
function intlSegmenter(shopWords: readonly string[]): Segmenter {
  const seg = new Intl.Segmenter('zh-CN', { granularity: 'word' });
  const match = longestMatch(shopWords);
  const icu = (text: string, out: string[]): void => {
    if (text.length === 0) return;
    for (const part of seg.segment(text)) if (part.isWordLike === true) out.push(part.segment);
  };
  return {
    kind: 'intl',
    cut: (run) => {
      const words: string[] = [];
      let start = 0;
      for (let i = 0; i < run.length; ) {
        const len = match(run, i);
        if (len === 0) {
          i++;
          continue;
        }
        icu(run.slice(start, i), words);
        words.push(run.slice(i, i + len));
        i += len;
        start = i;
      }
      icu(run.slice(start), words);
      return words;
    },
  };
}

export async function createSegmenter(kind: SegmenterKind, shopDict = ''): Promise<Segmenter> {
  if (kind === 'none') return { kind, cut: () => [] };
  if (kind === 'intl') return intlSegmenter(shopWords(shopDict));
  // Loaded only when chosen: the binary and its 5 MB dictionary cost ~160 ms at start. The specifier is
  // a variable so that type-checking does not require the package, which only the comparison uses.
  const [{ Jieba }, { dict }] = (await Promise.all([import(JIEBA), import(`${JIEBA}/dict.js`)])) as [JiebaModule, JiebaDict];
  const jieba = Jieba.withDict(dict);
  const user = shopDictionary(shopDict);
  if (user.length > 0) jieba.loadDict(Buffer.from(user, 'utf8'));
  return { kind, cut: (run) => jieba.cut(run, true) };
}
