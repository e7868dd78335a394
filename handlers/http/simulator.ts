/**
 * The web chat simulator (channel `web`): a page where a person chats as a shopper, through the very same
 * pipeline as the platforms. Posts go through ingest (inbox row + trigger) before the answer.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type Router from '@koa/router';
import type { Context } from 'koa';
import { VISITOR_ID, webPostToMessage, type WebPost } from '../../src/channels/web/receiver.js';
import { WEB_IMAGE_LIMIT } from '../../src/channels/web/media.js';
import { badRequest, notFound } from '../../src/core/errors.js';
import { buildTranscript } from '../../src/pipeline/transcript.js';
import { projectRoot } from '../../src/paths.js';
import type { Services } from '../../src/services.js';
import { readRawBody, WEBHOOK_BODY_LIMIT } from './raw-body.js';

const COOKIE = 'asa_visitor';

export function simulatorRoutes(router: Router, s: Services): void {
  const page = path.join(projectRoot, 'templates/simulator.html');

  router.get('/simulator', (ctx) => {
    visitorOf(ctx, true);
    ctx.type = 'html';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = fs.createReadStream(page);
  });

  router.post('/simulator/api/messages', async (ctx) => {
    const post = await readPost(ctx);
    const message = await webPostToMessage(s, post);
    const [result] = await s.ingest([message]);
    ctx.status = result?.inserted ? 202 : 200;
    ctx.body = { accepted: true, duplicate: !result?.inserted, id: message.platformMsgId };
  });

  router.get('/simulator/api/messages', async (ctx) => {
    const visitorId = visitorOf(ctx, false);
    const conv = visitorId ? await s.store.findConversation('web', visitorId) : null;
    const messages = conv ? await buildTranscript(s.store, conv.id) : [];
    const after = typeof ctx.query.after === 'string' ? ctx.query.after : '';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { visitorId, messages: messages.filter((m) => m.at > after || m.status === 'pending') };
  });

  router.get('/simulator/api/evidence/:id', async (ctx) => {
    const visitorId = visitorOf(ctx, false);
    const evidence = await s.store.getEvidence(ctx.params.id ?? '');
    const conv = visitorId ? await s.store.findConversation('web', visitorId) : null;
    if (!evidence || !conv || evidence.conversationId !== conv.id) throw notFound('evidence_not_found', 'no such photo');
    const bytes = await s.store.readEvidence(evidence.id);
    if (!bytes) throw notFound('evidence_not_found', 'no such photo');
    ctx.type = evidence.mime;
    ctx.set('Cache-Control', 'private, max-age=3600');
    ctx.body = bytes;
  });
}

/** The visitor id comes from the body (API clients, benchmarks) or the cookie; the page gets one on first visit. */
function visitorOf(ctx: Context, create: boolean): string | null {
  const fromCookie = ctx.cookies.get(COOKIE);
  if (fromCookie && VISITOR_ID.test(fromCookie)) return fromCookie;
  if (!create) return null;
  const id = `v${randomBytes(12).toString('base64url')}`;
  ctx.cookies.set(COOKIE, id, { httpOnly: true, sameSite: 'lax', maxAge: 30 * 24 * 3600 * 1000, overwrite: true });
  return id;
}

async function readPost(ctx: Context): Promise<WebPost> {
  const type = ctx.get('content-type');
  if (type.startsWith('multipart/form-data')) {
    const raw = await readRawBody(ctx, WEB_IMAGE_LIMIT + 64 * 1024);
    const form = await new Response(raw, { headers: { 'content-type': type } }).formData().catch(() => {
      throw badRequest('bad_multipart', 'the upload could not be read');
    });
    const file = form.get('image');
    if (!file || typeof file === 'string') throw badRequest('no_image', 'send the photo in the "image" field');
    const visitorId = requireVisitor(ctx, form.get('visitorId'));
    return { visitorId, clientMsgId: form.get('clientMsgId') ?? undefined, image: { bytes: Buffer.from(await file.arrayBuffer()), name: file.name } };
  }
  if (!type.includes('json')) throw badRequest('unsupported_type', 'send JSON or multipart/form-data');
  const raw = await readRawBody(ctx, WEBHOOK_BODY_LIMIT);
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    throw badRequest('bad_json', 'the body is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('bad_json', 'the body must be a JSON object');
  const b = body as Record<string, unknown>;
  return { visitorId: requireVisitor(ctx, b.visitorId), text: b.text, clientMsgId: b.clientMsgId, sentAt: b.sentAt, choiceId: b.choiceId };
}

function requireVisitor(ctx: Context, given: unknown): string {
  if (typeof given === 'string' && VISITOR_ID.test(given)) return given;
  if (given !== undefined && given !== null) throw badRequest('bad_visitor', 'visitorId must be 8-64 letters, digits, - or _');
  const id = visitorOf(ctx, true);
  if (!id) throw badRequest('no_visitor', 'open /simulator first or send a visitorId');
  return id;
}
