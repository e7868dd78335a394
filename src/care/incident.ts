/**
 * Many parcels stuck with one carrier in a short time are one incident, not many surprises: each stuck parcel is
 * counted per carrier in Redis over `incidentWindowHours`; from `incidentMinParcels` on, the carrier has an open
 * incident (one id for the window) and one alert, keyed by that id, so retries and later parcels raise nothing new.
 * The alert carries a suggested improvement for the managers (data.suggestion).
 */
import { createHash } from 'node:crypto';
import { scaled } from '../../config/load-config.js';
import { raiseAlert } from '../alerts/index.js';
import type { Services } from '../services.js';
import type { TemplateBook } from '../../templates/render.js';
import type { LogisticsCareConfig } from './config.js';
import { incidentAlert } from './texts.js';

const HOUR_MS = 3600_000;

export interface StuckCount {
  count: number;
  /** Set while the carrier has an open incident: the shopper hears the honest incident wording. */
  incidentId: string | null;
}

type Deps = Pick<Services, 'redis' | 'config' | 'clock' | 'store' | 'queues' | 'log'>;

const carrierHash = (carrier: string): string => createHash('sha256').update(carrier).digest('hex').slice(0, 16);

export async function countStuck(
  s: Deps,
  input: { carrier: string; orderId: string },
  opts: { cfg: LogisticsCareConfig; book: TemplateBook },
): Promise<StuckCount> {
  const now = s.clock.now();
  const windowMs = scaled(s.config, opts.cfg.incidentWindowHours * HOUR_MS);
  const hash = carrierHash(input.carrier);
  const key = `${s.config.queuePrefix}:care:stuck:${hash}`;
  const count = await s.redis
    .multi()
    .zadd(key, now, input.orderId)
    .zremrangebyscore(key, '-inf', now - windowMs)
    .zcard(key)
    .pexpire(key, windowMs)
    .exec()
    .then((r) => Number(r?.[2]?.[1] ?? 0));
  const incidentKey = `${s.config.queuePrefix}:care:incident:${hash}`;
  if (count < opts.cfg.incidentMinParcels) return { count, incidentId: await s.redis.get(incidentKey) };
  // The first parcel over the line names the incident; every later one (and a retry) finds the same id.
  await s.redis.set(incidentKey, `${hash}-${now}`, 'PX', windowMs, 'NX');
  const incidentId = (await s.redis.get(incidentKey)) ?? `${hash}-${now}`;
  const hours = opts.cfg.incidentWindowHours;
  const text = incidentAlert(opts.book, { carrier: input.carrier, count, hours });
  await raiseAlert(s, {
    key: `care_incident:${incidentId}`,
    kind: 'logistics_incident',
    level: 'warning',
    title: text.title,
    text: text.text,
    data: { carrier: input.carrier, count, hours, incidentId, suggestion: text.suggestion },
  });
  return { count, incidentId };
}
