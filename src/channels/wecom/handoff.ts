/**
 * Native handoff (WECOM_HANDOFF=native): moves the kf session to the waiting pool (state 2) or to a named
 * servicer (state 3) with service_state/trans, so people answer from the WeCom client. The bot goes quiet at
 * once (mode 'human') and the conversation remembers the platform state, because send_msg is refused there.
 */
import { PlatformError } from '../../core/errors.js';
import { maskId } from '../../core/mask.js';
import type { Services } from '../../services.js';
import type { Conversation } from '../../store/types.js';
import { createWecomClient } from './create-client.js';
import { targetOf } from './map-message.js';
import { META } from './window.js';

export type HandoffResult =
  | { ok: true; state: 2 | 3; msgCode: string | null }
  | { ok: false; reason: string };

const ATTEMPTS = 8;

export async function transferToHuman(
  s: Pick<Services, 'config' | 'redis' | 'store' | 'log' | 'clock'>,
  conv: Conversation,
  servicerUserId?: string,
): Promise<HandoffResult> {
  const wecom = s.config.wecom;
  if (!wecom || wecom.handoff !== 'native') return { ok: false, reason: 'WECOM_HANDOFF is not native' };
  const target = conv.channel === 'wecom' ? targetOf(conv.key) : null;
  if (!target) return { ok: false, reason: 'not a WeCom conversation' };
  const client = createWecomClient(s, wecom);
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
  const platformState = want === 3 || state === 3 ? 'servicer' : 'pool';
  for (let i = 0; i < ATTEMPTS; i++) {
    const fresh = await s.store.getConversation(conv.id);
    if (!fresh) break;
    const meta = { ...fresh.meta, [META.state]: platformState, [META.stateAt]: s.clock.now() };
    if (await s.store.updateConversation(fresh.id, fresh.version, { mode: 'human', meta })) break;
  }
  s.log.info({ conversationId: conv.id, servicer: maskId(servicerUserId), state: want }, 'WeCom session handed to people');
  return { ok: true, state: want === 3 || state === 3 ? 3 : 2, msgCode };
}
