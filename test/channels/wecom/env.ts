/**
 * Shared set-up for WeCom channel tests: the official test vector's credentials, a fake WeCom, and the real
 * application built by the harness (no workers: jobs just wait in a queue with a unique prefix), so sync,
 * sender and client run exactly as in production against the fake.
 */
import type { WecomClient } from '../../../src/channels/wecom/client.js';
import type { ChannelSender } from '../../../src/channels/types.js';
import type { Clock } from '../../../src/core/clock.js';
import type { Services } from '../../../src/services.js';
import { startFakeWecom, type FakeWecom } from '../../fakes/wecom/index.js';
import { startHarness } from '../../helpers/harness.js';

/** The test vector of the official WXBizMsgCrypt samples (https://developer.work.weixin.qq.com/document/path/90307). */
export const VECTOR = {
  token: 'QDG6eK',
  key: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  corpId: 'wx5823bf96d3bd56c7',
} as const;

export const KF = 'wkAAA111';
export const SECRET = 'kf-secret-for-tests';

export function wecomEnv(apiBase: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    WECOM_CORP_ID: VECTOR.corpId,
    WECOM_KF_SECRET: SECRET,
    WECOM_TOKEN: VECTOR.token,
    WECOM_ENCODING_AES_KEY: VECTOR.key,
    WECOM_API_BASE: apiBase,
    ...extra,
  };
}

export interface WecomTestEnv {
  fake: FakeWecom;
  services: Services;
  sender: ChannelSender;
  client: WecomClient;
  stop(): Promise<void>;
}

/** The real application (web role: no workers, so jobs wait in their queue) configured for the fake WeCom. */
export async function startWecomEnv(opts: { clock?: Clock; env?: Record<string, string> } = {}): Promise<WecomTestEnv> {
  const fake = await startFakeWecom({ corpId: VECTOR.corpId, secret: SECRET, openKfIds: [KF, 'wkBBB222'], ...(opts.clock ? { clock: opts.clock } : {}) });
  const h = await startHarness({ role: 'web', env: wecomEnv(fake.baseUrl, opts.env), ...(opts.clock ? { clock: opts.clock } : {}) });
  const { senders, clients } = h.services;
  if (!senders.wecom || !clients.wecom) throw new Error('WeCom channel not built from the WeCom variables');
  return {
    fake,
    services: h.services,
    sender: senders.wecom,
    client: clients.wecom,
    async stop() {
      await h.stop();
      await fake.close();
    },
  };
}

export const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('JFIF fake image bytes for tests')]);
export const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]);
