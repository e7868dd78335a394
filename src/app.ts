/**
 * Composition: builds the services once (createServices) and starts the web half, the worker half, or both.
 * Imported only by the roots (src/main.ts, src/worker.ts) and by the test harness.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { siteUrl, type Config } from '../config/load-config.js';
import { createHttpApp, type RouteModule } from '../handlers/http/app.js';
import { createInFlight } from '../handlers/http/in-flight.js';
import { conversationProcessor } from '../handlers/jobs/conversation.js';
import { sendProcessor } from '../handlers/jobs/send.js';
import { doudianRoutes } from '../handlers/http/doudian.js';
import { douyinRoutes } from '../handlers/http/douyin.js';
import { wecomRoutes } from '../handlers/http/wecom.js';
import { doudianEventProcessor } from '../handlers/jobs/doudian-event.js';
import { wecomSyncProcessor } from '../handlers/jobs/wecom-sync.js';
import { startTokenWatch } from './tokens/watch.js';
import { timerProcessor } from '../handlers/jobs/timer.js';
import { assignProcessor } from '../handlers/jobs/assign.js';
import { wecomBotRoutes } from '../handlers/http/wecom-bot.js';
import { createApiRoutes } from '../handlers/http/api.js';
import { consoleRoutes } from '../handlers/http/console.js';
import { dashboardRoutes } from '../handlers/http/dashboard.js';
import { scheduleDigest } from './analytics/digest.js';
import { rebuildOverdueTimers } from './improve/overdue.js';
import { scheduleWecomSweep } from './channels/wecom/sweep.js';
import { onCaseResolved, rebuildFollowups } from './followup/index.js';
import { alertsProcessor, scheduleAlerts } from './alerts/index.js';
import { peopleHooks } from './handoff/people-hooks.js';
import { rebuildSlaTimers } from './handoff/sla.js';
import { createAppDialogueBot } from './dialogue/default-bot.js';
import { ensureAdmin } from './console/admin.js';
import type { BotHandler } from './pipeline/bot.js';
import { reconcile } from './pipeline/reconcile.js';
import { createRedis } from './queues/connection.js';
import { startWorkers, type Processors, type WorkerSet } from './queues/workers.js';
import { createServices, type ServiceOptions, type Services } from './services.js';

export type Role = 'all' | 'web' | 'worker';

export interface RunningApp {
  services: Services;
  /** Base URL of the HTTP server, when this role serves HTTP. */
  url: string | null;
  adminPasswordGenerated: string | null;
  stop(): Promise<void>;
}

export interface StartOptions extends ServiceOptions {
  role: Role;
  /** Replaces the dialogue bot (tests of the pipeline's failure handling); default: the shop's real bot. */
  bot?: BotHandler;
}

