/** Dispatches one 抖店 push (from the 'doudian-event' job) by tag class. */
import type { JobMap } from '../../queues/jobs.js';
import { applyAfterSalePush, idField, type AfterSaleDeps } from './after-sale.js';
import { isRecord, parseDoudianJson } from './json.js';
import { applyOrderPush, type CarrierLookup } from './order-events.js';
import { classifyTag, isKnownTag } from './tags.js';
import { recordUnknownTag } from './unknown-tags.js';

type Deps = AfterSaleDeps & { carriers?: CarrierLookup | null };

function parseData(data: string): Record<string, unknown> | null {
  try {
    const v = parseDoudianJson(data);
    return isRecord(v) ? v : null;
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
    // The webhook only enqueues JSON objects; a job from elsewhere cannot be fixed by retrying.
    log.warn('doudian push data is not a JSON object; ignored');
    return;
  }
  const shopId = idField(data, 'shop_id');
  if (shopId && s.config.doudian && shopId !== s.config.doudian.shopId) {
    log.warn('doudian push for another shop; ignored');
    return;
  }
  const push = { msgId: job.msgId, tag: job.tag, data };
  if (!isKnownTag(job.tag)) await recordUnknownTag(s, push);
  if (kind === 'order') await applyOrderPush(s, push);
  else if (kind === 'after_sale') await applyAfterSalePush(s, push);
}
