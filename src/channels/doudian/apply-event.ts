/** Dispatches one 抖店 push (from the 'doudian-event' job) by tag class. */
import type { JobMap } from '../../queues/jobs.js';
import type { Services } from '../../services.js';
import { applyAfterSalePush, idField } from './after-sale.js';
import { applyOrderPush } from './order-events.js';
import { classifyTag } from './tags.js';

type Deps = Pick<Services, 'store' | 'queues' | 'log' | 'clock' | 'config'>;

function parseData(data: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(data);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export async function applyDoudianEvent(s: Deps, job: JobMap['doudian-event']): Promise<void> {
  const log = s.log.child({ doudianTag: job.tag });
  const kind = classifyTag(job.tag);
  if (kind === 'ping') return;
  const data = parseData(job.data);
  if (!data) {
    // Retrying cannot fix a malformed payload: record and drop.
    log.warn('doudian push data is not a JSON object; ignored');
    return;
  }
  const shopId = idField(data, 'shop_id');
  if (shopId && s.config.doudian && shopId !== s.config.doudian.shopId) {
    log.warn('doudian push for another shop; ignored');
    return;
  }
  if (kind === 'order') return applyOrderPush(s, { msgId: job.msgId, tag: job.tag, data });
  if (kind === 'after_sale') return applyAfterSalePush(s, { msgId: job.msgId, tag: job.tag, data });
  log.info('doudian push with an unhandled tag recorded');
}
