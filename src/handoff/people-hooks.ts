/**
 * The people side of the drain (PeopleHooks), built once by the composition root: the next-response clock and
 * queue notices while people have a conversation, and the hand-over when the bot failed on a message.
 */
import { renderTemplate } from '../../templates/render.js';
import { raiseAlert } from '../alerts/index.js';
import { escalate } from '../cases/escalate.js';
import type { PeopleHooks } from '../pipeline/bot.js';
import type { Services } from '../services.js';
import { caseRef } from './refs.js';
import { noteCustomerWhileHuman } from './sla.js';
import { noticeWhileWaiting } from './waiting.js';

/** One alert per error code in this window: a bug that hits every message must not flood the managers. */
const ALERT_WINDOW_MS = 10 * 60_000;

export function peopleHooks(s: Services): PeopleHooks {
  return {
    async customerWhileHuman(conv, row, opts) {
      await noteCustomerWhileHuman(s, conv.id, row.sentAt);
      if (opts.notice) await noticeWhileWaiting(s, conv, row);
    },
    async handOver(conv, row, input) {
      const done = await escalate(s, {
        conversationId: conv.id,
        caseId: input.caseId ?? null,
        reason: input.reason,
        ...(input.risk !== undefined ? { risk: input.risk } : {}),
        ...(input.priority !== undefined ? { priority: input.priority } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        key: row.id,
        actor: input.actor ?? 'bot',
        // The drain switches the conversation to people inside its own compare-and-set.
        fromBot: true,
      });
      return { caseId: done.case.id, handoffMinutes: done.handoffMinutes, handoffWhen: done.handoffWhen };
    },
    async botFailed(conv, row, code) {
      const { case: kase } = await escalate(s, {
        conversationId: conv.id,
        reason: 'bot_error',
        key: `bot_error:${row.id}`,
        // The drain already switched the conversation to people inside its compare-and-set.
        fromBot: true,
        description: row.message.text || null,
      });
      const t = s.data.templates;
      const window = Math.floor(s.clock.now() / ALERT_WINDOW_MS);
      await raiseAlert(s, {
        key: `bot_error:${code}:${window}`,
        kind: 'bot_error',
        level: 'warning',
        title: renderTemplate(t, 'alerts.bot_error.title', { caseRef: caseRef(kase.id) }),
        text: renderTemplate(t, 'alerts.bot_error.text', { code, minutes: ALERT_WINDOW_MS / 60_000 }),
        caseId: kase.id,
        data: { reason: 'bot_error', code, channel: conv.channel },
      });
    },
  };
}
