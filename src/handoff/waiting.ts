/**
 * A shopper who writes while their case waits for a person (escalated, nobody assigned yet) is never left in
 * silence: at most once per `waitingNoticeMinutes` (TIME_SCALE-aware) a system notice says their place in the
 * queue and the expected wait, and every message in between gets a short 「已转达」. Once an agent owns the
 * conversation, nothing but the agent speaks.
 */
import { scaled } from '../../config/load-config.js';
import { renderTemplate } from '../../templates/render.js';
import { changeCase } from '../store/versioned.js';
import type { Case } from '../core/types.js';
import { outboxKey } from '../pipeline/keys.js';
import type { Services } from '../services.js';
import type { Conversation, InboxRow } from '../store/types.js';
import { estimateWait } from './assign.js';
import { waitPhrase } from './queue-entry.js';
import { handoffConfigOf } from './sla.js';
import { writeOutbox } from '../pipeline/outbox.js';

const MINUTE = 60_000;

const notedSeq = (c: Case): number => (typeof c.data.waitingNotedSeq === 'number' ? c.data.waitingNotedSeq : 0);

export async function noticeWhileWaiting(s: Services, conv: Conversation, row: InboxRow): Promise<boolean> {
  // WECOM_HANDOFF=native: the session waits in WeCom's own reception, which speaks to the customer itself.
  if (conv.channel === 'wecom' && s.config.wecom?.handoff === 'native') return false;
  const waiting = (await s.store.listCases({ conversationId: conv.id, status: 'escalated', limit: 1 })).items[0];
  if (!waiting) return false;
  const cfg = handoffConfigOf(s);
  const now = s.clock.now();
  const last = typeof waiting.data.waitingNoticeAt === 'string' ? Date.parse(waiting.data.waitingNoticeAt) : null;
  const escalatedAt = typeof waiting.data.escalatedAt === 'string' ? Date.parse(waiting.data.escalatedAt) : null;
  // The hand-over message itself told them the wait: count the pause from it too.
  const since = Math.max(last ?? 0, escalatedAt ?? 0);
  if (now - since < scaled(s.config, cfg.assignment.waitingNoticeMinutes * MINUTE) && waiting.data.waitingNoticeRow !== row.id) {
    // The wordings take turns, so two messages in a row never get the same line; a re-run finds its own turn.
    const counted = await changeCase(s.store, waiting.id, (c: Case) =>
      c.data.waitingNotedRow === row.id ? null : { data: { ...c.data, waitingNotedRow: row.id, waitingNotedSeq: notedSeq(c) + 1 } },
    );
    const noted = renderTemplate(s.data.templates, 'handoff.waiting_noted', {}, { seed: notedSeq(counted ?? waiting) });
    await sendNotice(s, conv, row, waiting.id, noted);
    return true;
  }
  // One notice per message, whoever runs it: the case remembers the row that caused the last one.
  await changeCase(s.store, waiting.id, (c: Case) => {
    if (c.status !== 'escalated' || c.data.waitingNoticeRow === row.id) return null;
    return { data: { ...c.data, waitingNoticeAt: new Date(now).toISOString(), waitingNoticeRow: row.id } };
  });
  const current = await s.store.getCase(waiting.id);
  if (!current || current.data.waitingNoticeRow !== row.id) return false;
  const floor = 5;
  const estimate = await estimateWait(s, current, { config: cfg, floorMinutes: floor });
  const key = estimate.ahead === 0 ? 'handoff.waiting_first' : 'handoff.waiting';
  const text = renderTemplate(s.data.templates, key, { ahead: estimate.ahead, handoffWhen: waitPhrase(s.data.templates, estimate, cfg.timezone, now) }, { seed: row.sentAt });
  await sendNotice(s, conv, row, waiting.id, text);
  return true;
}

/** One notice per customer message (its key is the row's), answering that message. */
async function sendNotice(s: Services, conv: Conversation, row: InboxRow, caseId: string, text: string): Promise<void> {
  const outKey = outboxKey('s', 'waiting', row.id);
  // It answers the customer's message, so it carries that message's routing (Douyin msg_id, WeCom session).
  await writeOutbox(s, { key: outKey, conversationId: conv.id, channel: conv.channel, author: 'system', caseId, reply: { text, replyTo: { ...row.message.meta } } });
}
