import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, scaled } from '../../config/load-config.js';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.store).toBe('sqlite');
    expect(c.redisUrl).toBeNull();
    expect(c.timeScale).toBe(1);
    expect(c.wecom).toBeNull();
    expect(c.douyin).toBeNull();
    expect(c.doudian).toBeNull();
    expect(c.wecomApiBase).toBe('https://qyapi.weixin.qq.com');
    expect(c.dataDir.endsWith('/data')).toBe(true);
  });

  it.each([
    [{ PORT: 'abc' }, /^PORT:/],
    [{ PORT: '70000' }, /^PORT:/],
    [{ STORE: 'postgres' }, /^STORE:/],
    [{ STORE: 'mongo' }, /^MONGODB_URI: required when STORE=mongo/],
    [{ REDIS_URL: 'http://x' }, /^REDIS_URL:/],
    [{ TIME_SCALE: '0' }, /^TIME_SCALE:/],
    [{ WECOM_ENCODING_AES_KEY: 'short' }, /^WECOM_ENCODING_AES_KEY: must be exactly 43/],
    [{ WECOM_CORP_ID: 'ww123' }, /^WECOM_KF_SECRET: required to turn on WeCom/],
    [{ DOUYIN_CLIENT_KEY: 'k' }, /^DOUYIN_CLIENT_SECRET: required to turn on Douyin/],
    [{ API_TOKEN: 'short' }, /^API_TOKEN: must be at least 16/],
    [{ DOUYIN_API_BASE: 'ftp://x' }, /^DOUYIN_API_BASE:/],
  ])('rejects %j with one line naming the variable', (env, message) => {
    let caught: unknown;
    try {
      loadConfig(env as Record<string, string>);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as Error).message).toMatch(message);
    expect((caught as Error).message).not.toContain('\n');
  });

  it('never echoes a secret back', () => {
    expect(() => loadConfig({ API_TOKEN: 'tiny-secret' })).toThrow(/got "ti…"/);
  });

  it('turns on a channel only when its whole group is set', () => {
    const c = loadConfig({
      WECOM_CORP_ID: 'wwcorp',
      WECOM_KF_SECRET: 's',
      WECOM_TOKEN: 'QDG6eK',
      WECOM_ENCODING_AES_KEY: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
      WECOM_API_BASE: 'http://127.0.0.1:9999/',
    });
    expect(c.wecom?.corpId).toBe('wwcorp');
    expect(c.wecom?.apiBase).toBe('http://127.0.0.1:9999');
    expect(c.wecom?.handoff).toBe('console');
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ PORT: '', REDIS_URL: '' }).port).toBe(3000);
  });

  it('scales business delays by TIME_SCALE', () => {
    expect(scaled({ timeScale: 60 }, 60_000)).toBe(1000);
    expect(scaled({ timeScale: 1 }, 1234)).toBe(1234);
  });
});
