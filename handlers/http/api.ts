/**
 * The JSON API under /api (the README's case API, plus what the console needs). Every route names the roles it
 * allows; case rights (the queue and own cases for agents) are checked by src/handoff/actions.ts. Bodies are
 * JSON only (415 otherwise), at most 64 KB, validated with zod (400 naming the field).
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { AppError, badRequest, notFound } from '../../src/core/errors.js';
import { actorOf, principalOf, requireRole, sessionOf, type Principal } from './console-auth.js';
import { cannedReplies } from '../../src/console/canned.js';
import { caseDetail } from '../../src/console/case-detail.js';
import { caseQuerySchema, listCasesFor } from '../../src/console/case-list.js';
import { setMemberLevel } from '../../src/console/customers.js';
import { openEventStream } from './event-stream.js';
import { readEvidenceFor } from '../../src/console/evidence.js';
import { buildInbox } from '../../src/console/inbox.js';
import { completeTask, listTasksFor } from '../../src/console/tasks.js';
import { teamView } from '../../src/console/team.js';
import { createConsoleUser, newUserSchema, patchConsoleUser, userPatchSchema } from '../../src/console/users.js';
import { caseJson, userJson } from '../../src/console/views.js';
import {
  addNote,
  claimCase,
  handBack,
  NOTE_MAX_CHARS,
  reassignCase,
  REPLY_MAX_CHARS,
  replyToCase,
  resolveCase,
  setPresence,
  type ResolvedHook,
} from '../../src/handoff/actions.js';
import type { Services } from '../../src/services.js';
import { surgeAnswerSchema, writeSurgeAnswer } from '../../src/surge/answer.js';
import { surgeView } from '../../src/surge/view.js';
import { RESOLUTIONS, type Resolution } from '../../src/core/types.js';
import { approveCase, recordStep, rejectCase, REASON_MAX_CHARS } from '../../src/cases/execution.js';
import { STEP_KINDS, type StepKind } from '../../src/cases/steps.js';
import type { RouteModule } from './app.js';
import { readRawBody } from './raw-body.js';

export const API_BODY_LIMIT = 64 * 1024;

/** Reads a JSON body (none at all counts as `{}`) and validates it; 415 for another type, 400 naming the field. */
export async function readJson<T extends z.ZodType>(ctx: Context, schema: T): Promise<z.infer<T>> {
  const declared = ctx.get('content-length');
  const hasBody = (declared !== '' && declared !== '0') || ctx.get('transfer-encoding') !== '';
  let body: unknown = {};
  if (hasBody) {
    if (!ctx.is('application/json')) throw new AppError('unsupported_media_type', 'send JSON with Content-Type: application/json', { status: 415 });
    const raw = await readRawBody(ctx, API_BODY_LIMIT);
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        throw badRequest('bad_json', 'the body is not valid JSON');
      }
    }
  }
  return parseWith(schema, body, 'invalid_body');
}

export function parseWith<T extends z.ZodType>(schema: T, value: unknown, code: string): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
  throw badRequest(code, `${where}${issue?.message ?? 'invalid'}`);
}

const ID = /^[\w-]{1,128}$/;
function idParam(ctx: Context, what = 'id'): string {
  const id = ctx.params?.[what];
  if (typeof id !== 'string' || !ID.test(id)) throw notFound('not_found', 'no such item');
  return id;
}

const principal = (ctx: Context): Principal => principalOf(ctx) as Principal;
const actor = (ctx: Context) => actorOf(principal(ctx));

const empty = z.object({}).strict();
const replyBody = z.object({ text: z.string().min(1, 'text is required').max(REPLY_MAX_CHARS), clientId: z.string().regex(/^[\w-]{1,64}$/).optional() }).strict();
const noteBody = z.object({ text: z.string().min(1, 'text is required').max(NOTE_MAX_CHARS) }).strict();
const resolveBody = z.object({ note: z.string().max(NOTE_MAX_CHARS).nullable().optional() }).strict();
const assignBody = z.object({ userId: z.string().regex(ID).nullable() }).strict();
const approveBody = z.object({ resolutions: z.array(z.enum(RESOLUTIONS as [Resolution, ...Resolution[]])).min(1, 'name at least one resolution granted'), note: z.string().max(NOTE_MAX_CHARS).nullable().optional() }).strict();
const rejectBody = z.object({ reason: z.string().trim().min(1, 'reason is required').max(REASON_MAX_CHARS) }).strict();
const stepBody = z
  .object({
    kind: z.enum(STEP_KINDS as [StepKind, ...StepKind[]]),
    trackingNo: z.string().trim().min(4).max(40).regex(/^[0-9A-Za-z-]+$/, 'tracking number: letters, digits and -').optional(),
    carrier: z.string().trim().max(20).optional(),
    address: z.string().trim().min(1).max(200).optional(),
    amountYuan: z.number().positive().max(1_000_000).optional(),
    clientId: z.string().regex(/^[\w-]{1,64}$/),
  })
  .strict();
