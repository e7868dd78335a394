/**
 * Native handoff (WECOM_HANDOFF=native): when a WeCom case joins the people queue, a job moves the kf session
 * with service_state/trans (https://developer.work.weixin.qq.com/document/path/94669) to the waiting pool
 * (state 2), where servicers pick it up in the WeCom client, or to a named servicer (state 3, who must be
 * 接待中). From then on send_msg is refused (95018), so the conversation remembers the platform state and the
 * bot stays quiet; the msg_code WeCom returns lets one notice reach the customer (send_msg_on_event, 48 h,
 * text, only while the session is still in that state: https://developer.work.weixin.qq.com/document/path/95122).
 */
import { PlatformError } from '../../core/errors.js';
import type { Channel } from '../../core/types.js';
import { maskId } from '../../core/mask.js';
import { jobId } from '../../pipeline/keys.js';
import type { JobMap } from '../../queues/jobs.js';
import type { Services } from '../../services.js';
import type { Conversation } from '../../store/types.js';
import { patchConversationMeta } from './conversation-meta.js';
import { targetOf } from './map-message.js';
import { platformStateOf } from './session-state.js';
import { META } from './window.js';

export type TransferResult =
  | { ok: true; state: 2 | 3; msgCode: string | null }
  | { ok: false; reason: string };

/** Timer kind of the job that hands a session over (registered with the timer processor). */
export const SESSION_TRANSFER_TIMER = 'wecom_handoff';
/** A reply code from service_state/trans is good for 48 h (document/path/95122). */
export const REPLY_CODE_TTL_MS = 48 * 3600 * 1000;

type Deps = Pick<Services, 'config' | 'clients' | 'store' | 'log' | 'clock'>;

/**
 * Called when a case joins the people queue. With native handoff on and a WeCom conversation, queues the
 * transfer (retried by the queue on transport errors) and returns true; otherwise does nothing.
 */
export async function requestSessionTransfer(
  s: Pick<Services, 'config' | 'queues' | 'clock'>,
  input: { conversationId: string; channel: Channel; key: string },
): Promise<boolean> {
  if (input.channel !== 'wecom' || s.config.wecom?.handoff !== 'native') return false;
  const data: JobMap['timer'] = { kind: SESSION_TRANSFER_TIMER, subjectId: input.conversationId, dueAt: s.clock.now(), payload: {} };
  await s.queues.add('timer', data, { jobId: jobId(SESSION_TRANSFER_TIMER, input.conversationId, input.key) });
  return true;
}

/** The timer handler: hands the conversation's session to the pool. */
export async function onSessionTransferTimer(s: Services, job: JobMap['timer']): Promise<string> {
  const conv = await s.store.getConversation(job.subjectId);
  if (!conv) return 'conversation gone';
  const out = await transferToHuman(s, conv);
  return out.ok ? `handed over (state ${out.state})` : out.reason;
}

export async function transferToHuman(s: Deps, conv: Conversation, servicerUserId?: string): Promise<TransferResult> {
  const wecom = s.config.wecom;
  const client = s.clients.wecom;
  if (!wecom || !client || wecom.handoff !== 'native') return { ok: false, reason: 'WECOM_HANDOFF is not native' };
  const target = conv.channel === 'wecom' ? targetOf(conv.key) : null;
  if (!target) return { ok: false, reason: 'not a WeCom conversation' };
  const want: 2 | 3 = servicerUserId ? 3 : 2;

  const current = await client.getServiceState(target.openKfId, target.externalUserId);
  const state = current.service_state ?? 0;
  let msgCode: string | null = null;
  // Already where we want it (or with a person, when only "a person" was asked for): nothing to move.
  const done = state === want && (want === 2 || current.servicer_userid === servicerUserId);
  if (!done && !(want === 2 && state === 3)) {
    try {
      const res = await client.transServiceState({ ...target, state: want, ...(servicerUserId ? { servicerUserId } : {}) });
      msgCode = res.msg_code ?? null;
    } catch (err) {
      if (err instanceof PlatformError && !err.retryable) {
        s.log.warn({ code: err.platformCode, state, want }, 'WeCom service_state/trans refused');
        return { ok: false, reason: `WeCom refused the transfer: ${err.message}` };
      }
      throw err;
    }
  }
  const reached: 2 | 3 = want === 3 || state === 3 ? 3 : 2;
  const platformState = platformStateOf(reached);
  const now = s.clock.now();
  // Only the platform facts: the escalation itself switches the conversation to people.
  if (msgCode || conv.meta[META.state] !== platformState) {
    await patchConversationMeta(s.store, conv.id, {
      [META.state]: platformState,
      [META.stateAt]: now,
      ...(msgCode ? { [META.replyCode]: msgCode, [META.replyCodeExpiresAt]: now + REPLY_CODE_TTL_MS } : {}),
    });
  }
  s.log.info({ conversationId: conv.id, servicer: maskId(servicerUserId), state: reached }, 'WeCom session handed to people');
  return { ok: true, state: reached, msgCode };
}
