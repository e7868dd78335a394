/**
 * The application's default bot: the intake dialogue with the shop's policy file, the reply texts and the
 * process's one classifier (Services). Policies, dialogue words and texts come validated from start-up; the
 * classifier loads in the background and the first message waits for it.
 */
import type { Nlu } from '../nlu/index.js';
import type { BotHandler } from '../pipeline/bot.js';
import { withReturnTracking } from '../cases/return-tracking.js';
import { withFollowups } from '../followup/index.js';
import type { Services } from '../services.js';
import { withSurgeAnswer } from '../surge/middleware.js';
import { createDialogueBot } from './bot.js';

/** Order checks go through the composed OrderLookup (抖店 when configured; none otherwise). */
export function createAppDialogueBot(s: Pick<Services, 'data' | 'classifier' | 'orders' | 'log'>): BotHandler {
  const { policies, lexicon, templates, followup, qa } = s.data;
  const surge = s.data.care.surge;
  const log = s.log;
  const orders = s.orders;

  let loading: Promise<BotHandler> | null = null;
  const load = (): Promise<BotHandler> => {
    loading ??= s.classifier().then(
      (nlu: Nlu) => {
        log.info({ source: nlu.info.source, examples: nlu.info.examples }, 'message classifier ready');
        // Survey / follow-up answers are read first, then a return tracking number the bot asked for (src/cases);
        // everything else reaches the dialogue unchanged.
        const bot = withFollowups(withReturnTracking(createDialogueBot({ nlu, policies, lexicon, templates, orders, qa }), { templates }), { templates, followup, analyze: (t) => nlu.analyze(t) });
        // During a livestream surge the manager's answer goes out first (src/surge).
        return withSurgeAnswer(bot, { cfg: surge, templates });
      },
      (err: unknown) => {
        loading = null; // try again on the next message
        throw err;
      },
    );
    return loading;
  };
  load().catch((err: unknown) => log.error({ err: err instanceof Error ? err.message : String(err) }, 'message classifier failed to load'));

  return async (input) => (await load())(input);
}
