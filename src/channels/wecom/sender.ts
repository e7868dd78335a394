/**
 * Delivers outbox rows through kf/send_msg (or send_msg_on_event with a fresh welcome/end code). The outbox
 * key is the msgid, so a retried row is never shown twice; parts already accepted are remembered in Redis and
 * not sent again, because WeCom refuses a reused msgid.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Clock } from '../../core/clock.js';
import { NetworkError, PlatformError } from '../../core/errors.js';
import { maskId } from '../../core/mask.js';
import type { Logger } from '../../log.js';
import type { Conversation, OutboxRow, Store } from '../../store/types.js';
import type { ChannelSender, SendOutcome } from '../types.js';
import type { SendBody } from './api-types.js';
import type { WecomClient } from './client.js';
import { SEND_HELD, SESSION_REFUSALS, isDuplicateMsgid } from './errcodes.js';
import { targetOf } from './map-message.js';
import { msgidFor } from './msgid.js';
import { renderReply } from './render.js';
import { learnSessionState } from './session-state.js';
import { bumpReplies } from './conversation-meta.js';
import { REASON_HUMAN, checkWecomWindow, freshReplyCode, platformBlock, sendBudget } from './window.js';
import { DELETE_IF_EQUAL } from './token-cache.js';

export interface WecomSenderDeps {
  client: WecomClient;
  redis: Redis;
  store: Store;
  clock: Clock;
  log: Logger;
  keyPrefix: string;
}

/** How long sent markers and msgid → outbox key links live: longer than any retry or msg_send_fail delay. */
const MARK_TTL_S = 7 * 24 * 3600;

export function msgidLinkKey(prefix: string, msgid: string): string {
  return `${prefix}:wecom:msgid:${msgid}`;
}

type Step = { done: true; outcome: SendOutcome } | { done: false };

