/**
 * Reaching the shopper of a stuck parcel. With a confirmed link to their conversation (./link.ts) a logistics
 * case is filed already filled in (order, carrier, tracking number, how long it sat) and, while the platform still
 * lets the shop write first (ChannelSender.checkWindow with `proactive: true`), one care message goes through the
 * outbox in the shop's voice. Otherwise a person gets a task with the words to pass on. Every step is keyed by
 * the order and the shipment push, so a retried alarm files, sends and asks nothing twice.
 */
import { initialStatus } from '../core/lifecycle.js';
import type { Case } from '../core/types.js';
import { outboxKey } from '../pipeline/keys.js';
import { writeOutbox } from '../pipeline/outbox.js';
import type { Services } from '../services.js';
import type { Conversation } from '../store/types.js';
import { addEventOnce } from '../store/versioned.js';
import type { TemplateBook } from '../../templates/render.js';
import { orderOwner, type OrderOwner } from './link.js';
import { caseDescription, careNotice, taskReason, type CareTaskCode, type ParcelFacts } from './texts.js';

export type CareOutcome = 'sent' | 'task';

export interface StuckParcel extends ParcelFacts {
  /** The shipment push the alarm was set for: with the order, the identity of this care. */
  msgId: string;
  incidentId: string | null;
}

const careKey = (p: StuckParcel): string => `care:${p.orderId}:${p.msgId}`;

async function careCase(s: Pick<Services, 'store'>, owner: OrderOwner, p: StuckParcel, book: TemplateBook): Promise<Case> {
  const key = careKey(p);
  const existing = (await s.store.listCases({ orderId: p.orderId, limit: 200 })).items.find((c) => c.data.careKey === key);
  const kase =
    existing ??
    (await s.store.createCase({
      channel: owner.conversation.channel,
      customerId: owner.kase.customerId,
      conversationId: owner.conversation.id,
      category: 'logistics',
      orderId: p.orderId,
      description: caseDescription(book, p),
      status: initialStatus('filed'),
      data: {
        careKey: key,
        order: { orderId: p.orderId, verified: true },
        care: { reason: 'stale', trackingNo: p.trackingNo, carrier: p.carrier, expressCompanyId: p.expressCompanyId, days: p.days, incidentId: p.incidentId },
      },
    }));
  await addEventOnce(s.store, { caseId: kase.id, type: 'created', actor: 'system', key, data: { source: 'logistics_care', incidentId: p.incidentId } });
  return kase;
}

async function toTask(
  s: Pick<Services, 'store' | 'log'>,
  p: StuckParcel,
  input: { code: CareTaskCode; text: string; book: TemplateBook; kase: Case | null; conversation: Conversation | null },
): Promise<CareOutcome> {
  await s.store.insertTask({
    key: careKey(p),
    kind: 'logistics_care',
    caseId: input.kase?.id ?? null,
    conversationId: input.conversation?.id ?? null,
    reason: taskReason(input.book, input.code, p, input.text),
    data: { code: input.code, orderId: p.orderId, trackingNo: p.trackingNo, carrier: p.carrier, days: p.days, incidentId: p.incidentId, text: input.text },
  });
  s.log.info({ code: input.code, caseId: input.kase?.id ?? null }, 'logistics care handed to a person');
  return 'task';
}

export async function reachShopper(s: Services, p: StuckParcel, book: TemplateBook): Promise<CareOutcome> {
  const text = careNotice(book, p, { incident: p.incidentId !== null, seed: careKey(p) });
  const owner = await orderOwner(s.store, p.orderId);
  if (!owner) return toTask(s, p, { code: 'no_conversation', text, book, kase: null, conversation: null });
  const kase = await careCase(s, owner, p, book);
  const key = outboxKey('s', 'care', p.orderId, p.msgId);
  // Written before: a retry after the outbox row must finish the send, not see the window closed since.
  const written = await s.store.getOutbound(key);
  const sender = s.senders[owner.conversation.channel];
  const open = sender?.checkWindow({ ...owner.conversation, mode: 'bot' }, s.clock.now(), { proactive: true }).ok ?? false;
  if (!written && !open) return toTask(s, p, { code: 'window_closed', text, book, kase, conversation: owner.conversation });
  await writeOutbox(s, { key, conversationId: owner.conversation.id, channel: owner.conversation.channel, author: 'system', caseId: kase.id, reply: { text } });
  await addEventOnce(s.store, { caseId: kase.id, type: 'care_sent', actor: 'system', key: careKey(p), data: { outboxKey: key } });
  return 'sent';
}
