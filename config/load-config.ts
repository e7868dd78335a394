/**
 * The only place that reads environment variables. `loadConfig(env)` is pure: it validates once and returns
 * a frozen object that is passed down. An invalid value throws ConfigError with one line naming the variable.
 */
import path from 'node:path';
import { z } from 'zod';

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const emptyToUndefined = (v: unknown): unknown => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const opt = <T extends z.ZodType>(schema: T) => z.preprocess(emptyToUndefined, schema.optional());
const origin = z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, ''));

const envSchema = z.object({
  PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).default(3000)),
  HOST: z.preprocess(emptyToUndefined, z.string().default('0.0.0.0')),
  DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('./data')),
  REDIS_URL: opt(z.url({ protocol: /^rediss?$/ })),
  STORE: z.preprocess(emptyToUndefined, z.enum(['sqlite', 'mongo']).default('sqlite')),
  MONGODB_URI: opt(z.string().regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://')),
  API_TOKEN: opt(z.string().min(16, 'must be at least 16 characters')),
  ADMIN_PASSWORD: opt(z.string().min(10, 'must be at least 10 characters')),
  SHOP_NAME: z.preprocess(emptyToUndefined, z.string().max(40).default('本店')),
  LOG_LEVEL: z.preprocess(
    emptyToUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),

  WECOM_CORP_ID: opt(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be the corp id (letters and digits)')),
  WECOM_KF_SECRET: opt(z.string().min(1)),
  WECOM_TOKEN: opt(z.string().regex(/^[A-Za-z0-9]{1,32}$/, 'must be 1-32 letters or digits')),
  WECOM_ENCODING_AES_KEY: opt(z.string().regex(/^[A-Za-z0-9]{43}$/, 'must be exactly 43 letters or digits')),
  WECOM_API_BASE: z.preprocess(emptyToUndefined, origin.default('https://qyapi.weixin.qq.com')),
  WECOM_HANDOFF: z.preprocess(emptyToUndefined, z.enum(['console', 'native']).default('console')),
  WECOM_AGENT_ID: opt(z.coerce.number().int().positive()),
  WECOM_APP_SECRET: opt(z.string().min(1)),
  WECOM_ROBOT_KEY: opt(z.string().min(1)),
  WECOM_BOT_TOKEN: opt(z.string().regex(/^[A-Za-z0-9]{1,32}$/, 'must be 1-32 letters or digits')),
  WECOM_BOT_ENCODING_AES_KEY: opt(z.string().regex(/^[A-Za-z0-9]{43}$/, 'must be exactly 43 letters or digits')),

  DOUYIN_CLIENT_KEY: opt(z.string().min(1)),
  DOUYIN_CLIENT_SECRET: opt(z.string().min(1)),
  DOUYIN_ACCESS_TOKEN: opt(z.string().min(1)),
  DOUYIN_REFRESH_TOKEN: opt(z.string().min(1)),
  DOUYIN_BUSINESS_OPEN_ID: opt(z.string().min(1)),
  DOUYIN_API_BASE: z.preprocess(emptyToUndefined, origin.default('https://open.douyin.com')),

  DOUDIAN_APP_KEY: opt(z.string().min(1)),
  DOUDIAN_APP_SECRET: opt(z.string().min(1)),
  DOUDIAN_SHOP_ID: opt(z.string().min(1)),
  DOUDIAN_ACCESS_TOKEN: opt(z.string().min(1)),
  DOUDIAN_REFRESH_TOKEN: opt(z.string().min(1)),
  DOUDIAN_API_BASE: z.preprocess(emptyToUndefined, origin.default('https://openapi-fxg.jinritemai.com')),

  TIME_SCALE: z.preprocess(emptyToUndefined, z.coerce.number().positive().max(1_000_000).default(1)),
  WORKER_CONCURRENCY: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(200).default(8)),
  SHUTDOWN_TIMEOUT_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(100).max(120_000).default(10_000)),
  INBOX_SETTLE_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(10_000).default(250)),
  WORKER_LOCK_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1000).max(600_000).default(30_000)),
  QUEUE_PREFIX: z.preprocess(emptyToUndefined, z.string().regex(/^[A-Za-z0-9:_-]{1,40}$/).default('asa')),

  SIMULATOR: opt(z.enum(['on', 'off'], 'must be on or off')),
  SIMULATOR_POSTS_PER_VISITOR: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(1_000_000).default(20)),
  SIMULATOR_POSTS_PER_ADDRESS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(1_000_000).default(60)),
  DISK_MIN_FREE_MB: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(100_000_000).default(200)),
  TRUST_PROXY: z.preprocess(emptyToUndefined, z.enum(['on', 'off'], 'must be on or off').default('off')),
});

