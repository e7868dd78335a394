/**
 * Issue #19 item 3 through the whole app as production builds it (web + workers, the default bot, real Redis and
 * SQLite) against the fake 抖店 pusher and API: shipment pushes set each parcel's care alarm; TIME_SCALE turns the
 * 72-hour threshold into seconds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCareConfig } from '../../src/care/config.js';
import { careTimerId } from '../../src/care/watch.js';
import { WebCustomer } from '../dialogue/web-customer.js';
import { SHIPPED_ORDER_ID, shippedData, shopOrders } from '../fakes/doudian/fixtures.js';
import { DoudianPusher } from '../fakes/doudian/pusher.js';
import { FakeDoudian } from '../fakes/doudian/server.js';
import { startHarness, waitFor, type Harness } from '../helpers/harness.js';
import { DD, doudianEnv } from '../channels/douyin/rig.js';

const nowS = (): number => Math.floor(Date.now() / 1000);
/** 72 h → about 10 s; the 24-hour incident window → about 3.5 s (the 103 below is applied well before its alarm). */
const TIME_SCALE = '25000';
const ZTO = '中通快递';
/** Ten parcels with one carrier, none of them linked to a shopper's conversation, plus one that arrives. */
const stuckOrders = Array.from({ length: 10 }, (_, i) => `47052884655085340${String(i).padStart(2, '0')}`);
const ARRIVED_ORDER = '4705288465508534099';
/** Bought by a WeCom shopper the shop may not write to first (no message of theirs within WeCom's window). */
const WECOM_ORDER = '4705288465508534111';

let app: Harness;
let fake: FakeDoudian;
let pusher: DoudianPusher;

beforeAll(async () => {
  fake = await FakeDoudian.start(DD);
  for (const [id, order] of shopOrders(nowS())) fake.orders.set(id, order);
  for (const id of [...stuckOrders, ARRIVED_ORDER]) {
    fake.orders.set(id, { order_id: id, order_status: 3, order_status_desc: '已发货', create_time: nowS() - 86400, logistics_info: [{ tracking_no: `ZT${id.slice(-8)}`, company: 'zhongtong', company_name: ZTO }] });
  }
  fake.orders.set(WECOM_ORDER, { order_id: WECOM_ORDER, order_status: 3, order_status_desc: '已发货', create_time: nowS() - 86400 });
  app = await startHarness({ env: { ...doudianEnv(fake.baseUrl), TIME_SCALE } });
  pusher = new DoudianPusher({ url: `${app.baseUrl}/webhooks/doudian`, ...DD });
});
afterAll(async () => {
  await app?.stop();
  await fake?.stop();
});

