/**
 * 改进单 (improvement items) and the live-room wording check, under the dashboard's API with its auth: managers
 * (manager, supervisor, admin) open, close and reopen items and read the wording check; any console user lists
 * and opens the items they own and marks them done. Thin: validate → src/improve → answer.
 */
import fs from 'node:fs';
import path from 'node:path';
import type Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { loadLabels } from '../../src/analytics/labels.js';
import { parseFilters } from '../../src/analytics/period.js';
import { notFound } from '../../src/core/errors.js';
import { closeItem, listItemsFor, loadItem, markDone, newItemSchema, openItem, reopenItem, reopenSchema } from '../../src/improve/items.js';
import { linkedCases } from '../../src/improve/linked.js';
import { IMPROVEMENT_CAUSES, type ImprovementItem } from '../../src/store/types.js';
import { viewItems, type ItemView } from '../../src/improve/view.js';
import { wordingReport } from '../../src/improve/wording.js';
import { projectRoot } from '../../src/paths.js';
import type { Services } from '../../src/services.js';
import { parseWith, readJson } from './api.js';
import { actorOf, principalOf, requireRole, type Principal } from './console-auth.js';

const managers = requireRole('manager', 'supervisor', 'admin');
const anyStaff = requireRole('agent', 'manager', 'supervisor', 'admin');
const PAGE = path.join(projectRoot, 'templates/console/improve.html');
const PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

const actor = (ctx: Context) => actorOf(principalOf(ctx) as Principal);
const ID = /^[\w-]{1,128}$/;
function idParam(ctx: Context): string {
  const id = ctx.params?.id;
  if (typeof id !== 'string' || !ID.test(id)) throw notFound('improvement_not_found', 'no such improvement item');
  return id;
}

const listQuery = z
  .object({
    mine: z.enum(['1', '0']).optional(),
    status: z.enum(['open', 'done', 'closed']).optional(),
  })
  .passthrough();
const empty = z.object({}).strict();

export function improvementRoutes(router: Router, s: Services): void {
  const labels = loadLabels();
  const now = (): number => s.clock.now();
  const view = async (item: ImprovementItem): Promise<ItemView | undefined> => (await viewItems(s.store, labels, [item], now()))[0];

  router.get('/console/improvements', anyStaff, (ctx) => {
    ctx.type = 'html';
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Content-Security-Policy', PAGE_CSP);
    ctx.body = fs.createReadStream(PAGE);
  });

  router.get('/api/improvements', anyStaff, async (ctx) => {
    const q = parseWith(listQuery, ctx.query, 'bad_query');
    const items = await listItemsFor(s, actor(ctx), { ...(q.mine === '1' ? { mine: true } : {}), ...(q.status ? { status: q.status } : {}) });
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { items: await viewItems(s.store, labels, items, now()), me: actor(ctx) };
  });

  // What the "open an item" form offers: the causes and the people who can own an item.
  router.get('/api/improvements/options', managers, async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      causes: IMPROVEMENT_CAUSES.map((c) => ({ value: c, label: labels.text(`improve.cause.${c}`) })),
      owners: (await s.store.listUsers()).map((u) => ({ id: u.id, name: u.displayName, role: u.role })),
    };
  });

  router.get('/api/improvements/:id', anyStaff, async (ctx) => {
    const item = await loadItem(s, actor(ctx), idParam(ctx));
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { ...(await view(item)), cases: await linkedCases(s.store, item, now()) };
  });

  router.post('/api/improvements', managers, async (ctx) => {
    const body = await readJson(ctx, newItemSchema);
    const item = await openItem(s, actor(ctx), body);
    ctx.status = 201;
    ctx.body = await view(item);
  });

  router.post('/api/improvements/:id/done', anyStaff, async (ctx) => {
    await readJson(ctx, empty);
    ctx.body = await view(await markDone(s, actor(ctx), idParam(ctx)));
  });

  router.post('/api/improvements/:id/close', managers, async (ctx) => {
    await readJson(ctx, empty);
    ctx.body = await view(await closeItem(s, actor(ctx), idParam(ctx)));
  });

  router.post('/api/improvements/:id/reopen', managers, async (ctx) => {
    const body = await readJson(ctx, reopenSchema);
    ctx.body = await view(await reopenItem(s, actor(ctx), idParam(ctx), body));
  });

  router.get('/api/wording', managers, async (ctx) => {
    const period = parseFilters(ctx.query as Record<string, string | string[] | undefined>, now());
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await wordingReport(s.store, labels, period);
  });
}
