/**
 * One customer turn: the messages a shopper sent before the bot answered, read together. 「我的锅底涂层掉了」
 * then the order number a second later is one thought; answering the first alone would ask for what was just
 * sent. Pure: the drain lists the pending rows, this says which of them form the next turn (or how long to
 * wait for it to settle), and merges a turn into the one message the bot reads.
 */
import type { InboundMessage } from '../core/types.js';
import type { InboxRow } from '../store/types.js';

/**
 * At most this many messages are read as one turn. A backlog (a worker that was down, a shopper pasting a
 * whole chat) is not one thought: past this, the rest is the next turn.
 */
export const MAX_TURN_ROWS = 5;

/** What a turn may hold: the shopper's own words and pictures (no events, clicks, voice, cards). */
const joins = (row: InboxRow): boolean =>
  row.from === 'customer' && !row.message.event && (row.message.kind === 'text' || row.message.kind === 'image');

export type NextTurn = { rows: InboxRow[] } | { waitMs: number };

/**
 * The next turn from the head of `pending` (platform-time order, non-empty). The head waits out its settle
 * time; a message that arrived within the settle time of the head joins it and is waited for too, so two quick
 * messages are answered once. With no settle time (WeCom: a sync page is one batch) the turn is every joinable
 * row already pending.
 */
export function nextTurn(pending: InboxRow[], settleMs: number, now: number): NextTurn {
  const head = pending[0];
  if (!head) throw new Error('nextTurn needs at least one pending row');
  const headAt = Date.parse(head.receivedAt);
  if (now - headAt < settleMs) return { waitMs: settleMs - (now - headAt) };
  if (!joins(head)) return { rows: [head] };
  const rows = [head];
  for (const row of pending.slice(1, MAX_TURN_ROWS)) {
    const at = Date.parse(row.receivedAt);
    if (!joins(row)) break;
    if (settleMs > 0 && at - headAt > settleMs) break;
    if (now - at < settleMs) return { waitMs: settleMs - (now - at) };
    rows.push(row);
  }
  return { rows };
}

/**
 * The turn as one message: the texts in order, one per line; every attachment; the first order id carried by
 * a card; the last message's time and routing data (the reply answers the latest message).
 */
export function mergeTurn(messages: InboundMessage[]): InboundMessage {
  const last = messages.at(-1);
  if (!last) throw new Error('mergeTurn needs at least one message');
  if (messages.length === 1) return last;
  const texts = messages.filter((m) => m.kind === 'text' && m.text.trim() !== '').map((m) => m.text);
  const orderId = messages.find((m) => m.orderId)?.orderId;
  return {
    ...last,
    kind: texts.length > 0 ? 'text' : last.kind,
    text: texts.length > 0 ? texts.join('\n') : last.text,
    attachments: messages.flatMap((m) => m.attachments),
    meta: Object.assign({}, ...messages.map((m) => m.meta)) as InboundMessage['meta'],
    ...(orderId ? { orderId } : {}),
  };
}