export async function startApplication(config: Config, opts: StartOptions): Promise<RunningApp> {
  const log = opts.log;
  const { services, tokenKeepers, close } = await createServices(config, opts);
  const { store } = services;
  // Resolving a case (console, API) schedules its survey and follow-up visit.
  const routes: RouteModule[] = [consoleRoutes, createApiRoutes({ resolvedHooks: [onCaseResolved] }), dashboardRoutes, wecomBotRoutes];
  const processors: Processors = {};
  if (services.clients.wecom) {
    routes.push(wecomRoutes);
    processors['wecom-sync'] = wecomSyncProcessor(services, services.clients.wecom);
  }
  if (config.douyin) routes.push(douyinRoutes);
  if (services.clients.doudian) {
    routes.push(doudianRoutes);
    processors['doudian-event'] = doudianEventProcessor(services, services.clients.doudian);
  }

  const admin = await ensureAdmin(store, config);

  let server: http.Server | null = null;
  const inFlight = createInFlight();
  let url: string | null = null;
  if (opts.role !== 'worker') {
    const app = createHttpApp(services, routes, inFlight);
    server = http.createServer(app.callback());
    // Slow-loris defence: headers must arrive within 10 s, a whole request within 30 s.
    server.headersTimeout = 10_000;
    server.requestTimeout = 30_000;
    server.keepAliveTimeout = 5_000;
    const listening = server;
    await new Promise<void>((resolve, reject) => {
      listening.once('error', reject);
      listening.listen(config.port, config.host, () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    url = siteUrl(config, port);
  }

  let workers: WorkerSet | null = null;
  let workerRedis: ReturnType<typeof createRedis> | null = null;
  let sweeper: NodeJS.Timeout | null = null;
  let tokenWatch: { stop(): void } | null = null;
  if (opts.role !== 'web' && config.redisUrl) {
    workerRedis = createRedis(config.redisUrl, { forWorker: true, name: 'asa-worker', log });
    const bot = opts.bot ?? createAppDialogueBot(services);
    workers = startWorkers({
      connection: workerRedis,
      prefix: config.queuePrefix,
      processors: {
        ...processors,
        conversation: conversationProcessor(services, bot, peopleHooks(services)),
        send: sendProcessor(services),
        timer: timerProcessor(services),
        assign: assignProcessor(services),
        alerts: alertsProcessor(services),
      },
      concurrency: { conversation: config.workerConcurrency, send: config.workerConcurrency, assign: 1, alerts: 1 },
      lockDuration: config.workerLockMs,
      log,
    });
    const sweep = (): void => {
      reconcile(services, { pendingOlderThanMs: 60_000 }).then(
        (r) => {
          if (r.conversations + r.replies > 0) log.info(r, 'reconciled pending work from the store');
        },
        (err: unknown) => log.warn({ err: err instanceof Error ? err.message : String(err) }, 'reconcile failed'),
      );
    };
    sweep();
    // SLA timers live in Redis; the store has the deadlines, so a restart (or a Redis loss) re-creates them.
    rebuildSlaTimers(services).then(
      (n) => {
        if (n > 0) log.info({ cases: n }, 'SLA timers rebuilt from the store');
      },
      (err: unknown) => log.warn({ err: err instanceof Error ? err.message : String(err) }, 'SLA timer rebuild failed'),
    );
    rebuildFollowups(services).then(
      (r) => {
        if (r.rescheduled > 0) log.info(r, 'surveys and follow-ups rebuilt from the store');
      },
      (err: unknown) => log.warn({ err: err instanceof Error ? err.message : String(err) }, 'follow-up rebuild failed'),
    );
    // Overdue alarms of open improvement items (改进单) live in Redis too; the store has the due dates.
    rebuildOverdueTimers(services).catch((err: unknown) => log.warn({ err: err instanceof Error ? err.message : String(err) }, 'improvement overdue timers not rebuilt'));
    // Weekly digest and spike alerts, Monday 09:00 China time; one job scheduler, updated in place.
    scheduleDigest(services).catch((err: unknown) => log.warn({ err: err instanceof Error ? err.message : String(err) }, 'weekly digest not scheduled'));
    // WeCom messages whose callback never came (we were down, it was lost) are pulled now and every 5 minutes.
    scheduleWecomSweep(services).catch((err: unknown) => log.warn({ err: err instanceof Error ? err.message : String(err) }, 'kf account sweep not scheduled'));
    // Alerts left undelivered before a restart go out now.
    scheduleAlerts(services, 'startup').catch((err: unknown) => log.warn({ err: err instanceof Error ? err.message : String(err) }, 'alerts kick failed'));
    sweeper = setInterval(sweep, 30_000);
    // Platform tokens are refreshed ahead of expiry and the managers warned before a refresh token runs out.
    if (tokenKeepers.length > 0) tokenWatch = startTokenWatch(tokenKeepers, log);
    sweeper.unref();
  }

  let stopped = false;
  return {
    services,
    url,
    adminPasswordGenerated: admin.generated,
    async stop() {
      if (stopped) return;
      stopped = true;
      if (sweeper) clearInterval(sweeper);
      tokenWatch?.stop();
      const closing = server
        ? new Promise<void>((resolve) => {
            server?.close(() => resolve());
            server?.closeIdleConnections();
          })
        : Promise.resolve();
      await workers?.close(config.shutdownTimeoutMs);
      await closing;
      // A handler whose client already left still finishes its inbox write and trigger before Redis closes.
      if (!(await inFlight.settled(config.shutdownTimeoutMs))) log.warn('requests still running at shutdown; their messages are picked up by the reconciler');
      await workerRedis?.quit().catch(() => undefined);
      await close();
    },
  };
}
