/** Processor of the `conversation` queue: drains that conversation's inbox through the bot. */
import type { Job } from 'bullmq';
import type { BotHandler, PeopleHooks } from '../../src/pipeline/bot.js';
import { drainConversation } from '../../src/pipeline/drain.js';
import type { JobMap } from '../../src/queues/jobs.js';
import type { Services } from '../../src/services.js';

export function conversationProcessor(s: Services, bot: BotHandler, people: PeopleHooks) {
  return async (job: Job<JobMap['conversation']>): Promise<number> =>
    drainConversation(s, bot, job.data.conversationId, { settleMs: s.config.inboxSettleMs, people });
}
