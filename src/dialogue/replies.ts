/**
 * Turns a step's template keys into one reply: variants picked deterministically per message, and never the
 * exact text the customer got last time.
 */
import { createHash } from 'node:crypto';
import type { Choice, OutboundReply } from '../core/types.js';
import { fill, renderTemplate, type TemplateBook, type TemplateVars } from '../../templates/render.js';
import type { Say } from './outcome.js';

/** A stable number from a message id, so a re-run of the same message renders the same words. */
export function seedOf(...parts: (string | number)[]): number {
  return createHash('sha256').update(parts.join('\u0000')).digest().readUInt32BE(0);
}

/** Multi-line blocks start on their own line; short acknowledgements run on as one sentence. */
const BLOCK = /^(confirm\.|progress\.(?!platform)|policy\.|resume$)/;

function compose(book: TemplateBook, say: Say[], globals: TemplateVars, seed: number): string {
  let text = '';
  say.forEach((item, i) => {
    const part = renderTemplate(book, item.key, { ...globals, ...item.vars }, { seed: seed + i * 7 });
    text += text && BLOCK.test(item.key) ? `\n${part}` : part;
  });
  return text;
}

export function renderReply(
  book: TemplateBook,
  say: Say[],
  choices: Choice[],
  opts: { globals: TemplateVars; previous: string | null; seed: number },
): OutboundReply {
  let text = compose(book, say, opts.globals, opts.seed);
  // Variants differ per key, so another seed gives another wording; stop after a few tries.
  for (let i = 1; i <= 8 && text === opts.previous; i++) text = compose(book, say, opts.globals, opts.seed + i);
  return choices.length > 0 ? { text, choices } : { text };
}

/** The first variant of a short text (labels, list lines), filled. Unknown keys fail loudly in tests. */
export function labeler(book: TemplateBook): (key: string, vars?: TemplateVars) => string {
  return (key, vars = {}) => {
    const v = book[key]?.[0];
    if (v === undefined) throw new Error(`unknown template "${key}"`);
    return fill(v, vars);
  };
}
