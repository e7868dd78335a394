/**
 * High-precision rules that sit beside the classifier. They encode the label contract where a corpus
 * cannot: 转人工 anywhere means `human`; `greeting` only when the message has no content yet; a message
 * that is nothing but an acknowledgement is `thanks` (one word gives naive Bayes almost no evidence).
 */

// Explicit requests for a person. Deliberately narrow (人工 alone also means "man-made" or "labour"),
// the classifier covers softer wordings such as 找你们主管.
const HUMAN_REQUEST =
  /转(?:接|个|一下|到)?人工|(?:要|找|接|换|叫|喊|请)个?人工|人工(?:客服|服务|坐席)?(?:在哪|在吗|在不在)|^人工|转(?:个)?真人|(?:找|要|换)个?真人|真人客服|活人|找个(?:能|懂)?[^，。,.!?]{0,4}人来|来个人|(?:能|可以|麻烦|请)[^，。,.!?]{0,3}(?:打电话给我|给我打个?电话|回个?电话)|\b(?:human|real person|live agent)\b/;

/** True when the message explicitly asks to be passed to a person. */
export function asksForHuman(normalized: string): boolean {
  return HUMAN_REQUEST.test(normalized);
}

const escape = (w: string): string => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// Punctuation and symbols, but not emoji (which Unicode also files under symbols).
const PUNCT = '(?:(?!\\p{Extended_Pictographic})[\\p{P}\\p{S}\\s])';

/** Matches texts made only of `core` words/emoji, `filler` words and punctuation, with at least one core. */
function onlyWords(core: readonly string[], emoji: string, filler: readonly string[]): (s: string) => boolean {
  const coreAlt = `${core.map(escape).join('|')}|[${emoji}]`;
  const whole = new RegExp(`^(?:${coreAlt}|${filler.map(escape).join('|')}|${PUNCT})+$`, 'u');
  const some = new RegExp(coreAlt, 'u');
  return (s) => s.length > 0 && whole.test(s) && some.test(s);
}

// Openers and forms of address (longer alternatives first).
const GREETING_CORE = [
  '你们好', '大家好', '你好', '您好', '妳好', '哈喽', '哈啰', '哈罗', '哈咯', '嗨', '嘿', '喂',
  'hi there', 'hello there', 'hi', 'hello', 'hey', 'hallo',
  '早上好', '上午好', '中午好', '下午好', '晚上好', '早安', '午安', '早',
  '在不在', '在吗', '在嘛', '在么', '在麽', '再吗', '在的吗', '在线吗', '在不',
  '有人在吗', '有人吗', '有人么', '冒昧打扰', '有没有人', '有人没有', '有人没', '有人不', '有在的吗', '有客服吗', '有人在线吗',
  '在', '麻烦问一下', '想问一下', '请问一下', '问一下', '打扰一下', '打扰了', '打扰', '咨询一下', '请问',
];
const GREETING_FILLER = [
  '亲爱的', '亲亲', '亲', '老板娘', '老板', '掌柜的', '掌柜', '店家', '店主', '客服', '小姐姐', '小哥哥', '美女', '帅哥',
  '在线', '在', '有人', '呀', '啊', '哇', '呢', '哈', '嘛', '吗', '哦', '噢',
];
const isGreeting = onlyWords(GREETING_CORE, '👋🙋', GREETING_FILLER);

// Acknowledgements and closings.
const THANKS_CORE = [
  '非常感谢', '太感谢了', '感谢', '多谢', '谢谢', '谢啦', '谢了', '辛苦了', '辛苦', '麻烦了', '麻烦你了',
  'thank you', 'thanks', 'thank', 'thx', 'ty', 'ok', 'okay', 'okk', 'bye',
  '好的', '好滴', '好哒', '好嘞', '好', '行', '成', '可以', '没问题', '没事了', '嗯', '哦', '噢',
  '收到', '明白', '了解', '知道了', '知道啦', '晓得了', '晓得', '懂了', '清楚了', '拜拜', '再见',
  '好吧', '得嘞', '得', '妥了', '就这么定了', '就这么办', 'no problem', 'thxx',
];
const THANKS_FILLER = ['亲亲', '亲', '啦', '了', '呀', '哈', '的', '你', '你们', '老板', '客服'];
const isThanks = onlyWords(THANKS_CORE, '👍👌🙏🌹💐🤝❤✌🥰💕', THANKS_FILLER);

/** True when the message is nothing but greetings, forms of address and punctuation. */
export function isGreetingOnly(normalized: string): boolean {
  return isGreeting(normalized);
}

/** True when the message only acknowledges, agrees or closes ("好的谢谢", "ok 👍"). */
export function isThanksOnly(normalized: string): boolean {
  return isThanks(normalized);
}

const GREETING_ANYWHERE = new RegExp([...GREETING_CORE, ...GREETING_FILLER].map(escape).join('|'), 'gu');
const CONTENT = /[\p{Script=Han}a-z0-9]/gu;

/** Number of content characters left once greeting words are taken out. */
export function contentBeyondGreeting(normalized: string): number {
  return normalized.replace(GREETING_ANYWHERE, '').match(CONTENT)?.length ?? 0;
}
