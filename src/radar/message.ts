/**
 * The decrypted 智能机器人 callback (WeCom p100719): `msgid, aibotid, chatid, chattype single|group, from.userid,
 * response_url, msgtype text|image|mixed|voice|file|stream|event, quote`. Only the words matter to the radar:
 * text, the text parts of mixed messages, transcribed voice and a quoted text, without the @mentions.
 */
import { AppError } from '../core/errors.js';

export interface BotMessage {
  msgid: string;
  aibotid: string;
  /** Group id; empty in a one-to-one chat with the bot. */
  chatId: string;
  chatType: 'group' | 'single' | 'other';
  userId: string;
  msgtype: string;
  /** The member's words with mentions removed; empty for images and files. */
  text: string;
  /** For msgtype `stream`: the stream WeCom asks us to refresh. */
  streamId: string | null;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const obj = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** WeCom separates a mention from the words with U+2005 (four-per-em space) or an ordinary space. */
const MENTION = /@[^\s\u2005@]{1,40}(?:[\s\u2005]+|$)/g;

export function stripMentions(text: string): string {
  return text.replace(MENTION, ' ').replace(/[\s\u2005]+/g, ' ').trim();
}

function wordsOf(m: Record<string, unknown>): string {
  const type = str(m.msgtype);
  if (type === 'text') return str(obj(m.text).content);
  if (type === 'voice') return str(obj(m.voice).content);
  if (type === 'mixed') {
    const items = obj(m.mixed).msg_item;
    return Array.isArray(items)
      ? items
          .map((i) => obj(i))
          .filter((i) => str(i.msgtype) === 'text')
          .map((i) => str(obj(i.text).content))
          .join(' ')
      : '';
  }
  return '';
}

/** Reads the fields the radar uses; 400 when the message has no msgid or sender. */
export function parseBotMessage(m: Record<string, unknown>): BotMessage {
  const msgtype = str(m.msgtype);
  const msgid = str(m.msgid);
  const userId = str(obj(m.from).userid);
  if (msgtype === 'stream') {
    return { msgid, aibotid: str(m.aibotid), chatId: str(m.chatid), chatType: 'other', userId, msgtype, text: '', streamId: str(obj(m.stream).id).slice(0, 64) || null };
  }
  // Events (enter_chat, template_card_event, feedback_event) carry no msgid worth checking here.
  if (msgtype !== 'event' && (!msgid || msgid.length > 128 || !userId || userId.length > 128)) {
    throw new AppError('malformed_json', 'message without msgid or sender', { status: 400, expose: true });
  }
  const chatType = str(m.chattype);
  const own = stripMentions(wordsOf(m));
  const quoted = stripMentions(wordsOf(obj(m.quote)));
  return {
    msgid,
    aibotid: str(m.aibotid),
    chatId: str(m.chatid).slice(0, 128),
    chatType: chatType === 'group' ? 'group' : chatType === 'single' ? 'single' : 'other',
    userId,
    msgtype,
    // A member may @ the bot under someone's complaint: the quoted words count too.
    text: [own, quoted].filter(Boolean).join(' ').slice(0, 2000),
    streamId: null,
  };
}
