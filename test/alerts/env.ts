/**
 * Shared set-up for alert and radar tests: the fake WeCom (robot webhook and app message sinks), fronted by a
 * small local server that adds `externalcontact/groupchat/get` (the shared fake has no 客户联系 endpoints) and
 * passes everything else through; the real application from the harness (web role, no workers, so tests call
 * the alerts processor themselves); and the manual clock shared by the app and the fake.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Job } from 'bullmq';
import { alertsProcessor } from '../../src/alerts/index.js';
import type { JobMap } from '../../src/queues/jobs.js';
import type { Services } from '../../src/services.js';
import { startFakeWecom, type FakeWecom } from '../fakes/wecom/index.js';
import { SECRET, VECTOR, wecomEnv } from '../channels/wecom/env.js';
import { manualClock, type ManualClock } from '../helpers/clock.js';
import { startHarness } from '../helpers/harness.js';

export const ROBOT_KEY = 'robot-key-for-tests';
export const APP_SECRET = 'app-secret-for-tests';
export const AGENT_ID = 1000002;
/** Members WeCom knows (message/send answers `invaliduser` for others). */
export const MEMBERS = ['mgr1', 'sup1', 'owner1', 'agent1'];
export const BOT = { token: 'BotToken42', key: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG' } as const;

export interface Group {
  name: string;
  owner: string;
}

/** The fake plus groupchat/get: answers for `groups`, checks the token against the fake's issued tokens. */
export class GroupApi {
  readonly groups = new Map<string, Group>();
  calls = 0;
  private server: http.Server | null = null;
  baseUrl = '';

  constructor(private readonly fake: FakeWecom) {}

  async listen(): Promise<void> {
    const server = http.createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        res.writeHead(500);
        res.end(err instanceof Error ? err.message : 'proxy error');
      });
    });
    this.server = server;
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    this.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://proxy');
    if (url.pathname === '/cgi-bin/externalcontact/groupchat/get') {
      this.calls++;
      const send = (json: unknown): void => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(json));
      };
      const token = url.searchParams.get('access_token') ?? '';
      if (!this.fake.server.tokens.has(token)) return send({ errcode: 40014, errmsg: 'invalid access_token' });
      const { chat_id: chatId } = JSON.parse(body.toString('utf8') || '{}') as { chat_id?: string };
      const g = chatId ? this.groups.get(chatId) : undefined;
      if (!g) return send({ errcode: 701008, errmsg: 'chat not found' });
      return send({ errcode: 0, errmsg: 'ok', group_chat: { chat_id: chatId, name: g.name, owner: g.owner, create_time: 1718000000, member_list: [] } });
    }
    const upstream = await fetch(`${this.fake.baseUrl}${url.pathname}${url.search}`, {
      method: req.method ?? 'GET',
      headers: { 'content-type': req.headers['content-type'] ?? 'application/json' },
      ...(req.method === 'GET' || req.method === 'HEAD' ? {} : { body }),
    });
    res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
    res.end(Buffer.from(await upstream.arrayBuffer()));
  }
}

export interface AlertsEnv {
  fake: FakeWecom;
  api: GroupApi;
  services: Services;
  baseUrl: string;
  clock: ManualClock;
  /** Runs the alerts processor once, as the worker would. */
  deliver(reason?: string): Promise<string>;
  robotBodies(): string[];
  stop(): Promise<void>;
}

export interface AlertsEnvOptions {
  robot?: boolean;
  app?: boolean;
  bot?: boolean;
  env?: Record<string, string>;
}

export async function startAlertsEnv(opts: AlertsEnvOptions = {}): Promise<AlertsEnv> {
  const clock = manualClock(Date.now());
  const fake = await startFakeWecom({
    corpId: VECTOR.corpId,
    secret: SECRET,
    appSecrets: [APP_SECRET],
    agentId: AGENT_ID,
    robotKey: ROBOT_KEY,
    users: MEMBERS,
    clock,
  });
  const api = new GroupApi(fake);
  await api.listen();
  // Web role: no workers, so tests run the alerts processor themselves.
  const h = await startHarness({
    role: 'web',
    clock,
    env: {
      ...wecomEnv(api.baseUrl),
      ...(opts.robot === false ? {} : { WECOM_ROBOT_KEY: ROBOT_KEY }),
      ...(opts.app === false ? {} : { WECOM_AGENT_ID: String(AGENT_ID), WECOM_APP_SECRET: APP_SECRET }),
      ...(opts.bot ? { WECOM_BOT_TOKEN: BOT.token, WECOM_BOT_ENCODING_AES_KEY: BOT.key } : {}),
      ...opts.env,
    },
  });
  const services = h.services;
  const processor = alertsProcessor(services);
  return {
    fake,
    api,
    services,
    clock,
    deliver: (reason = 'test') => processor({ data: { reason } } as Job<JobMap['alerts']>),
    robotBodies: () => fake.model.alerts.filter((a) => a.kind === 'robot').map((a) => String((a.body.markdown as { content?: unknown } | undefined)?.content ?? '')),
    /** Where the app listens (the radar's bot callback route). */
    baseUrl: h.baseUrl,
    async stop() {
      await h.stop();
      await api.close();
      await fake.close();
    },
  };
}

/** Waiting + delayed + active alerts jobs. */
export async function alertJobs(s: Services): Promise<{ waiting: number; delayed: number }> {
  const c = await s.queues.get('alerts').getJobCounts('waiting', 'delayed', 'prioritized');
  return { waiting: (c.waiting ?? 0) + (c.prioritized ?? 0), delayed: c.delayed ?? 0 };
}

/** Any mainland mobile number left unmasked. */
export const UNMASKED_PHONE = /(?<!\d)1[3-9]\d{9}(?!\d)/;
