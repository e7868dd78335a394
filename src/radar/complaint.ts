/**
 * A group member reported an after-sales problem: a case for that member (channel wecom, conversation
 * `group:<chatId>:<userId>`, escalated with reason "group complaint"), the member's words in the transcript,
 * and a critical `group_complaint` alert that names the group and asks the group's owner to follow up.
 * Idempotent per msgid: the case is found by its key, the alert by its key, the inbox row by its msgid.
 */
import { alertExcerpt, raiseAlert } from '../alerts/index.js';
import { escalate } from '../cases/escalate.js';
import { changeCase } from '../store/versioned.js';
import type { Case, InboundMessage } from '../core/types.js';
import { maskId } from '../core/mask.js';
import type { Services } from '../services.js';
import { renderTemplate } from '../../templates/render.js';
import type { Verdict } from './classify.js';
import type { GroupInfo } from './groups.js';
import type { BotMessage } from './message.js';

type Deps = Pick<Services, 'store' | 'queues' | 'log' | 'clock' | 'config' | 'data'>;

export const GROUP_REASON = 'group complaint';
/** Inbox ids of 智能机器人 messages, apart from kf msgids on the same channel. */
export const inboxMsgId = (msgid: string): string => `aibot:${msgid}`;
export const conversationKeyOf = (m: BotMessage): string => `group:${m.chatId || 'single'}:${m.userId}`;

export interface GroupComplaint {
  case: Case;
  alertId: string;
}

const EXCERPT_MAX = 120;

export async function openGroupComplaint(
  s: Deps,
  input: { message: BotMessage; verdict: Verdict; group: GroupInfo | null; sentAt: number },
): Promise<GroupComplaint> {
  const { message: m, verdict, group } = input;
  const key = `radar:${m.msgid}`;
  const customer = await s.store.upsertCustomer({ channel: 'wecom', platformUserId: m.userId });
  const conversation = await s.store.getOrCreateConversation({
    channel: 'wecom',
    key: conversationKeyOf(m),
    customerId: customer.id,
    // Not a kf conversation: there is no open_kfid to answer through; a person follows up privately.
    meta: { source: 'wecom_group', chatId: m.chatId, userId: m.userId, aibotId: m.aibotid },
  });

  const { case: escalated } = await escalate(s, {
    conversationId: conversation.id,
    reason: GROUP_REASON,
    key,
    risk: verdict.risk,
    priority: verdict.risk ? 1 : 2,
    actor: 'system',
    description: m.text,
  });
  const kase =
    verdict.category && !escalated.category
      ? ((await changeCase(s.store, escalated.id, (c) => (c.category ? null : { category: verdict.category }))) ?? escalated)
      : escalated;

  // After the switch to `human`, so a row left pending by a crash is never answered by the dialogue bot.
  const inbound: InboundMessage = {
    channel: 'wecom',
    platformMsgId: inboxMsgId(m.msgid),
    conversationKey: conversation.key,
    platformUserId: m.userId,
    sentAt: input.sentAt,
    from: 'customer',
    kind: 'text',
    text: m.text,
    attachments: [],
    meta: { source: 'wecom_group', chatId: m.chatId },
  };
  const { row } = await s.store.insertInbound(conversation.id, inbound);

  const t = s.data.templates;
  const groupName = group?.name ?? renderTemplate(t, 'alerts.group.unknown_name');
  const category = renderTemplate(t, `label.category.${verdict.category ?? 'unknown'}`);
  const excerpt = alertExcerpt(m.text, EXCERPT_MAX);
  const owner = group?.status === 'active' && group.owner ? (await s.store.listUsers()).find((u) => u.wecomUserId === group.owner) ?? null : null;
  const vars = { groupName, category, excerpt, member: maskId(m.userId) };
  const alert = await raiseAlert(s, {
    key: `group:${m.msgid}`,
    kind: 'group_complaint',
    level: 'critical',
    title: renderTemplate(t, 'alerts.group_complaint.title', vars),
    text: renderTemplate(t, verdict.risk ? 'alerts.group_complaint.risk_text' : 'alerts.group_complaint.text', vars),
    caseId: kase.id,
    data: {
      chatId: m.chatId,
      groupName,
      groupOwner: group?.owner ?? null,
      category: verdict.category,
      risk: verdict.risk,
      conversationId: conversation.id,
      // The alerts job sends the group's owner a personal app message (raiseAlert masks this text).
      ...(owner ? { notifyUserIds: [owner.id], notifyText: renderTemplate(t, 'alerts.group_complaint.notify', vars) } : {}),
    },
  });
  if (row.status === 'pending') await s.store.setInboundStatus(row.id, 'processed');
  s.log.info(
    { component: 'radar', caseId: kase.id, alertId: alert.id, chatId: maskId(m.chatId), ownerKnown: owner !== null, risk: verdict.risk },
    'group complaint: case opened and manager alerted',
  );
  return { case: kase, alertId: alert.id };
}
