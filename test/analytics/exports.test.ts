/** CSV format (Excel-friendly, formula-safe), table exports and the showcase list with its masking. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricsCsv, showcaseCsv, spikesCsv, toCsv } from '../../src/analytics/csv.js';
import { loadDashboard } from '../../src/analytics/dashboard.js';
import { loadLabels } from '../../src/analytics/labels.js';
import { lastDays } from '../../src/analytics/period.js';
import { listShowcase, maskWords } from '../../src/analytics/showcase.js';
import type { Case, Csat } from '../../src/core/types.js';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { seedConversation } from '../store/suite/fixtures.js';
import { statsCase } from '../store/suite/stats.js';
import { DAY, H, openStore, parseCsv } from './rig.js';

const labels = loadLabels();
const NOW = Date.parse('2026-03-18T04:00:00.000Z');

describe('CSV', () => {
  it('starts with a BOM, ends lines with CRLF, quotes what needs quoting and defuses formulas', () => {
    const csv = toCsv(['名称', '数'], [['a,b', 1], ['say "hi"', 2.5], ['=HYPERLINK("x")', null], ['+1', -3], ['多\n行', 0]]);
    expect(csv.startsWith('\uFEFF名称,数\r\n')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(parseCsv(csv)).toEqual([
      ['名称', '数'],
      ['a,b', '1'],
      ['say "hi"', '2.5'],
      [`'=HYPERLINK("x")`, ''],
      [`'+1`, '-3'],
      ['多\n行', '0'],
    ]);
  });

  it('exports a metrics table with Chinese headers and one row per table row', async () => {
    const { store, cleanup } = await openStore();
    try {
      const { conversation } = await seedConversation(store);
      await store.importCases([
        statsCase(conversation.id, { at: NOW - 2 * H, category: 'quality', status: 'closed', csat: 5, data: { resolvedAt: new Date(NOW - H).toISOString() } }),
        statsCase(conversation.id, { at: NOW - 3 * H, category: 'quality', status: 'open' }),
        statsCase(conversation.id, { at: NOW - 4 * H, category: 'logistics', status: 'closed', csat: 2, reopenCount: 1 }),
      ]);
      const d = await loadDashboard(store, lastDays(NOW, 7), labels);
      const rows = parseCsv(metricsCsv(labels, labels.dimension('category'), d.tables.category));
      expect(rows[0]).toEqual([
        '问题分类', '工单数', '占比(%)', '已解决', '机器人独立解决率(%)', '转人工率(%)', '平均首次响应(分钟)', '平均解决时长(小时)', 'SLA达成率(%)',
        '满意度均分', '评价数', '1星', '2星', '3星', '4星', '5星', '重开率(%)',
      ]);
      expect(rows.slice(1)).toEqual([
        ['商品质量问题', '2', '66.7', '1', '100', '0', '', '1', '', '5', '1', '0', '0', '0', '0', '1', '0'],
        ['物流/运输问题', '1', '33.3', '1', '100', '0', '', '', '', '2', '1', '0', '1', '0', '0', '0', '100'],
      ]);
    } finally {
      await cleanup();
    }
  });

  it('exports spikes with their baseline', () => {
    const csv = spikesCsv(labels, {
      week: { from: '', to: '', fromDay: '2026-03-09', toDay: '2026-03-15' },
      spikes: [
        {
          dimension: 'carrier', key: '圆通', label: '圆通', dimensionLabel: '快递公司', thisWeek: 12, baseline: 3.5, baselineWeeks: [3, 4, 2, 5], ratio: 3.4,
          examples: [{ caseId: 'c1', at: '', channel: 'douyin', customerId: 'u', orderId: null, text: '显示签收没收到' }],
        },
      ],
    });
    expect(parseCsv(csv)).toEqual([
      ['统计区间', '维度', '名称', '本周', '前4周平均', '前4周逐周', '倍数', '示例(已脱敏)'],
      ['2026-03-09~2026-03-15', '快递公司', '圆通', '12', '3.5', '3/4/2/5', '3.4', '显示签收没收到'],
    ]);
  });
});

describe('showcase reviews', () => {
  let store: SqliteStore;
  let cleanup: () => Promise<void>;
  let cases: Case[];

  beforeAll(async () => {
    ({ store, cleanup } = await openStore());
    const { conversation } = await seedConversation(store);
    const review = (at: number, csat: Csat, words: string, consent = true, extra: Partial<Case> = {}): Case => ({
      ...statsCase(conversation.id, { at: at - DAY, status: 'closed', csat, data: { order: { productName: '羽绒服' }, showcase: { consent, words, at: new Date(at).toISOString() } } }),
      ...extra,
    });
    cases = [
      review(NOW - H, 5, '客服很耐心，我的电话13812345678，订单6912345678901234567，地址浙江省杭州市西湖区文三路100号3单元'),
      review(NOW - 2 * H, 4, '=换货很快', true, { channel: 'wecom', category: 'logistics' }),
      review(NOW - 3 * H, 3, '一般般'),
      review(NOW - 4 * H, 5, '不想被引用', false),
      review(NOW - 40 * DAY, 5, '很久以前的好评'),
    ];
    await store.importCases(cases);
  });

  afterAll(async () => {
    await cleanup();
  });

  it('masks phones, addresses and every long number in the words', () => {
    expect(maskWords('电话13812345678，订单6912345678901234567')).toBe('电话138****5678，订单6912****567');
  });

  it('lists consented 4–5 star reviews of the period, newest first, masked', async () => {
    const p = lastDays(NOW, 30);
    const items = await listShowcase(store, labels, { from: p.from, to: p.to });
    expect(items.map((i) => i.caseId)).toEqual([cases[0]?.id, cases[1]?.id]);
    expect(items[0]).toMatchObject({ csat: 5, product: '羽绒服', channelLabel: '企业微信', categoryLabel: '商品质量问题' });
    expect(items[0]?.words).toBe('客服很耐心，我的电话138****5678，订单6912****567，地址浙江省****');
    expect(items[0]?.words).not.toMatch(/\d{7,}/);
    const wecom = await listShowcase(store, labels, { from: p.from, to: p.to, channel: 'wecom', category: 'logistics' });
    expect(wecom.map((i) => i.caseId)).toEqual([cases[1]?.id]);
    const all = await listShowcase(store, labels, {});
    expect(all).toHaveLength(3);
  });

  it('exports them as CSV, formula-safe', async () => {
    const items = await listShowcase(store, labels, {});
    const rows = parseCsv(showcaseCsv(labels, items));
    expect(rows[0]).toEqual(['时间', '工单号', '渠道', '问题分类', '商品', '评分', '顾客原话(已脱敏)']);
    expect(rows).toHaveLength(4);
    expect(rows[2]).toEqual([items[1]?.at, cases[1]?.id, '企业微信', '物流/运输问题', '羽绒服', '4', `'=换货很快`]);
  });
});
