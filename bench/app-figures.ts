/**
 * Everything measured on one process topology (one `start` process, or `start:web` beside workers): paced
 * message → reply latency and the first-message burst through the WeCom fake, then the web inbound ack rate.
 * Rates are tied to the run's bare-Koa baseline B: the paced rate is 0.005·B, and throughputs come back as
 * ratios to B.
 */
import path from 'node:path';
import { converse, describeRound, type RoundResult } from './conversations.js';
import type { Knobs } from './knobs.js';
import { failures, say } from './measure.js';
import { startTopology, topologyLabel, type TopologyKind } from './topology.js';
import { postInbound } from './web-inbound.js';
import { FirstReplies, startWecomRig, type WecomRig } from './wecom-rig.js';

/** Paced message rate as a share of B (issue #18). */
export const PACED_SHARE = 0.005;

export interface AppFigures {
  label: string;
  pacedRate: number;
  latencyRounds: RoundResult[];
  burstRounds: RoundResult[];
  /** Web inbound req/s ÷ B, per round. */
  ackRatios: number[];
  ackFailures: number;
  /** Processes that died or exited badly. */
  problems: string[];
}

export interface AppContext {
  knobs: Knobs;
  redisUrl: string;
  root: string;
  /** Median bare-Koa req/s of this run. */
  bare: number;
}

export async function measureApp(kind: TopologyKind, ctx: AppContext): Promise<AppFigures> {
  const { knobs } = ctx;
  const rig = await startWecomRig();
  try {
    const topo = await startTopology({ kind, workers: knobs.workers, redisUrl: ctx.redisUrl, dataDir: path.join(ctx.root, kind), env: rig.appEnv });
    try {
      return { ...(await measureTopology(kind, topo.url, topo.label, rig, ctx)), problems: await topo.stop() };
    } catch (err) {
      await topo.stop();
      throw err;
    }
  } finally {
    await rig.close();
  }
}

async function measureTopology(kind: TopologyKind, url: string, label: string, rig: WecomRig, ctx: AppContext): Promise<Omit<AppFigures, 'problems'>> {
  const { knobs } = ctx;
  const timeoutMs = knobs.replyTimeoutSeconds * 1000;
  rig.aim(url);
  const replies = new FirstReplies(rig.fake);
  // The first messages wait for the classifier to load and warm every code path once.
  const warm = await converse(rig, replies, { tag: `${kind}w`, count: 8, rate: null, timeoutMs });
  say(`${label}: warm-up ${describeRound(warm)}`);
  if (warm.answered < warm.sent) throw new Error(`${label}: the warm-up messages were not all answered within ${knobs.replyTimeoutSeconds}s`);

  const pacedRate = Math.max(1, Math.round(ctx.bare * PACED_SHARE));
  const latencyRounds: RoundResult[] = [];
  for (let r = 1; r <= knobs.rounds; r++) {
    const round = await converse(rig, replies, { tag: `${kind}l${r}`, count: pacedRate * knobs.latencySeconds, rate: pacedRate, timeoutMs });
    latencyRounds.push(round);
    say(`${label}: paced ${pacedRate} msg/s round ${r}/${knobs.rounds}: ${describeRound(round)}`);
  }
  const burstRounds: RoundResult[] = [];
  for (let r = 1; r <= knobs.rounds; r++) {
    const round = await converse(rig, replies, { tag: `${kind}b${r}`, count: knobs.burst, rate: null, timeoutMs });
    burstRounds.push(round);
    say(`${label}: burst round ${r}/${knobs.rounds}: ${describeRound(round)} → ${(round.answeredPerSecond / ctx.bare).toFixed(3)}× B`);
  }

  await postInbound(url, Math.min(2, knobs.ackSeconds));
  const ackRatios: number[] = [];
  let ackFailures = 0;
  for (let r = 1; r <= knobs.rounds; r++) {
    const res = await postInbound(url, knobs.ackSeconds);
    ackRatios.push(res.requests.average / ctx.bare);
    ackFailures += failures(res);
    say(`${label}: web inbound round ${r}/${knobs.rounds}: ${res.requests.average.toFixed(0)} req/s (non-2xx/errors ${failures(res)}) → ${(res.requests.average / ctx.bare).toFixed(2)}× B`);
  }
  return { label, pacedRate, latencyRounds, burstRounds, ackRatios, ackFailures };
}

/** Figures of a topology that could not be measured (it did not start, or a round broke): every row fails. */
export function unmeasured(kind: TopologyKind, knobs: Knobs, err: unknown): AppFigures {
  const why = err instanceof Error ? err.message.split('\n')[0] ?? err.message : String(err);
  return { label: topologyLabel(kind, knobs.workers), pacedRate: 0, latencyRounds: [], burstRounds: [], ackRatios: [], ackFailures: 0, problems: [`not measured: ${why}`] };
}