type Env = z.infer<typeof envSchema>;

/** Groups of variables that only make sense together: all set, or none. */
const GROUPS: Record<string, (keyof Env)[]> = {
  WeCom: ['WECOM_CORP_ID', 'WECOM_KF_SECRET', 'WECOM_TOKEN', 'WECOM_ENCODING_AES_KEY'],
  Douyin: ['DOUYIN_CLIENT_KEY', 'DOUYIN_CLIENT_SECRET', 'DOUYIN_ACCESS_TOKEN', 'DOUYIN_BUSINESS_OPEN_ID'],
  抖店: ['DOUDIAN_APP_KEY', 'DOUDIAN_APP_SECRET', 'DOUDIAN_SHOP_ID'],
  'WeCom 智能机器人': ['WECOM_BOT_TOKEN', 'WECOM_BOT_ENCODING_AES_KEY'],
};

export interface WecomConfig {
  corpId: string;
  kfSecret: string;
  token: string;
  encodingAesKey: string;
  apiBase: string;
  handoff: 'console' | 'native';
}

export interface DouyinConfig {
  clientKey: string;
  clientSecret: string;
  /** The first token only: the token lifecycle (src/tokens) keeps the newest one in the store. */
  accessToken: string;
  /** Lets the service renew the token itself (15-day access token, 30-day refresh token). */
  refreshToken?: string | null;
  businessOpenId: string;
  apiBase: string;
}

export interface DoudianConfig {
  appKey: string;
  appSecret: string;
  shopId: string;
  /** The first token only: the token lifecycle (src/tokens) keeps the newest one in the store. */
  accessToken: string | null;
  /** Lets the service renew the token itself (7-day access token, 14-day refresh token renewed with it). */
  refreshToken?: string | null;
  apiBase: string;
}

export interface AlertConfig {
  /** Internal app for app messages to agents and managers (needs WECOM_CORP_ID). */
  agentId: number | null;
  appSecret: string | null;
  robotKey: string | null;
}

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  redisUrl: string | null;
  store: 'sqlite' | 'mongo';
  mongodbUri: string | null;
  apiToken: string | null;
  adminPassword: string | null;
  shopName: string;
  logLevel: Env['LOG_LEVEL'];
  timeScale: number;
  workerConcurrency: number;
  shutdownTimeoutMs: number;
  queuePrefix: string;
  /** How long a fresh inbox row waits so that earlier-sent messages delivered later are still applied first. */
  inboxSettleMs: number;
  /** BullMQ lock duration; a crashed worker's job is retried after about twice this. */
  workerLockMs: number;
  wecom: WecomConfig | null;
  wecomApiBase: string;
  wecomBot: { token: string; encodingAesKey: string } | null;
  douyin: DouyinConfig | null;
  doudian: DoudianConfig | null;
  alerts: AlertConfig;
  /** The web chat simulator: SIMULATOR=on/off, else on only while no shopper channel (WeCom, Douyin) is configured. */
  simulator: { enabled: boolean; postsPerVisitorPerMinute: number; postsPerAddressPerMinute: number };
  /** Take the client address from X-Forwarded-For (only behind a proxy that sets it). */
  trustProxy: boolean;
  /** /readyz fails when the DATA_DIR file system has less free space than this (SQLite and evidence live there). */
  diskMinFreeMb: number;
}

