/**
 * Putting a survey or follow-up into the outbox. The outbox key is derived from (case, round), so however
 * often a timer, a retry or the start-up rebuild gets here, the customer gets the message once.
 */
import type { Case } from '../core/types.js';
import { setConversationMode } from '../store/versioned.js';
import type { Services } from '../services.js';
import type { Conversation } from '../store/types.js';
import type { TemplateBook } from '../../templates/render.js';
import { surveyOutboxKey, visitOutboxKey, type StepName } from './plan.js';
import { surveyReply, visitReply } from './texts.js';
import { writeOutbox } from '../pipeline/outbox.js';

type Deps = Pick<Services, 'store' | 'queues' | 'config'>;

export const stepOutboxKey = (step: StepName, caseId: string, round: number): string =>
  step === 'survey' ? surveyOutboxKey(caseId, round) : visitOutboxKey(caseId, round);

export function stepReply(book: TemplateBook, step: StepName, kase: Case, shopName: string, round: number) {
  return step === 'survey' ? surveyReply(book, kase, shopName, round) : visitReply(book, kase, shopName, round);
}

/**
 * Writes the message (once per key) and asks the send worker to deliver it; the send worker checks the
 * window again at delivery. `retag` gives the send job a fresh id (start-up rebuild), since the first one may
 * be kept as completed and would swallow the add.
 */
export async function putInOutbox(
  s: Deps,
  input: { kase: Case; conv: Pick<Conversation, 'id' | 'channel'>; step: StepName; round: number; book: TemplateBook; retag?: string },
): Promise<'queued' | 'done'> {
  const key = stepOutboxKey(input.step, input.kase.id, input.round);
  const reply = stepReply(input.book, input.step, input.kase, s.config.shopName, input.round);
  const { row } = await writeOutbox(
    s,
    { key, conversationId: input.conv.id, channel: input.conv.channel, author: 'bot', caseId: input.kase.id, reply },
    input.retag ? { retag: input.retag } : {},
  );
  return row.status === 'pending' ? 'queued' : 'done';
}

/**
 * The case this message is about is resolved and no other is active, so the bot takes the conversation back
 * from a person who left it in `human` mode; otherwise the send worker would silence the bot's message.
 */
export async function takeConversation(s: Pick<Services, 'store'>, conversationId: string): Promise<void> {
  await setConversationMode(s.store, conversationId, 'bot');
}
