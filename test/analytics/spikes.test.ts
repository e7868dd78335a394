/**
 * Spikes against their own baseline, the weekly digest and its alerts (once per week), and the weekly job
 * registered on the real Redis of the suite.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { loadConfig } from '../../config/load-config.js';
import { defaultTimerHandlers } from '../../handlers/jobs/timer.js';
import { DIGEST_CRON, DIGEST_SCHEDULER, DIGEST_TIMER, onDigestTimer, runDigest, scheduleDigest } from '../../src/analytics/digest.js';
import { loadLabels } from '../../src/analytics/labels.js';
import { detectSpikes } from '../../src/analytics/spikes.js';
import type { Case, CaseCategory, Channel } from '../../src/core/types.js';
import { loadOperatorData } from '../../src/operator-data.js';
import { createLogger } from '../../src/log.js';
import { createRedis } from '../../src/queues/connection.js';
import { createQueues, type Queues } from '../../src/queues/queues.js';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { seedConversation } from '../store/suite/fixtures.js';
import { statsCase } from '../store/suite/stats.js';
import { DAY, H, openStore } from './rig.js';

/** Monday 2026-03-16 00:00 in China: the end of the week examined. */
const AS_OF = Date.parse('2026-03-15T16:00:00.000Z');
const WEEK = 7 * DAY;
const labels = loadLabels();

let store: SqliteStore;
let cleanup: () => Promise<void>;
let conversationId: string;
let seq = 0;

interface Weekly {
  /** Cases per week, oldest first; the last entry is the week examined. */
  weeks: number[];
  product?: string;
  carrier?: string;
  category?: CaseCategory;
  channel?: Channel;
  text?: string;
}

/** Spreads each week's cases over that week (mid-week, a few hours apart). */
function casesFor(w: Weekly): Case[] {
  const out: Case[] = [];
  w.weeks.forEach((n, i) => {
    const weekStart = AS_OF - (w.weeks.length - i) * WEEK;
    for (let k = 0; k < n; k++) {
      seq += 1;
      out.push(
        statsCase(conversationId, {
          at: weekStart + DAY + k * 3 * H,
          channel: w.channel ?? 'douyin',
          category: w.category ?? 'service',
          data: { ...(w.product ? { order: { productName: w.product } } : {}), ...(w.carrier ? { carrier: w.carrier } : {}) },
        }),
      );
      const last = out[out.length - 1] as Case;
      last.description = w.text ? `${w.text} #${seq}` : `普通问题 #${seq}`;
    }
  });
  return out;
}

beforeAll(async () => {
  ({ store, cleanup } = await openStore());
  conversationId = (await seedConversation(store)).conversation.id;
  await store.importCases([
    // 2, 3, 2, 1 then 6: baseline 2, three times → a spike.
    ...casesFor({ weeks: [2, 3, 2, 1, 6], product: '保温杯', category: 'quality', text: '保温杯漏水，电话13812345678' }),
    // Busy but steady: 5 a week, then 9 (1.8×) → not a spike.
    ...casesFor({ weeks: [5, 5, 5, 5, 9], product: '羽绒服', category: 'wrong_item' }),
    // A carrier with no history and 5 cases this week → new.
    ...casesFor({ weeks: [0, 0, 0, 0, 5], carrier: '极兔', category: 'logistics', channel: 'wecom' }),
    // Four this week from nothing: below the minimum of 5.
    ...casesFor({ weeks: [0, 0, 0, 0, 4], product: '口红', category: 'false_ad' }),
    // Older than the 4 baseline weeks: must not count.
    ...casesFor({ weeks: [30, 0, 0, 0, 0, 0], product: '面膜', category: 'no_fault_return' }),
  ]);
});

afterAll(async () => {
  await cleanup();
});

