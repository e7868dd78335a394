/**
 * The application's default bot: the intake dialogue with the shop's policy file, the reply texts and the
 * classifier. Policies, dialogue words and texts are validated at once (a broken file stops start-up with
 * one line), the Q&A file too; the classifier loads in the background and the first message waits for it.
 */
import type { Config } from '../../config/load-config.js';
import type { OrderLookup } from '../core/order-lookup.js';
import type { Logger } from '../log.js';
import { createNlu, type Nlu } from '../nlu/index.js';
import type { BotHandler } from '../pipeline/bot.js';
import { loadTemplates } from '../../templates/render.js';
import { loadFollowupConfig, withFollowups } from '../followup/index.js';
import { loadCareConfig } from '../care/config.js';
import { withSurgeAnswer } from '../surge/middleware.js';
import { createDialogueBot } from './bot.js';
import { loadLexicon } from './lexicon.js';
import { loadPolicies } from './policies.js';
import { loadQa } from './qa.js';

/** `orders`: the shop's order look-ups (抖店, composed in src/app.ts), null when none is configured. */
export function createAppDialogueBot(config: Config, log: Logger, orders: OrderLookup | null): BotHandler {
  const policies = loadPolicies();
  const lexicon = loadLexicon();
  const templates = loadTemplates();
  const followup = loadFollowupConfig();
  const surge = loadCareConfig().surge;
  const qa = loadQa();

  let loading: Promise<BotHandler> | null = null;
  const load = (): Promise<BotHandler> => {
    loading ??= createNlu({ dataDir: config.dataDir }).then(
      (nlu: Nlu) => {
        log.info({ source: nlu.info.source, examples: nlu.info.examples }, 'message classifier ready');
        // Survey / follow-up answers are read first; everything else reaches the dialogue unchanged.
        const bot = withFollowups(createDialogueBot({ nlu, policies, lexicon, templates, orders, qa }), { templates, followup, analyze: (t) => nlu.analyze(t) });
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
