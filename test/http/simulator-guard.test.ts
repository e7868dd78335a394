/**
 * The simulator is not an open door: off once a real channel is configured (unless SIMULATOR=on), the visitor is
 * the cookie's, posts are limited per visitor and per address (X-Forwarded-For believed only with TRUST_PROXY),
 * and the page is framed by nobody. Also: prototype names are not dashboard assets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load-config.js';
import { startHarness, type Harness } from '../helpers/harness.js';

const WECOM = { WECOM_CORP_ID: 'ww1', WECOM_KF_SECRET: 's', WECOM_TOKEN: 'tok', WECOM_ENCODING_AES_KEY: 'a'.repeat(43) };

describe('when the simulator is on', () => {
  it('is on with no shopper channel, off once WeCom or Douyin is configured, and SIMULATOR decides when set', () => {
    expect(loadConfig({}).simulator.enabled).toBe(true);
    expect(loadConfig(WECOM).simulator.enabled).toBe(false);
    expect(loadConfig({ ...WECOM, SIMULATOR: 'on' }).simulator.enabled).toBe(true);
    expect(loadConfig({ SIMULATOR: 'off' }).simulator.enabled).toBe(false);
    expect(() => loadConfig({ SIMULATOR: 'yes' })).toThrow(/SIMULATOR: must be on or off/);
  });

  it('answers 404 when off', async () => {
    const off = await startHarness({ env: { SIMULATOR: 'off' } });
    try {
      expect((await fetch(`${off.baseUrl}/simulator`)).status).toBe(404);
      const post = await fetch(`${off.baseUrl}/simulator/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":"hi"}' });
      expect(post.status).toBe(404);
      expect((await fetch(`${off.baseUrl}/`, { redirect: 'manual' })).headers.get('location')).toBe('/console');
    } finally {
      await off.stop();
    }
  });
});

describe('simulator guard', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { SIMULATOR_POSTS_PER_VISITOR: '3', SIMULATOR_POSTS_PER_ADDRESS: '6' } });
  });
  afterAll(async () => h.stop());

  const post = (body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(`${h.baseUrl}/simulator/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('gives the page the console’s CSP and frame protection', async () => {
    const res = await fetch(`${h.baseUrl}/simulator`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });

  it('never lets a post speak for another visitor', async () => {
    const res = await post({ visitorId: 'victim-visitor-1', clientMsgId: 'x1', text: '我要退款' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('visitor_mismatch');
    expect(await h.services.store.findConversation('web', 'victim-visitor-1')).toBeNull();
  });

  it('limits posts per visitor, then per address even for fresh visitors and forged X-Forwarded-For', async () => {
    const cookie = 'asa_visitor=flood-visitor-1';
    for (let i = 0; i < 3; i++) expect((await post({ clientMsgId: `f${i}`, text: `第${i}条` }, { cookie })).status).toBe(202);
    const limited = await post({ clientMsgId: 'f3', text: '第3条' }, { cookie });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await limited.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('too_many_messages');
    expect(body.error.message).toMatch(/秒后再发/);
    // The address has used 5 of its 6 (the refused post of the test above + 4 here); a new visitor gets the last
    // one, and neither a new visitor nor a forged X-Forwarded-For starts a fresh count.
    expect((await post({ clientMsgId: 'n1', text: '你好' })).status).toBe(202);
    expect((await post({ clientMsgId: 'n2', text: '你好' }, { 'x-forwarded-for': '203.0.113.9' })).status).toBe(429);
    const conv = await h.services.store.findConversation('web', 'flood-visitor-1');
    expect((await h.services.store.listInbound(conv?.id as string, 100)).length).toBe(3);
  });

  it('answers 404 for prototype names in dashboard asset paths', async () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect((await fetch(`${h.baseUrl}/console/dashboard/${name}`)).status, name).toBe(404);
    }
  });
});

describe('/readyz', () => {
  it('reports a data folder without room', async () => {
    const full = await startHarness({ env: { DISK_MIN_FREE_MB: '100000000' } });
    try {
      const res = await fetch(`${full.baseUrl}/readyz`);
      expect(res.status).toBe(503);
      expect(((await res.json()) as { failed: string[] }).failed.join()).toMatch(/disk: \d+ MB free in DATA_DIR/);
    } finally {
      await full.stop();
    }
  });
});
