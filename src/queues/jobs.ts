/**
 * The typed job map: one BullMQ queue per entry, named after its key. Job ids are deterministic so a job
 * can be found, deduplicated and cancelled (`send:<outboxKey>`, `survey:<caseId>`).
 */
export interface JobMap {
  /** Drain one conversation's pending inbox rows in platform-time order. At most 1 active + 1 waiting. */
  conversation: { conversationId: string };
  /** Deliver one outbox row through its channel. */
  send: { outboxKey: string };
  /** Pull WeCom 微信客服 messages for one kf account (callback token optional). One at a time per account. */
  'wecom-sync': { openKfId: string; token: string | null };
  /** Apply one 抖店 push (after-sale / order tags) to cases and conversations. */
  'doudian-event': { msgId: string; tag: string; data: string };
  /** Business timers (idle reminders, SLA, surveys, follow-ups); `key` is unique per purpose and subject. */
  timer: { kind: string; subjectId: string; dueAt: number; payload: Record<string, unknown> };
  /** Run the assigner: waiting escalated cases → available agents. Deduplicated: one active + one waiting. */
  assign: { reason: string };
  /** Push undelivered alerts to WeCom (group robot / app message) within the platform's rate limits. */
  alerts: { reason: string };
}

export type JobName = keyof JobMap;
export const JOB_NAMES: readonly JobName[] = ['conversation', 'send', 'wecom-sync', 'doudian-event', 'timer', 'assign', 'alerts'];
