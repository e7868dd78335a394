/**
 * Text normalisation for colloquial shop Chinese. Everything downstream (features, risk words, entities)
 * reads the normalised form, so a traditional-character or full-width message behaves like its plain form.
 */
import * as OpenCC from 'opencc-js/t2cn';

/** Work is capped so that a pasted essay cannot stall the worker; the head carries the complaint. */
export const MAX_TEXT_CHARS = 2000;

// Built once at module load (about 20 ms); each call is then a few microseconds. The `tw` preset also
// folds Taiwan and Hong Kong variant characters, which buyers from both regions type.
const toSimplified = OpenCC.Converter({ from: 'tw', to: 'cn' });

const INVISIBLE = /[\u200b-\u200f\u2060\ufeff\u00ad]/g;
// Same punctuation mark typed many times (？？？, ！！！, ...) carries no more meaning than one.
const REPEATED_PUNCT = /([\p{P}\p{S}])\1+/gu;
const REPEATED_EMOJI = /(\p{Extended_Pictographic})(?:\ufe0f|\p{Emoji_Modifier})*(?:\1(?:\ufe0f|\p{Emoji_Modifier})*)+/gu;
const EMOJI_DECORATION = /\ufe0e|\ufe0f|\p{Emoji_Modifier}/gu;
const SPACES = /\s+/g;
// Only CJK runs need the converter; skipping it keeps pure-ASCII messages at well under a microsecond.
const HAS_HAN = /\p{Script=Han}/u;

/** Cuts at MAX_TEXT_CHARS without splitting a surrogate pair. */
export function truncate(text: string): string {
  if (text.length <= MAX_TEXT_CHARS) return text;
  const code = text.charCodeAt(MAX_TEXT_CHARS - 1);
  const end = code >= 0xd800 && code <= 0xdbff ? MAX_TEXT_CHARS - 1 : MAX_TEXT_CHARS;
  return text.slice(0, end);
}

/**
 * Full/half width (NFKC), lower case, traditional → simplified, invisible characters removed,
 * repeated punctuation and emoji collapsed, whitespace squeezed. Digits and letters survive unchanged
 * apart from case, so entities can be read from the result.
 */
export function normalize(text: string): string {
  if (typeof text !== 'string' || text.length === 0) return '';
  let s = truncate(text).normalize('NFKC').replace(INVISIBLE, '').toLowerCase();
  if (HAS_HAN.test(s)) s = toSimplified(s);
  s = s.replace(REPEATED_PUNCT, '$1').replace(REPEATED_EMOJI, '$1').replace(EMOJI_DECORATION, '');
  return s.replace(SPACES, ' ').trim();
}
