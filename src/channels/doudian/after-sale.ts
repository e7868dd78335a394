/**
 * Applies 抖店 after-sale pushes (tags 2xx) to the matching case: a case event, `data.afterSale`, the shop's
 * decisions in 抖店 (201/202/227 同意, 204/205 拒绝, 207 售后关闭; src/channels/doudian/decisions.ts), and for
 * 206 退款成功 / 225 特殊权益退款成功 a message to the customer through the outbox plus resolving an open case.
 * Jobs may run twice (BullMQ is at-least-once): the msg_id is recorded on the case and the outbox key is
 * derived from it, so a re-run neither adds a second event nor a second message.
 */
import type { Case } from '../../core/types.js';
import { ACTIVE, allows } from '../../core/lifecycle.js';
import { resolveStored } from '../../store/case-moves.js';
import { outboxKey } from '../../pipeline/keys.js';
import type { Services } from '../../services.js';
import { changeCase } from '../../store/versioned.js';
import { refundFen } from './results.js';
import type { DoudianClient } from './client.js';
import { shopDecisionOf, type ShopDecision } from './decisions.js';
import { REFUND_SUCCEEDED_TAGS, TAG_BUYER_RETURNED, TERMINAL_AFTER_SALE_TAGS, tagName } from './tags.js';
import { refundSucceededText } from './texts.js';

/**
 * `caseResolved` is what resolving a case sets off (survey, follow-up visit); `refundIssued` records the refund
 * as the case's execution step (src/cases). The composition root hands both in, so this channel imports no
 * feature code.
 */
export type AfterSaleDeps = Pick<Services, 'store' | 'queues' | 'log' | 'clock' | 'config' | 'data'> & {
  caseResolved: (c: Case) => Promise<void>;
  /** Both idempotent per msg_id; called only while the case's status allows an execution step. */
  refundIssued: (c: Case, refund: { amountFen: number; msgId: string }) => Promise<void>;
  returnShipped: (c: Case, ret: { trackingNo: string; msgId: string }) => Promise<void>;
  /**
   * The shop decided in 抖店: moves a case in review, records it on a case a person decided. Idempotent per msg_id,
   * never throws for a status that does not allow the move.
   */
  shopDecided: (c: Case, decision: ShopDecision) => Promise<void>;
  /** The shop's 抖店 client, for the return tracking number of 203 (null when 抖店 is not connected). */
  afterSales: Pick<DoudianClient, 'afterSaleDetail'> | null;
};
type Deps = AfterSaleDeps;
type Rec = Record<string, unknown>;

export interface AfterSalePush {
  msgId: string;
  tag: string;
  data: Rec;
}

export interface AfterSaleState {
  tag: string;
  tagName: string;
  afterSaleId: string | null;
  status: number | null;
  type: number | null;
  refundAmountFen: number | null;
  /**
   * 最近一条操作记录 of 201/204/205/207 (bububa/jinritemai-go message/refund/*.go `latest_record`): free text of
   * undocumented form, kept for people in the case history, never sent to the shopper.
   */
  latestRecord: string | null;
  at: string;
  msgId: string;
}

const MAX_SEEN = 50;