describe('proactive logistics care', () => {
  it('a parcel with no logistics push for the threshold: the shopper hears once, and a logistics case is filed', async () => {
    // The shopper wrote before about this order and 抖店 confirmed it for that case: the link to their chat.
    const shopper = new WebCustomer(app, 'care-shopper-1');
    await shopper.say('你好');
    const conv = await waitFor(() => app.services.store.findConversation('web', 'care-shopper-1'));
    await app.services.store.createCase({
      channel: 'web',
      customerId: conv.customerId,
      conversationId: conv.id,
      category: 'quality',
      orderId: SHIPPED_ORDER_ID,
      status: 'closed',
      data: { order: { orderId: SHIPPED_ORDER_ID, verified: true } },
    });

    const push = { tag: '102', msg_id: '7300000000000019102', data: shippedData(SHIPPED_ORDER_ID, 'SF1400000000019', DD.shopId) };
    const raw = pusher.body([push]);
    expect((await pusher.push([], { raw })).accepted).toBe(true);
    expect((await pusher.push([], { raw })).accepted).toBe(true); // the platform redelivers

    const careCase = await waitFor(
      async () => (await app.services.store.listCases({ orderId: SHIPPED_ORDER_ID })).items.find((c) => c.category === 'logistics'),
      { what: 'the logistics case', timeoutMs: 30_000 },
    );
    expect(careCase).toMatchObject({ conversationId: conv.id, status: 'open', orderId: SHIPPED_ORDER_ID });
    expect(careCase.description).toContain('SF1400000000019');
    expect(careCase.data.care).toMatchObject({ trackingNo: 'SF1400000000019', carrier: '顺丰速运', incidentId: null });

    const told = await waitFor(async () => {
      const lines = (await shopper.botLines()).filter((l) => l.text.includes('催件'));
      return lines.length > 0 && lines.every((l) => l.status === 'sent') ? lines : null;
    }, { what: 'the care message' });
    expect(told).toHaveLength(1);
    expect(told[0]?.text).toContain('顺丰速运');
    expect(told[0]?.text).toContain('停留较久');
    // The alarm ran once per push id: the redelivery added none, and nothing else is pending for it.
    const job = await app.services.queues.get('timer').getJob(careTimerId(SHIPPED_ORDER_ID, push.msg_id));
    expect(job?.returnvalue).toBe('sent');
    expect((await app.services.store.listCases({ orderId: SHIPPED_ORDER_ID })).items.filter((c) => c.category === 'logistics')).toHaveLength(1);
    expect((await shopper.botLines()).filter((l) => l.text.includes('催件'))).toHaveLength(1);
  });

  it('ten stuck parcels with one carrier: one incident, one alert with a suggestion, and a task per parcel nobody can be written to', async () => {
    const cfg = loadCareConfig().logistics;
    expect(stuckOrders.length).toBeGreaterThanOrEqual(cfg.incidentMinParcels);
    const shipped = [...stuckOrders, ARRIVED_ORDER].map((id, i) => ({ tag: '102', msg_id: `73000000000000${20000 + i}`, data: shippedData(id, `ZT${id.slice(-8)}`, DD.shopId) }));
    expect((await pusher.push(shipped)).accepted).toBe(true);
    // One parcel is delivered and the order completes (103) before its alarm: no care for it.
    expect((await pusher.push([{ tag: '103', msg_id: '7300000000000029103', data: `{"p_id":${ARRIVED_ORDER},"s_ids":[${ARRIVED_ORDER}],"shop_id":${DD.shopId},"order_status":5,"biz":2,"complete_time":1718100000}` }])).accepted).toBe(true);

    const tasks = await waitFor(
      async () => {
        const all = (await app.services.store.listTasks({ limit: 100 })).filter((t) => t.kind === 'logistics_care');
        return all.length >= stuckOrders.length ? all : null;
      },
      { what: 'a task per stuck parcel', timeoutMs: 30_000 },
    );
    expect(tasks.map((t) => t.data.orderId).sort()).toEqual([...stuckOrders].sort());
    expect(tasks.every((t) => t.data.code === 'no_conversation' && t.reason.includes(ZTO))).toBe(true);

    const alerts = (await app.services.store.listAlerts({ kind: 'logistics_incident' })).filter((a) => a.data.carrier === ZTO);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.title).toContain(ZTO);
    expect(String(alerts[0]?.data.suggestion)).toContain('改进单');
    // The parcels counted from the incident on carry its id, and their shoppers get the honest incident wording.
    const inIncident = tasks.filter((t) => t.data.incidentId === alerts[0]?.data.incidentId);
    expect(inIncident.length).toBeGreaterThanOrEqual(1);
    expect(inIncident.every((t) => String(t.data.text).includes('集中'))).toBe(true);

    const arrived = await waitFor(() => app.services.queues.get('timer').getJob(careTimerId(ARRIVED_ORDER, shipped[10]?.msg_id ?? '')).then((j) => j?.returnvalue as string | undefined));
    expect(arrived).toBe('settled');
    expect((await app.services.store.listTasks({ limit: 100 })).filter((t) => t.data.orderId === ARRIVED_ORDER)).toEqual([]);
  });

  it('a shopper the shop may not write to first: the logistics case is filed and a person gets the task, nothing is sent', async () => {
    const store = app.services.store;
    const customer = await store.upsertCustomer({ channel: 'wecom', platformUserId: 'wmCARE' });
    const conv = await store.getOrCreateConversation({ channel: 'wecom', key: 'wkCARE:wmCARE', customerId: customer.id });
    await store.createCase({
      channel: 'wecom',
      customerId: 'wmCARE',
      conversationId: conv.id,
      category: 'wrong_item',
      orderId: WECOM_ORDER,
      status: 'closed',
      data: { order: { orderId: WECOM_ORDER, verified: true } },
    });
    expect((await pusher.push([{ tag: '102', msg_id: '7300000000000039102', data: shippedData(WECOM_ORDER, 'YT0000000000111', DD.shopId) }])).accepted).toBe(true);

    const task = await waitFor(async () => (await store.listTasks({ limit: 100 })).find((t) => t.data.orderId === WECOM_ORDER), { what: 'the care task', timeoutMs: 30_000 });
    const careCase = (await store.listCases({ orderId: WECOM_ORDER })).items.find((c) => c.category === 'logistics');
    expect(careCase).toMatchObject({ conversationId: conv.id, channel: 'wecom', customerId: 'wmCARE' });
    expect(task).toMatchObject({ kind: 'logistics_care', caseId: careCase?.id, conversationId: conv.id, data: { code: 'window_closed', carrier: null } });
    // 抖店 named only its carrier id: people read that, never a blank.
    expect(task.reason).toContain('抖店编号7');
    expect(task.reason).toContain('YT0000000000111');
    expect(await store.listOutbound({ conversationId: conv.id })).toEqual([]);
  });
});
