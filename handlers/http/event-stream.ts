/**
 * Live updates for the console as Server-Sent Events: `queue` when the set of waiting/assigned cases, open
 * tasks or alerts changed (a case entering the waiting queue among them), or a shopper wrote in one of the
 * caller's own cases (unread counts, notifications), `surge` when a livestream surge starts or ends or its
 * up-front answer changes, `case` when the watched case, its messages or notes changed. These are hints; the
 * page refetches. Changes come from every process (workers assign cases, customers write), so each stream
 * compares cheap store fingerprints every 2 s (the queue one is shared by all streams of a process).
 * A heartbeat comment every 15 s keeps proxies from cutting the stream; logout, a lost session or the server
 * shutting down end it.
 */
import { createHash } from 'node:crypto';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type Koa from 'koa';
import { canView, type Actor } from '../../src/handoff/actions.js';
import type { Services } from '../../src/services.js';
import { sessionAlive, trackStream } from '../../src/console/sessions.js';
import { surgeView } from '../../src/surge/view.js';

export const TICK_MS = 2_000;
const HEARTBEAT_MS = 15_000;
/** Streams end after this long; EventSource reconnects, which re-checks the credentials. */
const MAX_LIFETIME_MS = 30 * 60_000;

const fingerprint = (parts: unknown[]): string => createHash('sha1').update(JSON.stringify(parts)).digest('base64url');

type Shared = WeakMap<Services, { at: number; value: Promise<string> }>;

/** One read per tick and process, whatever the number of streams. */
function sharedPerTick(cache: Shared, s: Services, read: () => Promise<string>): Promise<string> {
  const cached = cache.get(s);
  const now = Date.now();
  if (cached && now - cached.at < TICK_MS - 200) return cached.value;
  const value = read();
  value.catch(() => cache.delete(s));
  cache.set(s, { at: now, value });
  return value;
}

const queues: Shared = new WeakMap();
const queueFingerprint = (s: Services): Promise<string> =>
  sharedPerTick(queues, s, () =>
    Promise.all([
      s.store.listCases({ status: ['escalated', 'assigned'], limit: 200 }),
      s.store.listTasks({ status: 'open', limit: 200 }),
      s.store.listAlerts({ limit: 1 }),
    ]).then(([cases, tasks, alerts]) => fingerprint([cases.items.map((c) => `${c.id}:${c.version}`), tasks.map((t) => t.id), alerts[0]?.id ?? null])),
  );

/** Whether a surge is on, since when, and the answer: not the rate, which moves with every message (the page polls it). */
const surges: Shared = new WeakMap();
const surgeFingerprint = (s: Services): Promise<string> =>
  sharedPerTick(surges, s, () => surgeView(s).then((v) => fingerprint([v.active, v.since, v.answer])));

async function caseFingerprint(s: Services, actor: Actor, caseId: string): Promise<string> {
  const c = await s.store.getCase(caseId);
  if (!c || !canView(actor, c)) return fingerprint([caseId, c ? 'hidden' : 'gone']);
  const [conv, outbound, inbound, events] = await Promise.all([
    s.store.getConversation(c.conversationId),
    s.store.listOutbound({ conversationId: c.conversationId, limit: 500 }),
    s.store.listInbound(c.conversationId, 500),
    s.store.listCaseEvents(c.id),
  ]);
  return fingerprint([c.version, conv?.version ?? 0, outbound.map((o) => o.status), inbound.map((i) => i.status), events.length]);
}

/** The caller's own cases and their conversations' versions: a shopper's new message moves one on. */
async function ownFingerprint(s: Services, actor: Actor): Promise<string | null> {
  if (actor.id === 'api') return null;
  const mine = await s.store.listCases({ assignee: actor.id, status: 'assigned', limit: 200 });
  const convs = await Promise.all(mine.items.map((c) => s.store.getConversation(c.conversationId)));
  return fingerprint(mine.items.map((c, i) => `${c.id}:${convs[i]?.version ?? 0}`));
}

export interface EventStreamOptions {
  actor: Actor;
  /** The case the page shows, if any. */
  caseId: string | null;
  /** Session key for cookie logins (checked every tick, closed on logout); null for token callers. */
  sessionKey: string | null;
}

/** Turns the Koa response into an event stream; returns at once (the stream lives on). */
export function openEventStream(s: Services, ctx: Koa.Context, opts: EventStreamOptions): void {
  const socket = ctx.req.socket as Socket & { server?: Server };
  socket.setTimeout(0);
  socket.setNoDelay(true);
  ctx.status = 200;
  ctx.type = 'text/event-stream';
  ctx.set('Cache-Control', 'no-store, no-transform');
  ctx.set('X-Accel-Buffering', 'no');
  // The socket ends with the stream, so a shutting-down server is not kept waiting by an idle keep-alive.
  ctx.set('Connection', 'close');
  // Written to directly: Koa's stream piping would report every closed browser tab as a "premature close" error.
  ctx.respond = false;
  const res = ctx.res;
  res.flushHeaders();
  const write = (chunk: string): void => {
    if (!res.writableEnded && !res.destroyed) res.write(chunk);
  };

  let closed = false;
  let busy = false;
  let lastQueue: string | null = null;
  let lastOwn: string | null = null;
  let lastSurge: string | null = null;
  let lastCase: string | null = null;
  const started = Date.now();
  const send = (event: string, data: Record<string, unknown> = {}): void => {
    if (!closed) write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };

  const close = (): void => {
    if (closed) return;
    closed = true;
    clearInterval(ticker);
    clearInterval(heartbeat);
    untrack();
    if (!res.writableEnded) res.end();
  };

  const tick = async (): Promise<void> => {
    if (busy || closed) return;
    busy = true;
    try {
      if (socket.server?.listening === false || Date.now() - started > MAX_LIFETIME_MS) return close();
      if (opts.sessionKey && !(await sessionAlive(s, opts.sessionKey))) {
        send('logout');
        return close();
      }
      const [q, own, surge] = await Promise.all([queueFingerprint(s), ownFingerprint(s, opts.actor), surgeFingerprint(s)]);
      if ((lastQueue !== null && q !== lastQueue) || (lastOwn !== null && own !== lastOwn)) send('queue');
      // The first tick compares with nothing the page saw: a surge that started between the page's own fetch and
      // this stream's first look would otherwise never be announced. One hint at the start closes that gap.
      if (surge !== lastSurge) send('surge');
      lastQueue = q;
      lastOwn = own;
      lastSurge = surge;
      if (opts.caseId) {
        const c = await caseFingerprint(s, opts.actor, opts.caseId);
        if (lastCase !== null && c !== lastCase) send('case', { id: opts.caseId });
        lastCase = c;
      }
    } catch (err) {
      s.log.debug({ component: 'console', err: err instanceof Error ? err.message : String(err) }, 'event tick failed');
    } finally {
      busy = false;
    }
  };

  const ticker = setInterval(() => void tick(), TICK_MS);
  const heartbeat = setInterval(() => {
    if (!closed) write(': ping\n\n');
  }, HEARTBEAT_MS);
  const untrack = opts.sessionKey ? trackStream(opts.sessionKey, () => {
    send('logout');
    close();
  }) : () => undefined;
  ctx.req.on('close', close);
  res.on('close', close);
  write('retry: 3000\n\n');
  send('ready', { case: opts.caseId });
  void tick();
}
