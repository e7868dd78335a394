/**
 * Douyin/抖店 channel tests on the real application (test/helpers/harness.ts, web role: HTTP routes, no
 * workers, so tests drive the worker-side code themselves), configured for Douyin and 抖店 with the test
 * credentials below; platform API bases point at the fakes the tests start.
 */
import type { Clock } from '../../../src/core/clock.js';
import type { InboxRow } from '../../../src/store/types.js';
import type { Services } from '../../../src/services.js';
import { startHarness } from '../../helpers/harness.js';

export const DY = {
  clientKey: 'awtestkey',
  clientSecret: 'dy-secret-123',
  accessToken: 'act.dy-token',
  businessOpenId: 'biz-open-id',
};
export const DD = { appKey: '7000000000000000001', appSecret: 'dd-secret-abc', shopId: '123456', accessToken: 'dd-token' };

export interface Rig {
  services: Services;
  baseUrl: string;
  /** The inbox rows stored for a Douyin user's conversation (none when no conversation exists). */
  inbound(platformUserId: string): Promise<InboxRow[]>;
  stop(): Promise<void>;
}

/** The 抖店 variables of DD, for a harness started against a fake 抖店 API at `apiBase`. */
export const doudianEnv = (apiBase: string): Record<string, string> => ({
  DOUDIAN_APP_KEY: DD.appKey,
  DOUDIAN_APP_SECRET: DD.appSecret,
  DOUDIAN_SHOP_ID: DD.shopId,
  DOUDIAN_ACCESS_TOKEN: DD.accessToken,
  DOUDIAN_API_BASE: apiBase,
});

export function rigEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    DOUYIN_CLIENT_KEY: DY.clientKey,
    DOUYIN_CLIENT_SECRET: DY.clientSecret,
    DOUYIN_ACCESS_TOKEN: DY.accessToken,
    DOUYIN_BUSINESS_OPEN_ID: DY.businessOpenId,
    DOUDIAN_APP_KEY: DD.appKey,
    DOUDIAN_APP_SECRET: DD.appSecret,
    DOUDIAN_SHOP_ID: DD.shopId,
    DOUDIAN_ACCESS_TOKEN: DD.accessToken,
    ...extra,
  };
}

export async function startRig(opts: { env?: Record<string, string>; clock?: Clock } = {}): Promise<Rig> {
  const h = await startHarness({ role: 'web', env: rigEnv(opts.env), ...(opts.clock ? { clock: opts.clock } : {}) });
  const { store } = h.services;
  return {
    services: h.services,
    baseUrl: h.baseUrl,
    async inbound(platformUserId) {
      const conv = await store.findConversation('douyin', platformUserId);
      return conv ? store.listInbound(conv.id, 100) : [];
    },
    stop: () => h.stop(),
  };
}
