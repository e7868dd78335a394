/**
 * The parcel's care alarm (set by ./watch.ts on each shipment push). When it fires it re-reads what 抖店 pushed
 * for the order: a newer shipment push (it set its own alarm), or the order completed (103) or cancelled (106),
 * means nothing to do. Otherwise the parcel is stuck: it is counted for its carrier (./incident.ts) and its shopper
 * is reached (./reach.ts).
 */
import { readOrderEvents } from '../channels/doudian/order-events.js';
import type { TimerHandler } from '../dialogue/timers.js';
import type { TemplateBook } from '../../templates/render.js';
import type { LogisticsCareConfig } from './config.js';
import { countStuck } from './incident.js';
import { reachShopper } from './reach.js';
import { carrierLabel } from './texts.js';
import { CARE_STALE_TIMER } from './watch.js';

/** Pushes after which a parcel is no longer in transit: 103 order completed, 106 order cancelled. */
const SETTLED_TAGS = ['103', '106'];

/** `cfg` and the texts come validated from start-up (Services.data), so a broken file never stops a timer. */
export function careTimerHandlers(deps: { templates: TemplateBook; cfg: LogisticsCareConfig }): Record<string, TimerHandler> {
  const book = deps.templates;
  const cfg = deps.cfg;

  const onStale: TimerHandler = async (s, job) => {
    const msgId = job.payload.msgId;
    if (typeof msgId !== 'string') return 'skipped';
    const order = await readOrderEvents(s.store, job.subjectId);
    const shipment = order?.shipment;
    if (!order || !shipment || shipment.msgId !== msgId) return 'moved';
    // Completed and cancelled are an order's last states: the parcel is not in transit, whatever order the pushes
    // were applied in (each push is its own job, so a 103 sent right after a 102 may be applied first).
    if (SETTLED_TAGS.some((tag) => order.events[tag] !== undefined)) return 'settled';
    const facts = {
      orderId: order.orderId,
      trackingNo: shipment.trackingNo,
      carrier: shipment.carrier,
      expressCompanyId: shipment.expressCompanyId,
      days: Math.max(1, Math.round(cfg.staleHours / 24)),
    };
    const { incidentId } = await countStuck(s, { carrier: carrierLabel(book, facts), orderId: order.orderId }, { cfg, book });
    return reachShopper(s, { ...facts, msgId, incidentId }, book);
  };

  return { [CARE_STALE_TIMER]: onStale };
}