export function createWecomSender(deps: WecomSenderDeps): ChannelSender {
  const { client, redis, clock, log, keyPrefix } = deps;
  const sentKey = (msgid: string): string => `${keyPrefix}:wecom:sent:${msgid}`;

  async function markSent(msgid: string): Promise<void> {
    await redis.set(sentKey(msgid), '1', 'EX', MARK_TTL_S);
  }

  /** One message through a single-use event code; falls through (done:false) when the code is unusable. */
  async function sendWithCode(row: OutboxRow, code: string, body: SendBody): Promise<Step> {
    const msgid = msgidFor(row.key);
    if (await redis.exists(sentKey(msgid))) return { done: true, outcome: { status: 'sent', platformMsgId: msgid } };
    const claimKey = `${keyPrefix}:wecom:code:${createHash('sha256').update(code).digest('hex').slice(0, 24)}`;
    if (!(await redis.set(claimKey, row.key, 'EX', 3600, 'NX'))) return { done: false };
    try {
      await client.sendMsgOnEvent({ ...body, code, msgid });
      await markSent(msgid);
      return { done: true, outcome: { status: 'sent', platformMsgId: msgid } };
    } catch (err) {
      if (err instanceof NetworkError) {
        // The code may still be unused: give it back so the retry can use it.
        await redis.eval(DELETE_IF_EQUAL, 1, claimKey, row.key);
        return { done: true, outcome: { status: 'retry', reason: err.message } };
      }
      if (err instanceof PlatformError && err.retryable) return { done: true, outcome: { status: 'retry', reason: err.message } };
      log.info({ outboxKey: row.key, code: err instanceof PlatformError ? err.platformCode : 'error' }, 'event code refused; trying send_msg');
      return { done: false };
    }
  }

  /** In the pool or with a servicer, one notice from people or the system may use the transfer's reply code. */
  async function sendOnReplyCode(row: OutboxRow, conv: Conversation, block: string): Promise<SendOutcome> {
    const code = row.author === 'bot' ? null : freshReplyCode(conv, clock.now());
    const rendered = code ? renderReply(row.reply) : null;
    const only = rendered?.ok && rendered.parts.length === 1 ? rendered.parts[0] : undefined;
    if (code && only?.msgtype === 'text') {
      const step = await sendWithCode(row, code, only);
      if (step.done) return step.outcome;
    }
    return { status: 'held', reason: block };
  }

  return {
    channel: 'wecom',
    checkWindow: (conv, now, opts) => checkWecomWindow(conv, now, opts),

    async send(row: OutboxRow, conv: Conversation): Promise<SendOutcome> {
      const target = targetOf(conv.key);
      if (!target) return { status: 'failed', reason: 'conversation key is not open_kfid:external_userid' };
      if (row.author === 'bot' && conv.mode === 'human') return { status: 'held', reason: REASON_HUMAN };
      const block = platformBlock(conv);
      if (block) return sendOnReplyCode(row, conv, block);
      const rendered = renderReply(row.reply);
      if (!rendered.ok) return { status: 'failed', reason: rendered.reason };
      const now = clock.now();

      const code = pickCode(row.reply.replyTo, now);
      const first = rendered.parts[0];
      if (code && first && rendered.parts.length === 1) {
        const step = await sendWithCode(row, code, first);
        if (step.done) return step.outcome;
      }

      const parts = rendered.parts.map((body, i) => ({ body, msgid: msgidFor(row.key, rendered.parts.length > 1 ? i + 1 : undefined) }));
      const lastMsgid = parts.at(-1)?.msgid ?? row.key;
      // Parts an earlier attempt got through are neither re-sent (reused msgid) nor counted again.
      const pending: typeof parts = [];
      for (const part of parts) if (!(await redis.exists(sentKey(part.msgid)))) pending.push(part);
      if (pending.length === 0) return { status: 'sent', platformMsgId: lastMsgid };
      const budget = sendBudget(conv, now, pending.length);
      if (!budget.ok) return { status: 'held', reason: budget.reason };

      let fresh = 0;
      let outcome: SendOutcome | null = null;
      for (const { body, msgid } of pending) {
        // Linked before sending: a msg_send_fail can arrive before this call returns.
        if (msgid !== row.key) await redis.set(msgidLinkKey(keyPrefix, msgid), row.key, 'EX', MARK_TTL_S);
        try {
          await client.sendMsg({ ...body, touser: target.externalUserId, open_kfid: target.openKfId, msgid });
        } catch (err) {
          outcome = refusal(err, msgid);
          if (outcome && err instanceof PlatformError && SESSION_REFUSALS.has(Number(err.platformCode))) {
            const learned = await learnSessionState({ client, store: deps.store, log, now }, conv, target);
            // A native handoff records its reply code right after the transfer: a notice from people or the
            // system tries once more, on that code (or is held then).
            if (row.author !== 'bot' && (learned === 'pool' || learned === 'servicer')) {
              outcome = { status: 'retry', reason: 'the WeCom session just moved to people: retrying on its reply code' };
            }
          }
          if (outcome) break;
          // null: duplicate msgid, an earlier attempt went through.
        }
        fresh++;
        await markSent(msgid);
      }
      // The pipeline counts one reply per sent row; each extra part counts against the cap too.
      const extra = outcome ? fresh : fresh - 1;
      if (extra > 0) await bumpReplies(deps.store, conv.id, extra);
      if (outcome) {
        log.warn({ outboxKey: row.key, status: outcome.status, customer: maskId(target.externalUserId) }, 'WeCom send not completed');
        return outcome;
      }
      return { status: 'sent', platformMsgId: lastMsgid };
    },
  };
}

/** Maps a send_msg failure to an outcome; null when the platform says this msgid was already accepted. */
function refusal(err: unknown, msgid: string): SendOutcome | null {
  if (err instanceof NetworkError) return { status: 'retry', reason: err.message };
  if (!(err instanceof PlatformError)) throw err;
  const code = Number(err.platformCode);
  if (isDuplicateMsgid(code, err.message)) return null;
  const held = SEND_HELD.get(code);
  if (held) return { status: 'held', reason: held };
  if (err.retryable) return { status: 'retry', reason: err.message };
  return { status: 'failed', reason: `${err.message} (msgid ${msgid})${err.hint ? `: ${err.hint}` : ''}` };
}

/** A welcome or session-end code from the message being answered, while it is still valid. */
function pickCode(replyTo: Record<string, string | number | boolean | null> | undefined, now: number): string | null {
  if (!replyTo) return null;
  for (const [codeKey, untilKey] of [
    ['welcomeCode', 'welcomeCodeExpiresAt'],
    ['endCode', 'endCodeExpiresAt'],
  ] as const) {
    const code = replyTo[codeKey];
    const until = replyTo[untilKey];
    if (typeof code === 'string' && code && typeof until === 'number' && now < until) return code;
  }
  return null;
}