export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? 'environment');
    const shown = env[name] === undefined ? '' : ` (got ${JSON.stringify(mask(name, env[name] ?? ''))})`;
    throw new ConfigError(`${name}: ${issue?.message ?? 'invalid'}${shown}`);
  }
  const e = parsed.data;

  for (const [label, names] of Object.entries(GROUPS)) {
    const set = names.filter((n) => e[n] !== undefined);
    if (set.length > 0 && set.length < names.length) {
      const missing = names.filter((n) => e[n] === undefined);
      throw new ConfigError(`${missing[0]}: required to turn on ${label} (set ${names.join(', ')} together, or none)`);
    }
  }
  if (e.STORE === 'mongo' && !e.MONGODB_URI) throw new ConfigError('MONGODB_URI: required when STORE=mongo');
  if ((e.WECOM_AGENT_ID === undefined) !== (e.WECOM_APP_SECRET === undefined)) {
    throw new ConfigError(
      `${e.WECOM_AGENT_ID === undefined ? 'WECOM_AGENT_ID' : 'WECOM_APP_SECRET'}: set WECOM_AGENT_ID and WECOM_APP_SECRET together`,
    );
  }
  if (e.WECOM_AGENT_ID !== undefined && !e.WECOM_CORP_ID) {
    throw new ConfigError('WECOM_CORP_ID: required for app messages (WECOM_AGENT_ID)');
  }

  const config: Config = {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    redisUrl: e.REDIS_URL ?? null,
    store: e.STORE,
    mongodbUri: e.MONGODB_URI ?? null,
    apiToken: e.API_TOKEN ?? null,
    adminPassword: e.ADMIN_PASSWORD ?? null,
    shopName: e.SHOP_NAME,
    logLevel: e.LOG_LEVEL,
    timeScale: e.TIME_SCALE,
    workerConcurrency: e.WORKER_CONCURRENCY,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    queuePrefix: e.QUEUE_PREFIX,
    inboxSettleMs: e.INBOX_SETTLE_MS,
    workerLockMs: e.WORKER_LOCK_MS,
    wecom: e.WECOM_CORP_ID
      ? {
          corpId: e.WECOM_CORP_ID,
          kfSecret: e.WECOM_KF_SECRET as string,
          token: e.WECOM_TOKEN as string,
          encodingAesKey: e.WECOM_ENCODING_AES_KEY as string,
          apiBase: e.WECOM_API_BASE,
          handoff: e.WECOM_HANDOFF,
        }
      : null,
    wecomApiBase: e.WECOM_API_BASE,
    wecomBot: e.WECOM_BOT_TOKEN
      ? { token: e.WECOM_BOT_TOKEN, encodingAesKey: e.WECOM_BOT_ENCODING_AES_KEY as string }
      : null,
    douyin: e.DOUYIN_CLIENT_KEY
      ? {
          clientKey: e.DOUYIN_CLIENT_KEY,
          clientSecret: e.DOUYIN_CLIENT_SECRET as string,
          accessToken: e.DOUYIN_ACCESS_TOKEN as string,
          refreshToken: e.DOUYIN_REFRESH_TOKEN ?? null,
          businessOpenId: e.DOUYIN_BUSINESS_OPEN_ID as string,
          apiBase: e.DOUYIN_API_BASE,
        }
      : null,
    doudian: e.DOUDIAN_APP_KEY
      ? {
          appKey: e.DOUDIAN_APP_KEY,
          appSecret: e.DOUDIAN_APP_SECRET as string,
          shopId: e.DOUDIAN_SHOP_ID as string,
          accessToken: e.DOUDIAN_ACCESS_TOKEN ?? null,
          refreshToken: e.DOUDIAN_REFRESH_TOKEN ?? null,
          apiBase: e.DOUDIAN_API_BASE,
        }
      : null,
    alerts: {
      agentId: e.WECOM_AGENT_ID ?? null,
      appSecret: e.WECOM_APP_SECRET ?? null,
      robotKey: e.WECOM_ROBOT_KEY ?? null,
    },
    simulator: {
      enabled: e.SIMULATOR ? e.SIMULATOR === 'on' : !e.WECOM_CORP_ID && !e.DOUYIN_CLIENT_KEY,
      postsPerVisitorPerMinute: e.SIMULATOR_POSTS_PER_VISITOR,
      postsPerAddressPerMinute: e.SIMULATOR_POSTS_PER_ADDRESS,
    },
    trustProxy: e.TRUST_PROXY === 'on',
    diskMinFreeMb: e.DISK_MIN_FREE_MB,
  };
  return Object.freeze(config);
}

/** Business delays (reminders, SLA, surveys) divided by TIME_SCALE. */
export function scaled(config: Pick<Config, 'timeScale'>, ms: number): number {
  return Math.max(1, Math.round(ms / config.timeScale));
}

function mask(name: string, value: string): string {
  if (/SECRET|TOKEN|PASSWORD|KEY|URI|URL/.test(name)) return value.length > 4 ? `${value.slice(0, 2)}…` : '…';
  return value.length > 40 ? `${value.slice(0, 40)}…` : value;
}

/** The address people open in a browser: the listening host (localhost for a wildcard host) and port. */
export function siteUrl(config: Pick<Config, 'host'>, port: number): string {
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host.includes(':') ? `[${config.host}]` : config.host;
  return `http://${host}:${port}`;
}
