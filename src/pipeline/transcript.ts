/**
 * A conversation's transcript: customer and platform-agent messages from the inbox, bot and console-agent
 * replies from the outbox, oldest first. Used by the simulator, the case API and the handoff packet.
 */
import type { Attachment, Author, Choice } from '../core/types.js';
import type { Store } from '../store/types.js';

export interface TranscriptEntry {
  id: string;
  at: string;
  from: Author;
  text: string;
  attachments: Attachment[];
  choices?: Choice[];
  /** Outbox delivery state for bot/agent lines (`sent`, `held`...); absent for inbound lines. */
  status?: string;
  recalled?: boolean;
  /** The bot's error code on a customer message it failed on (the row was handed to people). */
  botError?: string;
}

export async function buildTranscript(store: Store, conversationId: string, limit = 500): Promise<TranscriptEntry[]> {
  const [inbound, outbound] = await Promise.all([
    store.listInbound(conversationId, limit),
    store.listOutbound({ conversationId, limit }),
  ]);
  const entries: TranscriptEntry[] = [];
  for (const row of inbound) {
    if (row.message.kind === 'event') continue;
    entries.push({
      id: row.id,
      at: new Date(row.message.sentAt).toISOString(),
      from: row.from,
      text: row.message.text,
      attachments: row.message.attachments,
      ...(row.status === 'recalled' ? { recalled: true } : {}),
      ...(row.status === 'failed' && row.error ? { botError: row.error } : {}),
    });
  }
  for (const row of outbound) {
    entries.push({
      id: row.id,
      at: row.sentAt ?? row.createdAt,
      from: row.author,
      text: row.reply.text,
      attachments: [],
      ...(row.reply.choices ? { choices: row.reply.choices } : {}),
      status: row.status,
    });
  }
  return entries.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}