const presenceBody = z.object({ online: z.boolean() }).strict();
const memberBody = z.object({ memberLevel: z.string().trim().min(1).max(20).nullable() }).strict();
const listQuery = z
  .object({ limit: z.coerce.number().int().min(1).max(200).optional(), before: z.iso.datetime().optional(), status: z.enum(['open', 'done']).optional(), view: z.enum(['default', 'all']).optional() })
  .strict();
const eventsQuery = z.object({ case: z.string().regex(ID).optional() }).strict();
const query = <T extends z.ZodType>(ctx: Context, schema: T): z.infer<T> => parseWith(schema, { ...ctx.query }, 'invalid_query');

const ANYONE: never[] = [];
const WORKERS = ['agent', 'supervisor', 'admin'] as const;
const SUPERVISORS = ['supervisor', 'admin'] as const;
const WATCHERS = ['supervisor', 'manager', 'admin'] as const;

export function createApiRoutes(opts: { resolvedHooks?: ResolvedHook[] } = {}): RouteModule {
  const hooks = opts.resolvedHooks ?? [];
  return (router: Router, s: Services) => {
    const caseAction = (path: string, act: (ctx: Context, id: string) => Promise<unknown>): void => {
      router.post(`/api/cases/:id/${path}`, requireRole(...WORKERS), async (ctx) => {
        ctx.body = await act(ctx, idParam(ctx));
      });
    };

    router.get('/api/me', requireRole(...ANYONE), (ctx) => {
      const p = principal(ctx);
      ctx.set('Cache-Control', 'no-store');
      ctx.body = { kind: p.kind, role: p.role, user: p.user ? userJson(p.user) : null, shopName: s.config.shopName };
    });

    router.post('/api/me/presence', requireRole(...ANYONE), async (ctx) => {
      const { online } = await readJson(ctx, presenceBody);
      const user = principal(ctx).user;
      if (!user) throw badRequest('no_user', 'presence belongs to a console user; sign in to the console');
      await setPresence(s, user.id, online);
      ctx.body = userJson((await s.store.getUser(user.id)) ?? user);
    });

    router.get('/api/cases', requireRole(...ANYONE), async (ctx) => {
      const page = await listCasesFor(s, actor(ctx), parseWith(caseQuerySchema, { ...ctx.query }, 'invalid_query'));
      ctx.body = { items: page.items.map(caseJson), nextCursor: page.nextCursor };
    });

    router.get('/api/cases/:id', requireRole(...ANYONE), async (ctx) => {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = await caseDetail(s, actor(ctx), idParam(ctx));
    });

    caseAction('claim', async (ctx, id) => {
      await readJson(ctx, empty);
      return caseJson(await claimCase(s, actor(ctx), id));
    });
    caseAction('reply', async (ctx, id) => {
      const body = await readJson(ctx, replyBody);
      const result = await replyToCase(s, actor(ctx), id, body.text, body.clientId);
      ctx.status = 201;
      return { ...caseJson(result.case), delivery: { status: result.outbox.status, at: result.outbox.createdAt } };
    });
    caseAction('resolve', async (ctx, id) => {
      const body = await readJson(ctx, resolveBody);
      return caseJson(await resolveCase(s, actor(ctx), id, body.note?.trim() || null, hooks));
    });
    caseAction('handback', async (ctx, id) => {
      await readJson(ctx, empty);
      return caseJson(await handBack(s, actor(ctx), id));
    });
    caseAction('notes', async (ctx, id) => {
      const body = await readJson(ctx, noteBody);
      ctx.status = 201;
      return caseJson(await addNote(s, actor(ctx), id, body.text));
    });
    caseAction('approve', async (ctx, id) => {
      const body = await readJson(ctx, approveBody);
      return caseJson(await approveCase(s, actor(ctx), id, body.resolutions, body.note?.trim() || null));
    });
    caseAction('reject', async (ctx, id) => {
      const body = await readJson(ctx, rejectBody);
      return caseJson(await rejectCase(s, actor(ctx), id, body.reason));
    });
    caseAction('steps', async (ctx, id) => {
      const { clientId, ...step } = await readJson(ctx, stepBody);
      ctx.status = 201;
      return caseJson(await recordStep(s, actor(ctx), id, step, clientId));
    });
    router.post('/api/cases/:id/assign', requireRole(...SUPERVISORS), async (ctx) => {
      const body = await readJson(ctx, assignBody);
      ctx.body = caseJson(await reassignCase(s, actor(ctx), idParam(ctx), body.userId));
    });

    router.get('/api/evidence/:id', requireRole(...ANYONE), async (ctx) => {
      const file = await readEvidenceFor(s, actor(ctx), idParam(ctx));
      ctx.set('Cache-Control', 'private, max-age=3600');
      ctx.set('Content-Disposition', file.disposition);
      ctx.set('Content-Security-Policy', "default-src 'none'; img-src 'self'; media-src 'self'; sandbox");
      ctx.set('X-Content-Type-Options', 'nosniff');
      ctx.type = file.contentType;
      ctx.body = file.bytes;
    });

    router.get('/api/queue', requireRole(...ANYONE), async (ctx) => {
      const q = query(ctx, listQuery);
      ctx.set('Cache-Control', 'no-store');
      ctx.body = await buildInbox(s, actor(ctx), q.view ?? 'default');
    });

    router.get('/api/team', requireRole(...SUPERVISORS), async (ctx) => {
      ctx.body = await teamView(s);
    });

    router.get('/api/alerts', requireRole(...WATCHERS), async (ctx) => {
      const q = query(ctx, listQuery);
      ctx.body = { items: await s.store.listAlerts({ limit: q.limit ?? 50, ...(q.before ? { before: q.before } : {}) }) };
    });

    router.get('/api/tasks', requireRole(...ANYONE), async (ctx) => {
      const q = query(ctx, listQuery);
      ctx.body = { items: await listTasksFor(s, actor(ctx), { status: q.status ?? 'open', limit: q.limit ?? 100 }) };
    });

    router.post('/api/tasks/:id/done', requireRole(...WORKERS), async (ctx) => {
      await readJson(ctx, empty);
      ctx.body = await completeTask(s, actor(ctx), idParam(ctx));
    });

    router.get('/api/canned', requireRole(...ANYONE), (ctx) => {
      ctx.body = { items: cannedReplies(s.data.templates), vars: { shopName: s.config.shopName } };
    });

    router.get('/api/users', requireRole('admin'), async (ctx) => {
      ctx.body = { items: (await s.store.listUsers()).map(userJson) };
    });

    router.post('/api/users', requireRole('admin'), async (ctx) => {
      const body = await readJson(ctx, newUserSchema);
      ctx.status = 201;
      ctx.body = userJson(await createConsoleUser(s, body));
    });

    router.patch('/api/users/:id', requireRole('admin'), async (ctx) => {
      const body = await readJson(ctx, userPatchSchema);
      ctx.body = userJson(await patchConsoleUser(s, idParam(ctx), body, principal(ctx).user?.id ?? 'api'));
    });

    router.patch('/api/customers/:id', requireRole(...SUPERVISORS), async (ctx) => {
      const body = await readJson(ctx, memberBody);
      ctx.body = await setMemberLevel(s, idParam(ctx), body.memberLevel, actor(ctx).id);
    });

    // Surge mode (src/surge): whether a livestream peak is on, and the manager's up-front answer.
    router.get('/api/surge', requireRole(...ANYONE), async (ctx) => {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = await surgeView(s);
    });
    router.put('/api/surge/answer', requireRole(...WATCHERS), async (ctx) => {
      const body = await readJson(ctx, surgeAnswerSchema);
      ctx.body = { answer: await writeSurgeAnswer(s.store, body.text) };
    });

    router.get('/api/events', requireRole(...ANYONE), (ctx) => {
      const q = query(ctx, eventsQuery);
      openEventStream(s, ctx, { actor: actor(ctx), caseId: q.case ?? null, sessionKey: sessionOf(ctx)?.key ?? null });
    });
  };
}

export const apiRoutes: RouteModule = createApiRoutes();
