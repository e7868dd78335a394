/**
 * The console's working routes beyond the case API: search with filters, read marks (unread counts), corrections
 * with a reason, and the labels for stored codes. Registered with the console pages (handlers/http/console.ts).
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { notFound } from '../../src/core/errors.js';
import { assertCanView, loadCase } from '../../src/handoff/actions.js';
import { caseEditSchema, editCase } from '../../src/console/case-edit.js';
import { consoleLabels } from '../../src/console/labels.js';
import { markRead } from '../../src/console/read-marks.js';
import { searchCases, searchSchema } from '../../src/console/search.js';
import { caseJson } from '../../src/console/views.js';
import type { Services } from '../../src/services.js';
import { actorOf, principalOf, requireRole, type Principal } from './console-auth.js';
import { readJson } from './api.js';

const ID = /^[\w-]{1,128}$/;
const readBody = z.object({ upTo: z.iso.datetime({ message: 'upTo must be an ISO time' }) }).strict();

function caseId(ctx: Context): string {
  const id = ctx.params?.id;
  if (typeof id !== 'string' || !ID.test(id)) throw notFound('not_found', 'no such item');
  return id;
}

const actor = (ctx: Context) => actorOf(principalOf(ctx) as Principal);

export function consoleWorkRoutes(router: Router, s: Services): void {
  router.post('/api/search', requireRole(), async (ctx) => {
    const q = await readJson(ctx, searchSchema);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { items: await searchCases(s, actor(ctx), q) };
  });

  router.post('/api/cases/:id/read', requireRole(), async (ctx) => {
    const { upTo } = await readJson(ctx, readBody);
    const who = actor(ctx);
    const c = await loadCase(s, caseId(ctx));
    assertCanView(who, c);
    // The API token is not a person: it has no inbox to mark.
    if (who.id === 'api') {
      ctx.status = 204;
      return;
    }
    ctx.body = { readUpTo: await markRead(s, who.id, c.conversationId, upTo) };
  });

  router.post('/api/cases/:id/edit', requireRole('agent', 'supervisor', 'admin'), async (ctx) => {
    const body = await readJson(ctx, caseEditSchema);
    const result = await editCase(s, actor(ctx), caseId(ctx), body);
    ctx.body = { ...caseJson(result.case), changes: result.changes };
  });

  router.get('/api/labels', requireRole(), (ctx) => {
    ctx.body = consoleLabels(s);
  });
}
