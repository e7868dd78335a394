/** Redis keys and send limits of the alert sinks, shared by every process with the same QUEUE_PREFIX. */
import type { Window } from './budget.js';
import { fingerprint } from './wecom.js';

/** Safety margin on every window: our send time and WeCom's receipt time differ by the request's latency. */
const MARGIN_MS = 2_000;
const MINUTE = 60_000 + MARGIN_MS;
const HOUR = 3_600_000 + MARGIN_MS;

/** WeCom 群机器人 / 应用消息 docs: 20 messages a minute per robot. */
export const ROBOT_PER_MINUTE = 20;
/** WeCom 群机器人 / 应用消息 docs: 30 a minute and 1000 an hour per member; the excess is dropped without an error. */
export const APP_PER_MINUTE = 30;
export const APP_PER_HOUR = 1000;
/** WeCom blocks for 60 s after a frequency refusal (WeCom 频率限制 doc). */
export const BLOCK_MS = 60_000 + MARGIN_MS;

export const robotWindow = (prefix: string, robotKey: string): Window => ({
  key: `${prefix}:alerts:robot:${fingerprint(robotKey)}`,
  limit: ROBOT_PER_MINUTE,
  windowMs: MINUTE,
});
export const robotBlock = (prefix: string, robotKey: string): string => `${prefix}:alerts:robot:${fingerprint(robotKey)}:blocked`;

export const memberWindows = (prefix: string, agentId: number, userId: string): Window[] => [
  { key: `${prefix}:alerts:app:${agentId}:${userId}:m`, limit: APP_PER_MINUTE, windowMs: MINUTE },
  { key: `${prefix}:alerts:app:${agentId}:${userId}:h`, limit: APP_PER_HOUR, windowMs: HOUR },
];
export const appBlock = (prefix: string, agentId: number): string => `${prefix}:alerts:app:${agentId}:blocked`;

export const deliveryLock = (prefix: string): string => `${prefix}:alerts:lock`;
/** Console users already told about one alert (the alert's `data.notifyUserIds`). */
export const notifiedSet = (prefix: string, alertId: string): string => `${prefix}:alerts:notified:${alertId}`;