export function idField(o: Rec, key: string): string | null {
  const v = o[key];
  if (typeof v === 'string' && v) return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

export function numField(o: Rec, key: string): number | null {
  const v = o[key];
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
  return null;
}

/** Order ids of a push: parent (p_id) first, then the sub order (s_id). */
export function orderIdsOf(data: Rec): string[] {
  const ids = [idField(data, 'p_id'), idField(data, 's_id')].filter((x): x is string => x !== null);
  return [...new Set(ids)];
}

/** The case a push belongs to: an active one first, then resolved, then closed; newest first within each. */
export async function findCaseForOrder(store: Services['store'], orderIds: string[]): Promise<Case | null> {
  const found = new Map<string, Case>();
  for (const orderId of orderIds) {
    for (const c of (await store.listCases({ orderId, limit: 20 })).items) found.set(c.id, c);
  }
  const rank = (c: Case): number => (ACTIVE.includes(c.status) ? 0 : c.status === 'resolved' ? 1 : 2);
  const sorted = [...found.values()].sort((a, b) => rank(a) - rank(b) || b.createdAt.localeCompare(a.createdAt));
  return sorted[0] ?? null;
}

const seenOf = (c: Case): string[] =>
  Array.isArray(c.data.doudianMsgIds) ? c.data.doudianMsgIds.filter((x): x is string => typeof x === 'string') : [];

export async function applyAfterSalePush(s: Deps, push: AfterSalePush): Promise<void> {
  const { data, tag, msgId } = push;
  const orderIds = orderIdsOf(data);
  const log = s.log.child({ doudianTag: tag });
  if (orderIds.length === 0) {
    log.warn('after-sale push without p_id/s_id; recorded in the log only');
    return;
  }
  const state: AfterSaleState = {
    tag,
    tagName: tagName(tag),
    afterSaleId: idField(data, 'aftersale_id'),
    // 227 同意补寄 spells it after_sale_status (zsmhub/doudian-sdk message/同意补寄申请.go).
    status: numField(data, 'aftersale_status') ?? numField(data, 'after_sale_status'),
    type: numField(data, 'aftersale_type'),
    refundAmountFen: refundFen(data),
    latestRecord: typeof data.latest_record === 'string' && data.latest_record.trim() ? data.latest_record.trim() : null,
    at: new Date(s.clock.now()).toISOString(),
    msgId,
  };
  // Latest after-sale state per order, for the dialogue even when no case exists yet.
  await s.store.setSetting(`doudian:aftersale:${orderIds[0]}`, JSON.stringify(state));

  const found = await findCaseForOrder(s.store, orderIds);
  if (!found) {
    log.info('after-sale push for an order without a case');
    return;
  }
  // Before the push is marked seen: a failed look-up is retried with the job, and the step is keyed by msg_id.
  if (tag === TAG_BUYER_RETURNED && state.afterSaleId && s.afterSales && allows(found, 'step') && !seenOf(found).includes(msgId)) {
    const detail = await s.afterSales.afterSaleDetail(state.afterSaleId);
    if (detail.returnTrackingNo) await s.returnShipped(found, { trackingNo: detail.returnTrackingNo, msgId });
    else log.warn('203 buyer returned, but afterSale.Detail names no return tracking number');
  }
  const decision = shopDecisionOf({ tag, msgId, afterSaleType: state.type }, s.data.templates);
  if (decision && !seenOf(found).includes(msgId)) await s.shopDecided(found, decision);
  if (!seenOf(found).includes(msgId)) {
    await s.store.addCaseEvent({ caseId: found.id, type: 'doudian_after_sale', actor: 'system', data: { ...state } });
  }
  const updated = await changeCase(s.store, found.id, (c) => {
    const seen = seenOf(c);
    if (seen.includes(msgId)) return null;
    const prev = c.data.afterSale as Partial<AfterSaleState> | undefined;
    // Pushes arrive out of order: a late 201 must not hide an earlier-delivered 206 of the same after-sale.
    const keepPrev =
      prev?.tag !== undefined &&
      TERMINAL_AFTER_SALE_TAGS.has(prev.tag) &&
      !TERMINAL_AFTER_SALE_TAGS.has(tag) &&
      prev.afterSaleId === state.afterSaleId;
    return {
      data: { ...c.data, afterSale: keepPrev ? prev : state, doudianMsgIds: [...seen, msgId].slice(-MAX_SEEN) },
    };
  });
  if (!updated) return;
  if (REFUND_SUCCEEDED_TAGS.has(tag)) {
    await onRefundSucceeded(s, { case: updated, msgId, refundAmountFen: state.refundAmountFen, afterSaleType: state.type });
  }
}

/**
 * `doudian-<msg_id>` while that fits the pipeline's key rules (≤ 32 chars of [0-9A-Za-z_-], so WeCom can use it
 * as its msgid when the case lives on WeCom); otherwise a digest of the same input.
 */
export function refundOutboxKey(msgId: string): string {
  const plain = `doudian-${msgId}`;
  return /^[0-9A-Za-z_-]{1,32}$/.test(plain) ? plain : outboxKey('s', 'doudian', msgId);
}

export interface RefundSucceeded {
  case: Case;
  msgId: string;
  refundAmountFen: number | null;
  /** 抖店 aftersale_type: 0 退货退款, 1/2 仅退款 (DD-GO afterSale.List enum). */
  afterSaleType: number | null;
}

/**
 * 退款成功: tell the customer (the send worker holds it for a person when the platform window is closed),
 * record the refund step of an approved case, resolve an open case and stamp `data.refundSucceededAt`, then plan the survey and the follow-up visit
 * (src/followup); everything here is idempotent per msg_id.
 */
export async function onRefundSucceeded(s: Deps, event: RefundSucceeded): Promise<Case> {
  const kase = event.case;
  if (kase.status !== 'closed') {
    const key = refundOutboxKey(event.msgId);
    const { row } = await s.store.insertOutbound({
      key,
      conversationId: kase.conversationId,
      channel: kase.channel,
      author: 'system',
      caseId: kase.id,
      reply: { text: refundSucceededText(event.refundAmountFen, event.msgId, s.data.templates) },
    });
    if (row.status === 'pending') await s.queues.add('send', { outboxKey: key }, { jobId: `send-${key}` });
  }

  // A decided case records the refund as its execution step, with the amount 抖店 refunded, before it resolves.
  const decided = (await s.store.getCase(kase.id)) ?? kase;
  if (event.refundAmountFen !== null && event.refundAmountFen > 0 && allows(decided, 'step')) {
    await s.refundIssued(decided, { amountFen: event.refundAmountFen, msgId: event.msgId });
  }

  const now = new Date(s.clock.now()).toISOString();
  const stamp = (c: Case): Case['data'] => ({ ...c.data, refundSucceededAt: typeof c.data.refundSucceededAt === 'string' ? c.data.refundSucceededAt : now });
  const current = (await s.store.getCase(kase.id)) ?? kase;
  // The refund went through: the case resolves (the one resolve, with its event) unless it is already resolved or
  // closed, in which case only the refund is stamped.
  const updated = allows(current, 'resolve')
    ? (await resolveStored(s, kase.id, { actor: 'doudian', source: 'doudian', note: null, detail: { msgId: event.msgId } }, (c) => ({
        resolution: c.resolution ?? (event.afterSaleType === 0 ? 'return_refund' : 'refund'),
        data: stamp(c),
      }))).case
    : await changeCase(s.store, kase.id, (c) => (typeof c.data.refundSucceededAt === 'string' ? null : { data: stamp(c) }));
  const result = updated ?? kase;
  // Survey after the resolution; the follow-up visit is tied to 退款成功 (+ doudianRefundFollowupDays), also when
  // a person had resolved the case before the refund went through.
  if (result.status === 'resolved' || result.status === 'closed') await s.caseResolved(result);
  return result;
}
