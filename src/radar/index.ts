/**
 * The group complaint radar (issue #9 part 5). WeCom groups cannot be read (WeCom 客户联系 客户群 docs), but a
 * 智能机器人 in a group receives every message that @mentions it. Each one is classified; an after-sales report
 * gets a reply in the group ("a person will contact you privately"), a case and an alert to the group's
 * manager; anything else gets a short hint. The reply is the passive answer to the callback (a finished
 * `stream` message), so it must be ready within WeCom's 5 s.
 *
 * Duplicates (WeCom re-sends when our answer is late): a Redis lock keeps two deliveries of one msgid apart,
 * the inbox row (unique per msgid) says it was handled, and the reply is computed again, not the side effects.
 */
import { createHash, randomUUID } from 'node:crypto';
import { maskId } from '../core/mask.js';
import type { Services } from '../services.js';
import { renderTemplate } from '../../templates/render.js';
import { DELETE_IF_EQUAL } from '../channels/wecom/token-cache.js';
import { judge, type Verdict } from './classify.js';
import { inboxMsgId, openGroupComplaint } from './complaint.js';
import { getGroup, refreshGroup, wecomGroupFetcher, type FetchGroup, type GroupInfo } from './groups.js';
import type { BotMessage } from './message.js';

export { parseBotMessage, type BotMessage } from './message.js';
export { openBotCallback, openBotEcho, sealBotReply, type BotSecrets } from './bot-crypto.js';
export { applyGroupChange, getGroup, isGroupChangeEvent, listOwnedGroups, onGroupChangeEvent, type GroupInfo } from './groups.js';

/** The passive reply body (before encryption): a stream message finished at once. */
export interface StreamReply {
  msgtype: 'stream';
  stream: { id: string; finish: true; content: string };
}

export interface Radar {
  /** The reply to send back, or null for an empty 200 (events, images, nothing to say). */
  handle(message: BotMessage): Promise<StreamReply | null>;
}

type Deps = Pick<Services, 'store' | 'queues' | 'log' | 'clock' | 'config' | 'redis' | 'clients' | 'classifier' | 'data'>;

const LOCK_MS = 30_000;
/** How long the radar may wait for WeCom to name an unknown group's owner, inside the 5 s budget. */
const GROUP_LOOKUP_MS = 1_500;
/** Streams we answered, for WeCom's refresh calls (it stops asking 6 min after the message). */
const STREAM_TTL_S = 600;

const streamIdOf = (msgid: string): string => `r${createHash('sha256').update(msgid).digest('hex').slice(0, 20)}`;

export function createRadar(s: Deps, opts: { fetchGroup?: FetchGroup | null } = {}): Radar {
  const fetchGroup = opts.fetchGroup === undefined ? wecomGroupFetcher(s) : opts.fetchGroup;
  const prefix = s.config.queuePrefix;
  const log = s.log.child({ component: 'radar' });
  // Start loading the classifier now so the first mention does not wait for it.
  s.classifier().catch((err: unknown) => log.error({ err: err instanceof Error ? err.message : String(err) }, 'classifier failed to load'));

  const reply = async (msgid: string, content: string): Promise<StreamReply> => {
    const id = streamIdOf(msgid);
    await s.redis.set(`${prefix}:radar:stream:${id}`, content, 'EX', STREAM_TTL_S);
    return { msgtype: 'stream', stream: { id, finish: true, content } };
  };

  const textFor = (v: Verdict, msgid: string, chatType: BotMessage['chatType']): string => {
    const seed = parseInt(streamIdOf(msgid).slice(1, 8), 16);
    if (chatType !== 'group') return renderTemplate(s.data.templates, 'radar.single.hint', {}, { seed });
    if (!v.complaint) return renderTemplate(s.data.templates, 'radar.group.other', {}, { seed });
    return renderTemplate(s.data.templates, v.risk ? 'radar.group.risk_reply' : 'radar.group.reply', {}, { seed });
  };

  /** The group as we know it; an unknown or owner-less group is looked up once, briefly. */
  const groupOf = async (chatId: string): Promise<GroupInfo | null> => {
    const known = await getGroup(s.store, chatId);
    if (known?.owner || !fetchGroup) return known;
    const lookup = refreshGroup(s, chatId, fetchGroup);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), GROUP_LOOKUP_MS);
    });
    try {
      return (await Promise.race([lookup, late])) ?? known;
    } finally {
      clearTimeout(timer);
      lookup.catch(() => undefined);
    }
  };

  return {
    async handle(m) {
      if (m.msgtype === 'stream') {
        if (!m.streamId) return null;
        const content = await s.redis.get(`${prefix}:radar:stream:${m.streamId}`);
        return { msgtype: 'stream', stream: { id: m.streamId, finish: true, content: content ?? '' } };
      }
      if (m.msgtype === 'event' || !m.text) return null;
      const verdict = judge((await s.classifier()).analyze(m.text));
      // One-to-one chats with the bot are staff trying it out (the bot is internal): they get a hint only.
      if (m.chatType !== 'group' || !verdict.complaint) return reply(m.msgid, textFor(verdict, m.msgid, m.chatType));

      const lockKey = `${prefix}:radar:msg:${streamIdOf(m.msgid)}`;
      const lockValue = randomUUID();
      if ((await s.redis.set(lockKey, lockValue, 'PX', LOCK_MS, 'NX')) === null) {
        // WeCom re-sent while the first delivery is still working: answer this copy (WeCom shows the answer
        // to the delivery it waits on), but leave the case and alert to the first.
        log.info({ msgid: maskId(m.msgid) }, 'duplicate mention while the first is in progress');
        return reply(m.msgid, textFor(verdict, m.msgid, m.chatType));
      }
      try {
        const done = await s.store.findInbound('wecom', inboxMsgId(m.msgid));
        if (done && done.status !== 'pending') {
          log.info({ msgid: maskId(m.msgid) }, 'duplicate mention answered again, nothing opened twice');
        } else {
          const group = await groupOf(m.chatId);
          await openGroupComplaint(s, { message: m, verdict, group, sentAt: s.clock.now() });
        }
        return await reply(m.msgid, textFor(verdict, m.msgid, m.chatType));
      } finally {
        await s.redis.eval(DELETE_IF_EQUAL, 1, lockKey, lockValue);
      }
    },
  };
}
