/**
 * The kf session state (service_state/get, https://developer.work.weixin.qq.com/document/path/94669) as the
 * conversation remembers it: 2 待接入池 → 'pool', 3 人工接待 → 'servicer', 4 已结束 → 'ended'. In those states
 * send_msg is refused (95018), so the window holds bot replies instead of attempting them. 0 未处理 and
 * 1 智能助手接待 allow API replies and leave nothing to remember.
 */
import { maskId } from '../../core/mask.js';
import type { Logger } from '../../log.js';
import type { Conversation, Store } from '../../store/types.js';
import type { WecomClient } from './client.js';
import { patchConversationMeta } from './conversation-meta.js';
import { META } from './window.js';

export type PlatformState = 'pool' | 'servicer' | 'ended';

export function platformStateOf(serviceState: number): PlatformState | null {
  if (serviceState === 2) return 'pool';
  if (serviceState === 3) return 'servicer';
  if (serviceState === 4) return 'ended';
  return null;
}

/**
 * After a send_msg refused for the session state: asks WeCom where the session is and records it, so the next
 * replies are held without another refused call. A failed look-up changes nothing (the row is held either way).
 */
export async function learnSessionState(
  deps: { client: WecomClient; store: Store; log: Logger; now: number },
  conv: Conversation,
  target: { openKfId: string; externalUserId: string },
): Promise<PlatformState | null> {
  try {
    const res = await deps.client.getServiceState(target.openKfId, target.externalUserId);
    const state = platformStateOf(res.service_state ?? 0);
    if (state) await patchConversationMeta(deps.store, conv.id, { [META.state]: state, [META.stateAt]: deps.now });
    deps.log.info({ customer: maskId(target.externalUserId), serviceState: res.service_state }, 'WeCom session state learned after a refused send');
    return state;
  } catch (err) {
    deps.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'WeCom session state look-up failed');
    return null;
  }
}
