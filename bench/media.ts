/**
 * `npm run bench -- media` (issue #17): ten hanging media URLs must not raise another conversation's reply time
 * above 2 s. One `start` process (bench/topology.ts) talks to the Douyin fake (test/fakes/douyin/server.ts) with
 * its media downloads held open; ten shoppers send a phone upload each, and while those downloads hang other
 * shoppers write text. For the text shoppers it measures webhook sent → the fake accepting the first reply to
 * that shopper; every photo shopper must get the "send the photo again" line (douyin.photo.not_kept).
 * The fake is the configured DOUYIN_API_BASE, so its /media/ URLs are an allowed origin for the download.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { FakeDouyin } from '../test/fakes/douyin/server.js';
import { loadTemplates, renderTemplate } from '../templates/render.js';
import { percentile, say, until } from './measure.js';
import { startTopology } from './topology.js';

export const MEDIA_TARGET_MS = 2000;
const PHOTO_SHOPPERS = 10;
const TEXT_SHOPPERS = 20;
/**
 * Text messages a second: all 20 go out within 2 s, inside the window in which the app still waits on the held
 * downloads (its stall limit, MEDIA_STALL_MS in src/channels/douyin/client.ts, is 2 s).
 */
const TEXT_RATE = 10;
/** Everything after start-up waits at most this long for the replies. */
const REPLY_WAIT_MS = 30_000;
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(4096, 7)]);
const TEXTS = ['衣服开线了，能换一件吗', '快递三天没动了', '杯子漏水，想退货', '尺码大了可以换小一码吗'];

export interface MediaFigures {
  latenciesMs: number[];
  textSent: number;
  /** Media downloads the fake held open when the first text was sent. */
  hangingAtFirstText: number;
  photoShoppers: number;
  /** Photo shoppers who got the not_kept line exactly once. */
  askedAgain: number;
  /** Photo shoppers who got it more than once. */
  askedTwice: number;
  unackedWebhooks: number;
  refusedSends: number;
  problems: string[];
}

export async function measureHangingMedia(ctx: { redisUrl: string; root: string }): Promise<MediaFigures> {
  const creds = {
    clientKey: `awbench${randomBytes(4).toString('hex')}`,
    clientSecret: randomBytes(16).toString('hex'),
    accessToken: `act.${randomBytes(12).toString('hex')}`,
    businessOpenId: `bench-biz-${randomBytes(4).toString('hex')}`,
  };
  const fake = await FakeDouyin.start(creds);
  try {
    say('starting one `start` process pointed at the Douyin fake…');
    const topo = await startTopology({
      kind: 'single',
      workers: 1,
      redisUrl: ctx.redisUrl,
      dataDir: path.join(ctx.root, 'media'),
      env: {
        DOUYIN_CLIENT_KEY: creds.clientKey,
        DOUYIN_CLIENT_SECRET: creds.clientSecret,
        DOUYIN_ACCESS_TOKEN: creds.accessToken,
        DOUYIN_BUSINESS_OPEN_ID: creds.businessOpenId,
        DOUYIN_API_BASE: fake.baseUrl,
      },
    });
    try {
      fake.setWebhook(`${topo.url}/webhooks/douyin`);
      const figures = await converse(fake);
      return { ...figures, problems: await topo.stop() };
    } catch (err) {
      await topo.stop();
      throw err;
    }
  } finally {
    await fake.stop();
  }
}

