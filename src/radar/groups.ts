/**
 * Which customer groups exist and who owns them (WeCom 客户联系 客户群 docs). WeCom says only *that* a group changed
 * (`change_external_chat`: create | update (change_owner, change_name, members…) | dismiss), never who owns it,
 * so each change is followed by `externalcontact/groupchat/get`. Stored as settings, no store changes:
 *   `group:<chatId>`        → GroupInfo (JSON)
 *   `groups:owner:<userid>` → chat ids that member owns (JSON array)
 * Group ids in the 智能机器人 callback and in 客户联系 are assumed to be the same id space (UNCONFIRMED).
 */
import { randomUUID } from 'node:crypto';
import { DELETE_IF_EQUAL } from '../channels/wecom/token-cache.js';
import { maskId } from '../core/mask.js';
import type { Services } from '../services.js';
import type { Store } from '../store/types.js';

export interface GroupInfo {
  chatId: string;
  name: string | null;
  /** WeCom userid of the group owner (a staff member). */
  owner: string | null;
  status: 'active' | 'dismissed';
  /** True when WeCom could not be asked after the last change: name/owner may be out of date. */
  stale: boolean;
  updatedAt: string;
}

export type FetchGroup = (chatId: string) => Promise<{ name: string | null; owner: string | null }>;

type Deps = Pick<Services, 'store' | 'redis' | 'log' | 'clock' | 'config' | 'clients'>;

const groupKey = (chatId: string): string => `group:${chatId}`;
const ownerKey = (owner: string): string => `groups:owner:${owner}`;
const CHAT_ID = /^[A-Za-z0-9_\-@.]{1,128}$/;

function parse<T>(raw: string | null): T | null {
  if (!raw) return null;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return null;
  }
}

export async function getGroup(store: Store, chatId: string): Promise<GroupInfo | null> {
  return parse<GroupInfo>(await store.getSetting(groupKey(chatId)));
}

/** Chat ids of the active groups this WeCom member owns. */
export async function listOwnedGroups(store: Store, owner: string): Promise<string[]> {
  return parse<string[]>(await store.getSetting(ownerKey(owner))) ?? [];
}

/** groupchat/get through the kf app's token (the app that receives the 客户联系 callbacks). */
export function wecomGroupFetcher(s: Pick<Services, 'clients'>): FetchGroup | null {
  const client = s.clients.wecom;
  if (!client) return null;
  return async (chatId) => {
    const res = await client.post<{ errcode: number; group_chat?: { name?: unknown; owner?: unknown } }>('externalcontact/groupchat/get', {
      chat_id: chatId,
      need_name: 1,
    });
    const g = res.group_chat ?? {};
    return { name: typeof g.name === 'string' && g.name ? g.name : null, owner: typeof g.owner === 'string' && g.owner ? g.owner : null };
  };
}

/** Settings have no compare-and-set, so the owner lists are changed under a short Redis lock. */
async function withLock<T>(s: Deps, fn: () => Promise<T>): Promise<T> {
  const key = `${s.config.queuePrefix}:radar:groups:lock`;
  const value = randomUUID();
  for (let i = 0; i < 100; i++) {
    if (await s.redis.set(key, value, 'PX', 5_000, 'NX')) {
      try {
        return await fn();
      } finally {
        await s.redis.eval(DELETE_IF_EQUAL, 1, key, value);
      }
    }
    await new Promise((r) => setTimeout(r, 20 + i * 5));
  }
  throw new Error('group list is locked');
}

async function moveOwner(store: Store, chatId: string, from: string | null, to: string | null): Promise<void> {
  if (from === to) {
    if (to) {
      const list = await listOwnedGroups(store, to);
      if (!list.includes(chatId)) await store.setSetting(ownerKey(to), JSON.stringify([...list, chatId]));
    }
    return;
  }
  if (from) {
    const list = await listOwnedGroups(store, from);
    if (list.includes(chatId)) await store.setSetting(ownerKey(from), JSON.stringify(list.filter((c) => c !== chatId)));
  }
  if (to) {
    const list = await listOwnedGroups(store, to);
    if (!list.includes(chatId)) await store.setSetting(ownerKey(to), JSON.stringify([...list, chatId]));
  }
}

/** Writes a group and keeps the owners' lists in step. */
export async function saveGroup(s: Deps, info: Omit<GroupInfo, 'updatedAt'>): Promise<GroupInfo> {
  return withLock(s, async () => {
    const before = await getGroup(s.store, info.chatId);
    const next: GroupInfo = { ...info, updatedAt: new Date(s.clock.now()).toISOString() };
    await s.store.setSetting(groupKey(info.chatId), JSON.stringify(next));
    await moveOwner(s.store, info.chatId, before?.owner ?? null, next.status === 'active' ? next.owner : null);
    return next;
  });
}

/** Asks WeCom for the group's name and owner and stores them; keeps what we knew (marked stale) on failure. */
export async function refreshGroup(s: Deps, chatId: string, fetch: FetchGroup | null): Promise<GroupInfo> {
  const before = await getGroup(s.store, chatId);
  try {
    if (!fetch) throw new Error('no WeCom app to ask');
    const got = await fetch(chatId);
    return await saveGroup(s, { chatId, name: got.name, owner: got.owner, status: 'active', stale: false });
  } catch (err) {
    s.log.warn({ component: 'radar', chatId: maskId(chatId), err: err instanceof Error ? err.message : String(err) }, 'could not read the group from WeCom');
    return saveGroup(s, { chatId, name: before?.name ?? null, owner: before?.owner ?? null, status: 'active', stale: true });
  }
}

export function isGroupChangeEvent(fields: Record<string, string>): boolean {
  return fields.MsgType === 'event' && fields.Event === 'change_external_chat';
}

/** Applies one decrypted `change_external_chat` callback (fields of the XML). */
export async function applyGroupChange(s: Deps, fields: Record<string, string>, fetch: FetchGroup | null = wecomGroupFetcher(s)): Promise<GroupInfo | null> {
  const chatId = fields.ChatId ?? '';
  if (!CHAT_ID.test(chatId)) {
    s.log.warn({ component: 'radar' }, 'change_external_chat without a usable ChatId');
    return null;
  }
  const change = fields.ChangeType ?? '';
  if (change === 'dismiss') {
    const before = await getGroup(s.store, chatId);
    return saveGroup(s, { chatId, name: before?.name ?? null, owner: before?.owner ?? null, status: 'dismissed', stale: false });
  }
  if (change === 'create' || change === 'update') {
    // Member joins and leaves change neither name nor owner; one fetch per group is enough until a real change.
    const detail = fields.UpdateDetail ?? '';
    const before = await getGroup(s.store, chatId);
    if (change === 'update' && before && !before.stale && (detail === 'add_member' || detail === 'del_member' || detail === 'change_notice')) return before;
    return refreshGroup(s, chatId, fetch);
  }
  s.log.info({ component: 'radar', change }, 'change_external_chat of an unknown kind ignored');
  return null;
}

/**
 * The hook for /webhooks/wecom: applies the change in the background so the callback is acknowledged at
 * once (WeCom allows 5 s, and groupchat/get may take that long). A lost change is repaired by the next one
 * or by the radar, which refreshes a group it does not know.
 */
export function onGroupChangeEvent(s: Deps, fields: Record<string, string>): void {
  applyGroupChange(s, fields).catch((err: unknown) =>
    s.log.error({ component: 'radar', err: err instanceof Error ? err.message : String(err) }, 'group change not applied'),
  );
}
