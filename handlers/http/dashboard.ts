/**
 * The community managers' dashboard (issue #9): the page, its JSON, CSV exports, spikes, showcase reviews and
 * the customer view; the improvement items register from handlers/http/improve.ts. Thin: parse filters →
 * src/analytics → answer. Everything needs a console session or the API token with a manager, supervisor or
 * admin role; the customer view is open to agents too, who are the ones who would otherwise ask a buyer twice.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type Router from '@koa/router';
import type { Context } from 'koa';
import { customerView } from '../../src/analytics/customer-view.js';
import { metricsCsv, showcaseCsv, spikesCsv } from '../../src/analytics/csv.js';
import { loadDashboard, TABLES, type TableName } from '../../src/analytics/dashboard.js';
import { buildDigest } from '../../src/analytics/digest.js';
import { loadLabels } from '../../src/analytics/labels.js';
import { parseChannel, parseFilters, startOfLocalWeek, type Period } from '../../src/analytics/period.js';
import { listShowcase } from '../../src/analytics/showcase.js';
import { detectSpikes } from '../../src/analytics/spikes.js';
import { listItemsFor } from '../../src/improve/items.js';
import { improvementsCsv } from '../../src/improve/report.js';
import { viewItems } from '../../src/improve/view.js';
import { actorOf, principalOf, requireRole, type Principal } from './console-auth.js';
import { improvementRoutes } from './improve.js';
import { badRequest } from '../../src/core/errors.js';
import { CASE_CATEGORIES, CHANNELS } from '../../src/core/types.js';
import { projectRoot } from '../../src/paths.js';
import type { Services } from '../../src/services.js';
import type { RouteModule } from './app.js';

const managers = requireRole('manager', 'supervisor', 'admin');
const anyStaff = requireRole('agent', 'manager', 'supervisor', 'admin');

const dir = path.join(projectRoot, 'templates/console');
const chartJs = path.join(path.dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.js');
const ASSETS: Record<string, { file: string; type: string }> = {
  'app.js': { file: path.join(dir, 'dashboard.js'), type: 'application/javascript; charset=utf-8' },
  'render.js': { file: path.join(dir, 'dashboard-render.js'), type: 'application/javascript; charset=utf-8' },
  'app.css': { file: path.join(dir, 'dashboard.css'), type: 'text/css; charset=utf-8' },
  'improve.js': { file: path.join(dir, 'improve.js'), type: 'application/javascript; charset=utf-8' },
  'improve-panel.js': { file: path.join(dir, 'improve-panel.js'), type: 'application/javascript; charset=utf-8' },
  'chart.umd.js': { file: chartJs, type: 'application/javascript; charset=utf-8' },
};
const PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

type Query = Record<string, string | string[] | undefined>;
const first = (q: Query, name: string): string | undefined => {
  const v = q[name];
  return (Array.isArray(v) ? v[0] : v) || undefined;
};

function sendCsv(ctx: Context, name: string, period: Pick<Period, 'fromDay' | 'toDay'>, body: string): void {
  ctx.type = 'text/csv; charset=utf-8';
  ctx.set('Content-Disposition', `attachment; filename="${name}_${period.fromDay}_${period.toDay}.csv"`);
  ctx.set('Cache-Control', 'no-store');
  ctx.body = body;
}

export const dashboardRoutes: RouteModule = (router: Router, s: Services) => {
  const labels = loadLabels();
  const filters = (ctx: Context): Period => parseFilters(ctx.query as Query, s.clock.now());
  const spikes = (ctx: Context) => {
    const channel = parseChannel(first(ctx.query as Query, 'channel'));
    return detectSpikes(s.store, labels, { asOf: s.clock.now(), ...(channel ? { channel } : {}) });
  };
  const showcase = (ctx: Context, p: Period) =>
    listShowcase(s.store, labels, {
      from: p.from,
      to: p.to,
      ...(p.channel ? { channel: p.channel } : {}),
      ...(p.category ? { category: p.category } : {}),
      // The page shows the newest 200; an export takes up to 1000.
      limit: ctx.path.endsWith('.csv') ? 1000 : 200,
    });

  router.get('/console/dashboard', managers, (ctx) => {
    ctx.type = 'html';
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Content-Security-Policy', PAGE_CSP);
    ctx.body = fs.createReadStream(path.join(dir, 'dashboard.html'));
  });

  router.get('/console/dashboard/:asset', (ctx) => {
    const name = ctx.params.asset ?? '';
    // Own keys only: `constructor`, `__proto__`… are not assets.
    const asset = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
    if (!asset) return;
    ctx.type = asset.type;
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = fs.createReadStream(asset.file);
  });

  router.get('/api/stats', managers, async (ctx) => {
    const dashboard = await loadDashboard(s.store, filters(ctx), labels);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      ...dashboard,
      options: {
        channels: CHANNELS.map((c) => ({ value: c, label: labels.channel(c) })),
        categories: CASE_CATEGORIES.map((c) => ({ value: c, label: labels.category(c) })),
      },
    };
  });

  router.get('/api/stats/export.csv', managers, async (ctx) => {
    const table = first(ctx.query as Query, 'table') ?? 'category';
    const period = filters(ctx);
    if (table === 'spikes') {
      const report = await spikes(ctx);
      sendCsv(ctx, 'spikes', report.week, spikesCsv(labels, report));
    } else if (table === 'showcase') {
      sendCsv(ctx, 'showcase', period, showcaseCsv(labels, await showcase(ctx, period)));
    } else if (table === 'improvements') {
      // Every item the manager may see, newest first, with its effect (not narrowed by the period).
      const items = await listItemsFor(s, actorOf(principalOf(ctx) as Principal), {});
      sendCsv(ctx, 'improvements', period, improvementsCsv(labels, await viewItems(s.store, labels, items, s.clock.now())));
    } else if ((TABLES as readonly string[]).includes(table)) {
      const dashboard = await loadDashboard(s.store, period, labels);
      const name = table as TableName;
      sendCsv(ctx, `cases-by-${name}`, period, metricsCsv(labels, labels.dimension(name), dashboard.tables[name]));
    } else {
      throw badRequest('bad_table', `table must be one of ${[...TABLES, 'spikes', 'showcase', 'improvements'].join(', ')}`);
    }
  });

  router.get('/api/spikes', managers, async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await spikes(ctx);
  });

  router.get('/api/digest', managers, async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await buildDigest(s.store, labels, { asOf: startOfLocalWeek(s.clock.now()), shopName: s.config.shopName });
  });

  router.get('/api/showcase', managers, async (ctx) => {
    const period = filters(ctx);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { period, items: await showcase(ctx, period) };
  });

  router.get('/api/showcase/export.csv', managers, async (ctx) => {
    const period = filters(ctx);
    sendCsv(ctx, 'showcase', period, showcaseCsv(labels, await showcase(ctx, period)));
  });

  router.get('/api/customers/:channel/:platformUserId/cases', anyStaff, async (ctx) => {
    const channel = parseChannel(ctx.params.channel);
    const platformUserId = ctx.params.platformUserId ?? '';
    if (!channel || platformUserId.length === 0 || platformUserId.length > 200) throw badRequest('bad_customer', 'give a channel and a user id');
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await customerView(s.store, labels, { channel, platformUserId });
  });

  improvementRoutes(router, s);
};
