/** Prometheus metrics (prom-client), one registry per process so tests can create several apps. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  messagesIn: Counter<'channel' | 'result'>;
  repliesOut: Counter<'channel' | 'status'>;
  errors: Counter<'code'>;
  webhookRejected: Counter<'route' | 'reason'>;
  processing: Histogram<'stage'>;
  queueDepth: Gauge<'queue'>;
}

export function createMetrics(opts: { defaults?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (opts.defaults !== false) collectDefaultMetrics({ register: registry });
  return {
    registry,
    messagesIn: new Counter({
      name: 'asa_messages_in_total',
      help: 'Inbound platform messages by channel and result (accepted, duplicate)',
      labelNames: ['channel', 'result'],
      registers: [registry],
    }),
    repliesOut: new Counter({
      name: 'asa_replies_out_total',
      help: 'Replies by channel and outcome (sent, held, failed, retry)',
      labelNames: ['channel', 'status'],
      registers: [registry],
    }),
    errors: new Counter({
      name: 'asa_errors_total',
      help: 'Errors by code',
      labelNames: ['code'],
      registers: [registry],
    }),
    webhookRejected: new Counter({
      name: 'asa_webhook_rejected_total',
      help: 'Rejected webhook requests by route and reason (signature, malformed, too_large, ...)',
      labelNames: ['route', 'reason'],
      registers: [registry],
    }),
    processing: new Histogram({
      name: 'asa_processing_seconds',
      help: 'Processing latency by stage (ingest, drain, send)',
      labelNames: ['stage'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    queueDepth: new Gauge({
      name: 'asa_queue_depth',
      help: 'Jobs waiting, delayed or active per queue (sampled at scrape)',
      labelNames: ['queue'],
      registers: [registry],
    }),
  };
}
