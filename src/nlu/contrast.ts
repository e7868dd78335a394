/**
 * Negation and contrast in shoppers' messages. The label contract (config/nlu/README.md) gives one dominant intent per message, and in
 * 「不是质量问题，就是不喜欢」 or 「颜色尺码都对，但是袖口开线了」 the part after the turn decides it:
 * - a clause that opens with a denial (不是…, 也不是…, 没发错) and is followed by more text names what
 *   the message is *not* about, so its words must not count as evidence;
 * - the text after the last turn word (但是, 可是, 结果, 就是, 关键是…) is the focus.
 */

// Clauses: punctuation, or the spaces that stand in for it in typed and dictated messages.
const CLAUSE = /[^，。,.!?;；、~\s]+/g;
// A clause that denies a reading: 不是/也不是/并不是/倒不是 + anything, or a denial of a fault or a mix-up.
const DENIAL = /^(?:也|又|倒|并|都)?(?:不是|并非|不算)|^(?:也|都)?(?:没(?:有)?|不)(?:发错|拍错|坏|破|问题|毛病|质量问题)|^(?:质量|东西|产品|物流|快递)[^ ]{0,4}没(?:有)?(?:问题|毛病|坏)/;
// 「不是说是纯手工的吗」「不是说好包邮」 recall a promise; they deny nothing.
const RHETORICAL = /^(?:也|又|倒|并|都)?不是说|[吗么嘛]$/;
// Turn words after which the message says what it is about. 但 alone, but not 不但/但凡/但愿.
const TURN = /但是|可是|不过|然而|结果|而是|就是|只是|问题是|关键是|主要是|唯独|可惜|偏偏|(?<!不)但(?![凡愿])/g;
const HAN = /\p{Script=Han}/gu;

export interface Focus {
  /** The message without its denied clauses. */
  kept: string;
  /** The text after the last turn word, or `kept` when there is none (or too little follows it). */
  focus: string;
}

export function focusOf(normalized: string): Focus {
  const clauses = normalized.match(CLAUSE) ?? [];
  const keptClauses = clauses.filter((c, i) => i === clauses.length - 1 || RHETORICAL.test(c) || !DENIAL.test(c));
  const kept = keptClauses.join(' ');
  let after = -1;
  for (const m of kept.matchAll(TURN)) after = m.index + m[0].length;
  if (after < 0) return { kept, focus: kept };
  const tail = kept.slice(after);
  return { kept, focus: (tail.match(HAN)?.length ?? 0) >= 2 ? tail : kept };
}
