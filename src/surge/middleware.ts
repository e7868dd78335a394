/**
 * Surge mode in the bot chain, before the dialogue: every message is counted (./state.ts); during a surge a
 * conversation's first message hears the manager's answer up front (./answer.ts), then the dialogue answers as
 * usual and people's queue keeps its priorities. Told once per conversation and surge: the claim holds the inbox
 * row id, so the drain running the same message again repeats the same line instead of a second one.
 */
import type { BotHandler } from '../pipeline/bot.js';
import type { SurgeConfig } from '../care/config.js';
import { seedOf } from '../dialogue/replies.js';
import { renderTemplate, type TemplateBook } from '../../templates/render.js';
import { readSurgeAnswer } from './answer.js';
import { noteInbound } from './state.js';

const DAY_S = 24 * 3600;

export function withSurgeAnswer(inner: BotHandler, deps: { cfg: SurgeConfig; templates: TemplateBook }): BotHandler {
  const { cfg, templates: book } = deps;
  if (!cfg.enabled) return inner;
  return async (ctx) => {
    const s = ctx.services;
    const status = await noteInbound(s, ctx.row.id, { cfg, book });
    const answer = status.active ? await readSurgeAnswer(s.store) : null;
    if (answer && status.since) {
      const key = `${s.config.queuePrefix}:surge:told:${status.since}:${ctx.conversation.id}`;
      const first = (await s.redis.set(key, ctx.row.id, 'EX', DAY_S, 'NX')) !== null || (await s.redis.get(key)) === ctx.row.id;
      if (first) ctx.reply(renderTemplate(book, 'surge.answer', { answer }, { seed: seedOf(ctx.conversation.id, status.since) }));
    }
    return inner(ctx);
  };
}
