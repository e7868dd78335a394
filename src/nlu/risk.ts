/**
 * The risk flag of shared/docs/intents.md: the message threatens to go beyond the shop or describes harm,
 * whatever its intent. Word lists, not the classifier, decide it: a missed threat costs far more than an
 * extra escalation, and operators must be able to see why a message was flagged.
 */
import { normalize } from './normalize.js';
import type { RiskResult } from './types.js';

interface RiskRule {
  category: 'regulator' | 'platform' | 'exposure' | 'legal' | 'harm' | 'child';
  pattern: RegExp;
}

// Patterns run on normalised text (simplified, lower-case, NFKC), so 報警 and ＰＯＬＩＣＥ match too.
const RULES: readonly RiskRule[] = [
  { category: 'regulator', pattern: /(?<!\d)(?:12315|12345|315)(?!\d)/ },
  { category: 'regulator', pattern: /消协|消费者协会|消保|市场监[管督]|市监|工商|质监|监管部门|有关部门|黑猫投诉|举报/ },
  {
    category: 'platform',
    pattern: /(?:平台|官方|小二|抖音|抖店|微信|淘宝|拼多多|京东)[^，。,.!?]{0,4}介入|申请介入|投诉到|(?:去|到|向|找|在)(?:抖音|平台|官方|微信|淘宝|抖店)[^，。,.!?]{0,4}投诉|(?:平台|抖音|抖店|微信)投诉|找平台|让平台|平台仲裁/,
  },
  { category: 'exposure', pattern: /曝光|微博|小红书|(?:发|晒|曝)[^，。,.!?]{0,3}(?:朋友圈|网上|抖音)|媒体|记者|电视台|避雷|发帖|大家看看|评评理/ },
  { category: 'exposure', pattern: /群里[^，。,.!?]{0,3}(?:说|发|讲|曝|吐槽)|(?:业主|小区|家长|宝妈)群/ },
  { category: 'legal', pattern: /律师|起诉|法院|诉讼|官司|法律|违法|维权|报警|警察|派出所|(?<!\d)110(?!\d)/ },
  { category: 'legal', pattern: /退一赔三|假一赔[三十]|[三十]倍赔偿|赔[三十]倍/ },
  // 告 alone is "sue", but it is also part of 告诉, 广告, 报告...: those words are excluded around it.
  { category: 'legal', pattern: /(?<![广公报预警忠转通布劝宣祷])告(?![诉知示辞别白诫急])/ },
  { category: 'harm', pattern: /冒烟|着火|起火|失火|自燃|爆炸|炸了|(?:突然|电池|充电)[^，。,.!?]{0,4}(?:爆|炸)|火花/ },
  { category: 'harm', pattern: /住院|医院|急诊|看医生|受伤|烫伤|烧伤|划伤|割伤|触电|漏电|中毒|上吐下泻|拉肚子|呕吐|流血/ },
  {
    category: 'child',
    pattern: /(?:孩子|小孩|宝宝|儿子|女儿|娃|婴儿|小朋友)[^。.!?]{0,12}(?:划破|划伤|割破|烫|摔|误吞|误食|吞了|噎|窒息|起疹|疹子|红疹|发烧|出血|哭了|不舒服)/,
  },
  // The same harm told the other way round: 烫到孩子, 夹伤了宝宝的手.
  { category: 'child', pattern: /(?:烫|划|割|夹|砸|扎|咬|电)(?:到|伤|破)了?[^，。,.!?]{0,4}(?:孩子|小孩|宝宝|儿子|女儿|娃|婴儿|小朋友)/ },
  {
    category: 'harm',
    pattern: /\b(?:sue|lawsuit|lawyer|police|report you|bad review|caught fire|on fire|smok(?:e|ing)|explod\w*|hospital|allergic)\b/,
  },
];

// 过敏 is harm when it happened, not in a pre-sale question ("会不会过敏", "过敏体质能用吗").
const ALLERGY = /过敏/g;
const ALLERGY_NOT_HARM = /(?:会不会|会|防|抗|不|易|容易)过敏|过敏(?:体质|人群|肌|吗|么)/;
// 差评 is a threat unless it is explicitly ruled out ("不会给差评").
const BAD_REVIEW = /差评/g;
const BAD_REVIEW_NEGATED = /(?:不会|不想|不给|没给|不打|不至于|舍不得|没有)(?:给|打)?(?:你们|你)?个?差评/;

function contextual(text: string, word: RegExp, harmless: RegExp, width: number): boolean {
  for (const m of text.matchAll(word)) {
    const window = text.slice(Math.max(0, m.index - width), m.index + m[0].length + 3);
    if (!harmless.test(window)) return true;
  }
  return false;
}

/** Risk on already-normalised text; the hot path uses this to avoid normalising twice. */
export function detectRiskNormalized(s: string): RiskResult {
  const reasons: string[] = [];
  for (const rule of RULES) {
    const m = rule.pattern.exec(s);
    if (m) {
      const reason = `${rule.category}:${m[0]}`;
      if (!reasons.includes(reason)) reasons.push(reason);
    }
  }
  if (s.includes('过敏') && contextual(s, ALLERGY, ALLERGY_NOT_HARM, 3)) reasons.push('harm:过敏');
  if (s.includes('差评') && contextual(s, BAD_REVIEW, BAD_REVIEW_NEGATED, 6)) reasons.push('exposure:差评');
  return { risk: reasons.length > 0, reasons };
}

const GLOBAL_RULES = RULES.map((r) => new RegExp(r.pattern.source, `${r.pattern.flags}g`));
// Words of the threat itself that the rules above do not consume (差评 is matched in context below).
const THREAT_WORDS = /差评|投诉/g;

/**
 * The text with its risk words blanked out. intents.md takes the intent of "再不处理我就去 12315" from the
 * rest of the message, so the classifier must not learn that threats mean any one label. Only called
 * for messages already flagged, so 投诉 in "我要投诉这个客服" (no risk) still counts for `service`.
 */
export function withoutRiskWords(s: string): string {
  let out = s;
  for (const re of GLOBAL_RULES) out = out.replace(re, ' ');
  return out.replace(THREAT_WORDS, ' ');
}

/** Pure: normalises the text, then looks for threats beyond the shop and descriptions of harm. */
export function detectRisk(text: string): RiskResult {
  return detectRiskNormalized(normalize(text));
}