describe('spike detection', () => {
  it('lists what exceeds its own 4-week baseline by ≥2× and ≥5 cases, with the baseline and masked examples', async () => {
    const report = await detectSpikes(store, labels, { asOf: AS_OF });
    expect(report.week).toMatchObject({ fromDay: '2026-03-09', toDay: '2026-03-15' });
    expect(report.rule).toEqual({ ratio: 2, minCases: 5, baselineWeeks: 4 });
    const found = report.spikes.map((s) => [s.dimension, s.key, s.thisWeek, s.baselineWeeks, s.baseline, s.ratio]);
    expect(found).toEqual([
      // Sorted by excess over the baseline: 5 − 0 first, then 6 − 2.
      ['carrier', '极兔', 5, [0, 0, 0, 0], 0, null],
      ['category', 'logistics', 5, [0, 0, 0, 0], 0, null],
      ['product', '保温杯', 6, [2, 3, 2, 1], 2, 3],
      ['category', 'quality', 6, [2, 3, 2, 1], 2, 3],
    ]);
    const cup = report.spikes.find((s) => s.key === '保温杯');
    expect(cup).toMatchObject({ label: '保温杯', dimensionLabel: '商品' });
    expect(cup?.examples).toHaveLength(3);
    expect(cup?.examples.map((e) => e.text)).toEqual(['保温杯漏水，电话138****5678 #14', '保温杯漏水，电话138****5678 #13', '保温杯漏水，电话138****5678 #12']);
    expect(report.spikes.find((s) => s.key === 'quality')?.label).toBe('商品质量问题');
  });

  it('narrows to one channel', async () => {
    const report = await detectSpikes(store, labels, { asOf: AS_OF, channel: 'wecom' });
    expect(report.spikes.map((s) => s.key)).toEqual(['极兔', 'logistics']);
    expect(report.channel).toBe('wecom');
  });

  it('finds nothing a week later, when the spike week has become part of the baseline and nothing new came', async () => {
    const report = await detectSpikes(store, labels, { asOf: AS_OF + WEEK });
    expect(report.spikes).toEqual([]);
  });
});

describe('weekly digest', () => {
  let queues: Queues;
  let redis: ReturnType<typeof createRedis>;
  const config = loadConfig({ SHOP_NAME: '小鹿严选' });
  const log = createLogger({ level: 'silent' });

  beforeAll(() => {
    redis = createRedis(process.env.TEST_REDIS_URL ?? inject('redisUrl'));
    queues = createQueues(redis, `t${randomBytes(5).toString('hex')}`);
  });

  afterAll(async () => {
    await queues.close();
    await redis.quit();
  });

  it('raises one digest alert and one alert per spike, once per week however often it runs', async () => {
    const s = { store, queues, log, config, clock: { now: () => AS_OF + 9 * H } };
    const digest = await runDigest(s, { asOf: AS_OF });
    await runDigest(s, { asOf: AS_OF });
    expect(digest.kpi.cases).toBe(6 + 9 + 5 + 4);
    expect(digest.previous.cases).toBe(1 + 5);
    expect(digest.title).toBe('售后周报 2026-03-09–2026-03-15');
    expect(digest.text).toContain('【小鹿严选售后周报】2026-03-09–2026-03-15');
    expect(digest.text).toContain('工单 24 件（上周 6 件，增加 300%）');
    expect(digest.text).toContain('商品「保温杯」投诉激增：本周 6 件，前 4 周平均 2 件');

    const alerts = await store.listAlerts({ limit: 50 });
    expect(alerts.filter((a) => a.kind === 'digest').map((a) => a.key)).toEqual(['digest:2026-03-09']);
    const spikes = alerts.filter((a) => a.kind === 'spike');
    expect(spikes.map((a) => a.key).sort()).toEqual(
      ['spike:carrier:极兔:2026-03-09', 'spike:category:logistics:2026-03-09', 'spike:category:quality:2026-03-09', 'spike:product:保温杯:2026-03-09'].sort(),
    );
    const cup = spikes.find((a) => a.key.includes('保温杯'));
    expect(cup).toMatchObject({ level: 'warning', title: '商品「保温杯」投诉激增：本周 6 件，前 4 周平均 2 件' });
    expect(cup?.text).toContain('前 4 周每周 2/3/2/1（平均 2 件），3 倍');
    expect(cup?.text).not.toContain('13812345678');
    expect(cup?.data).toMatchObject({ dimension: 'product', value: '保温杯', thisWeek: 6, baseline: 2, baselineWeeks: [2, 3, 2, 1] });
  });

  it('is a timer kind the worker knows, and runs for the week that ended last Monday 00:00', async () => {
    expect(defaultTimerHandlers(loadOperatorData())[DIGEST_TIMER]).toBe(onDigestTimer);
    const s = { store, queues, log, config, clock: { now: () => AS_OF + 2 * DAY } };
    expect(await onDigestTimer(s)).toBe('digest 2026-03-09: 4 spikes');
  });

  it('registers one weekly job scheduler on the timer queue, idempotently', async () => {
    await scheduleDigest({ queues, log });
    await scheduleDigest({ queues, log });
    const schedulers = await queues.get('timer').getJobSchedulers();
    expect(schedulers).toHaveLength(1);
    expect(schedulers[0]).toMatchObject({ key: DIGEST_SCHEDULER, pattern: DIGEST_CRON, tz: 'Asia/Shanghai' });
    expect(schedulers[0]?.template?.data).toMatchObject({ kind: DIGEST_TIMER });
  });
});
