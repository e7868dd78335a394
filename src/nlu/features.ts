/**
 * Features the Bayes classifier sees: segmenter words, character bigrams (robust to typos and to words
 * the dictionary lacks), Latin words, emoji, ?/! and the shape of digit runs. Entity values themselves
 * never become features: only "there is an order number here".
 */
import { focusOf } from './contrast.js';
import type { Segmenter, SegmenterKind } from './segment.js';

export interface FeatureConfig {
  segmenter: SegmenterKind;
  bigrams: boolean;
  unigrams: boolean;
  /** Emit the CUES features below. */
  cues: boolean;
  /**
   * Drop denied clauses (see contrast.ts) and repeat the words and bigrams as `f:` features; which
   * messages get them is spelled out at addFocus below.
   */
  focus: boolean;
}

// One pass over the normalised text: Han runs, Latin words, digit runs, emoji, question/exclamation marks.
const TOKENS = /(\p{Script=Han}+)|([a-z]+(?:'[a-z]+)?)|(\d+)|(\p{Extended_Pictographic})|([?!])/gu;

function digitShape(digits: string): string {
  const n = digits.length;
  if (n >= 16 && n <= 19) return 'd:order';
  if (n === 11 && /^1[3-9]/.test(digits)) return 'd:phone';
  if (n >= 12 && n <= 15) return 'd:track';
  return n <= 4 ? 'd:small' : 'd:long';
}

// Plural and third-person "s" carry nothing for intent; "thanks"/"thank" and "days"/"day" should meet.
function latin(word: string): string {
  return `l:${word.length > 3 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word}`;
}

// Cue features for distinctions the label contract draws on a single idea. natural's Bayes only counts
// features that are present, so a cue also emits its absence: "no claim was quoted" is the evidence
// that separates a plain defect (quality) from a broken promise (false_ad).
const CUES: readonly { name: string; pattern: RegExp; absent: boolean }[] = [
  {
    name: 'claim',
    pattern: /主播|直播间|宣传|详情|页面|描述|号称|标[的着称明]|写[的着]|说[是好的能会过可不]|承诺|广告|视频里|介绍|正品|假货|\bsaid\b|description|advertis/,
    absent: true,
  },
  { name: 'question', pattern: /[?吗么]|怎么|多久|多少|几天|什么|哪|能不能|可不可以|是否|有没有|\b(?:how|what|when|where|can|is|do)\b/, absent: true },
  { name: 'general', pattern: /如果|假如|万一|一般|通常|规则|政策|条件|的话|\bif\b/, absent: false },
  // The shop's people are the subject (service); a faulty product (quality) rarely mentions them.
  { name: 'staff', pattern: /客服|售后|回复|回消息|不回|理我|态度|答应|承诺|说好|推给|推来推去|敷衍|人员|\b(?:staff|support|service)\b/, absent: true },
  // An after-sales case exists (progress) vs a parcel still on its first trip (logistics).
  { name: 'aftersale', pattern: /退|换货|补发|补寄|售后|寄回|维修|赔|审核|重新发|工单|凭证|refund|return/, absent: true },
  // Something was bought and received or is on its way; pre-sale questions (other) have none of this.
  {
    name: 'ordered',
    pattern: /收到|买的|拍的|下单|下的单|发来|寄来|用了|穿了|订单|到手|拆开|签收|发货|快递|物流|包裹|退|换|order|bought|received|sent/,
    absent: true,
  },
  { name: 'mycase', pattern: /我的|我(?:已经)?(?:申请|寄|退|提交)|已经(?:申请|寄|退|提交)|申请了|寄回|寄出/, absent: false },
];

export type Featurizer = (normalized: string) => string[];

/** Token kinds that get no `f:` copy: unigrams, digit shapes and ?/! marks. */
const FOCUS_SKIPS = /^(?:u|d|p):/;

export function createFeaturizer(config: FeatureConfig, segmenter: Segmenter): Featurizer {
  const add = (text: string, out: Set<string>): void => {
    for (const m of text.matchAll(TOKENS)) {
      const [, han, word, digits, emoji, mark] = m;
      if (han !== undefined) {
        for (const w of segmenter.cut(han)) out.add(`w:${w}`);
        if (config.unigrams) for (const ch of han) out.add(`u:${ch}`);
        if (config.bigrams) {
          // A lone character is its own bigram, so one-character messages (嗯, 行) still have a feature.
          if (han.length === 1) out.add(`b:${han}`);
          for (let i = 0; i + 1 < han.length; i++) out.add(`b:${han.slice(i, i + 2)}`);
        }
      } else if (word !== undefined) out.add(latin(word));
      else if (digits !== undefined) out.add(digitShape(digits));
      else if (emoji !== undefined) out.add(`e:${emoji}`);
      else if (mark !== undefined) out.add(`p:${mark}`);
    }
  };
  /**
   * The `f:` copies exactly as the current model was trained with them; they move every score, so
   * changing them is a retrain-and-measure decision, not a refactor. A message without a turn (its focus
   * is the whole kept text) gets an `f:` copy of each word, bigram, Latin word and emoji token, in token
   * order. A message with a turn gets none: the focus text after the turn is not read.
   */
  const addFocus = (kept: string, focus: string, out: Set<string>): void => {
    if (focus !== kept) return;
    for (const t of [...out]) if (!FOCUS_SKIPS.test(t)) out.add(`f:${t}`);
  };
  return (normalized) => {
    const out = new Set<string>();
    const { kept, focus } = config.focus ? focusOf(normalized) : { kept: normalized, focus: '' };
    add(kept, out);
    if (config.focus) addFocus(kept, focus, out);
    if (config.cues) {
      for (const cue of CUES) {
        if (cue.pattern.test(normalized)) out.add(`c:${cue.name}`);
        else if (cue.absent) out.add(`c:no-${cue.name}`);
      }
    }
    return [...out];
  };
}
