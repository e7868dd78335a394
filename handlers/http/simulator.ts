/**
 * The web chat simulator (channel `web`): a page where a person chats as a shopper, through the very same
 * pipeline as the platforms. Posts go through ingest (inbox row + trigger) before the answer.
 * The visitor is the one named by the HttpOnly cookie the page hands out, never a name a post chooses, and posts
 * are rate-limited per visitor and per address. On only when config.simulator.enabled (see load-config).
 */
import { createHash, randomBytes } from 'node:crypto';
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
import { takePostSlot, TooManyMessages } from './simulator-limit.js';

const COOKIE = 'asa_visitor';
const PAGE = path.join(projectRoot, 'templates/simulator.html');

/** The page's CSP allows exactly its own inline <style> and <script> (by hash), like the console's: no framing. */
function pageCsp(html: string): string {
  const hashes = (tag: string): string =>
    [...html.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))]
      .map((m) => `'sha256-${createHash('sha256').update(m[1] ?? '').digest('base64')}'`)
      .join(' ');
  return [
    "default-src 'none'",
    `style-src ${hashes('style')}`,
    `script-src ${hashes('script')}`,
    "img-src 'self' blob: data:",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');
}

export function simulatorRoutes(router: Router, s: Services): void {
  const html = fs.readFileSync(PAGE, 'utf8');
  const csp = pageCsp(html);

  router.get('/simulator', (ctx) => {
    visitorOf(ctx, true);
    ctx.type = 'html';
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Content-Security-Policy', csp);
    ctx.set('X-Frame-Options', 'DENY');
    ctx.body = html;
  });

  router.post('/simulator/api/messages', async (ctx) => {
    const visitorId = visitorOf(ctx, true) as string;
    try {
      await takePostSlot(s, visitorId, ctx.ip);
    } catch (err) {
      if (err instanceof TooManyMessages) ctx.set('Retry-After', String(err.retryAfterSeconds));
      throw err;
    }
    const post = await readPost(ctx, visitorId);
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

/** The visitor id comes from the cookie; the page (or a first post) gets one. */
function visitorOf(ctx: Context, create: boolean): string | null {
  const fromCookie = ctx.cookies.get(COOKIE);
  if (fromCookie && VISITOR_ID.test(fromCookie)) return fromCookie;
  if (!create) return null;
  const id = `v${randomBytes(12).toString('base64url')}`;
  ctx.cookies.set(COOKIE, id, { httpOnly: true, sameSite: 'lax', maxAge: 30 * 24 * 3600 * 1000, overwrite: true });
  return id;
}

async function readPost(ctx: Context, visitorId: string): Promise<WebPost> {
  const type = ctx.get('content-type');
  if (type.startsWith('multipart/form-data')) {
    const raw = await readRawBody(ctx, WEB_IMAGE_LIMIT + 64 * 1024);
    const form = await new Response(raw, { headers: { 'content-type': type } }).formData().catch(() => {
      throw badRequest('bad_multipart', 'the upload could not be read');
    });
    const file = form.get('image');
    if (!file || typeof file === 'string') throw badRequest('no_image', 'send the photo in the "image" field');
    sameVisitor(visitorId, form.get('visitorId'));
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
  sameVisitor(visitorId, b.visitorId);
  return { visitorId, text: b.text, clientMsgId: b.clientMsgId, sentAt: b.sentAt, choiceId: b.choiceId };
}

/** A post may repeat its visitor id (older API clients) but never name another visitor than its cookie. */
function sameVisitor(fromCookie: string, given: unknown): void {
  if (given === undefined || given === null || given === fromCookie) return;
  throw badRequest('visitor_mismatch', 'the visitor is the one of the asa_visitor cookie; leave visitorId out or send the same id');
}