async function converse(fake: FakeDouyin): Promise<Omit<MediaFigures, 'problems'>> {
  const tag = randomBytes(3).toString('hex');
  const photoIds = Array.from({ length: PHOTO_SHOPPERS }, (_, i) => `bench-photo-${tag}-${i}`);
  const textIds = Array.from({ length: TEXT_SHOPPERS }, (_, i) => `bench-text-${tag}-${i}`);
  fake.hangMedia = true;
  say(`${PHOTO_SHOPPERS} shoppers send a photo whose download hangs…`);
  const photoAcks = photoIds.map((id) => fake.customerSendsImage(id, JPEG).then((r) => r.report.ok));
  await Promise.all(photoAcks);
  // The texts go while the downloads are held: wait (bounded) until the workers have asked for them.
  const holdDeadline = Date.now() + 10_000;
  while (fake.mediaRequests < PHOTO_SHOPPERS && Date.now() < holdDeadline) await new Promise((r) => setTimeout(r, 10));
  const hangingAtFirstText = fake.mediaRequests;
  say(`${hangingAtFirstText} downloads hanging; ${TEXT_SHOPPERS} other shoppers write at ${TEXT_RATE}/s…`);

  const sentAt = new Map<string, number>();
  const textAcks: Promise<boolean>[] = [];
  const start = Date.now();
  for (const [i, id] of textIds.entries()) {
    await until(start + (i * 1000) / TEXT_RATE);
    const event = fake.textMessage(id, TEXTS[i % TEXTS.length] as string);
    sentAt.set(id, Date.now());
    textAcks.push(fake.deliver(event).then((r) => r.ok));
  }

  const notKept = renderTemplate(loadTemplates(), 'douyin.photo.not_kept');
  const asked = (id: string): number => fake.sendsTo(id).filter((s) => s.text === notKept).length;
  const done = (): boolean => textIds.every((id) => fake.sendsTo(id).length > 0) && photoIds.every((id) => asked(id) > 0);
  const deadline = Date.now() + REPLY_WAIT_MS;
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));

  const latenciesMs: number[] = [];
  for (const [id, at] of sentAt) {
    const first = fake.sendsTo(id)[0];
    if (first) latenciesMs.push(first.at - at);
  }
  const acks = await Promise.all([...photoAcks, ...textAcks]);
  return {
    latenciesMs,
    textSent: textIds.length,
    hangingAtFirstText,
    photoShoppers: photoIds.length,
    askedAgain: photoIds.filter((id) => asked(id) === 1).length,
    askedTwice: photoIds.filter((id) => asked(id) > 1).length,
    unackedWebhooks: acks.filter((ok) => !ok).length,
    refusedSends: fake.refusals.length,
  };
}

/** The report lines (stdout) and whether every check holds. */
export function describeMedia(f: MediaFigures): { lines: string[]; pass: boolean } {
  const lat = f.latenciesMs;
  const p = (q: number): number => (lat.length > 0 ? percentile(lat, q) : Number.NaN);
  const max = p(100);
  const checks = [
    { ok: lat.length === f.textSent && max <= MEDIA_TARGET_MS, line: `text shoppers answered ${lat.length}/${f.textSent}; webhook → reply p50 ${p(50)} ms, p95 ${p(95)} ms, max ${max} ms (target: max ≤ ${MEDIA_TARGET_MS} ms)` },
    { ok: f.askedAgain === f.photoShoppers, line: `photo shoppers asked once to send the photo again: ${f.askedAgain}/${f.photoShoppers} (asked more than once: ${f.askedTwice})` },
    { ok: f.hangingAtFirstText === f.photoShoppers, line: `media downloads hanging when the first text was sent: ${f.hangingAtFirstText}/${f.photoShoppers}` },
    { ok: f.unackedWebhooks === 0, line: `webhooks not acknowledged: ${f.unackedWebhooks}` },
    { ok: f.refusedSends === 0, line: `sends the fake refused: ${f.refusedSends}` },
    { ok: f.problems.length === 0, line: `app process: ${f.problems.length === 0 ? 'exited cleanly' : f.problems.join('; ')}` },
  ];
  const pass = checks.every((c) => c.ok);
  return { lines: [...checks.map((c) => `${c.ok ? 'PASS' : 'FAIL'}  ${c.line}`), `${pass ? 'PASS' : 'FAIL'}  issue #17: ten hanging media URLs vs other conversations' replies`], pass };
}
