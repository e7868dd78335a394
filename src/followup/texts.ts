/** What the customer and the community managers read: every wording comes from templates/zh-CN/followup.json. */
import { DateTime } from 'luxon';
import type { Case, Channel, Choice, Csat, OutboundReply } from '../core/types.js';
import { caseRef } from '../dialogue/answers.js';
import { orderTail } from '../dialogue/intake.js';
import { seedOf } from '../dialogue/replies.js';
import { renderTemplate, type TemplateBook, type TemplateVars } from '../../templates/render.js';
import { SHOWCASE_NO, SHOWCASE_YES, VISIT_SOLVED, VISIT_UNSOLVED, surveyChoiceId } from './parse.js';
import type { StepName } from './plan.js';

export const SHOP_ZONE = 'Asia/Shanghai';

const first = (book: TemplateBook, key: string, vars: TemplateVars = {}): string => renderTemplate(book, key, vars, { seed: 0 });

function caseVars(kase: Pick<Case, 'id' | 'orderId'>, shopName: string): TemplateVars {
  return { shopName, orderTail: orderTail(kase.orderId), caseRef: caseRef(kase.id) };
}

/**
 * The survey with five choices, best first (a WeCom msgmenu, buttons on the web). Douyin shows choices as
 * numbered lines, so there they run 1→5: typing 「1」 then means the same as the score 1.
 */
export function surveyReply(book: TemplateBook, kase: Pick<Case, 'id' | 'orderId' | 'channel'>, shopName: string, round: number): OutboundReply {
  const key = kase.orderId ? 'followup.survey.ask' : 'followup.survey.ask_no_order';
  const text = renderTemplate(book, key, caseVars(kase, shopName), { seed: seedOf(kase.id, round, 'survey') });
  const best: Choice[] = ([5, 4, 3, 2, 1] as Csat[]).map((n) => ({ id: surveyChoiceId(n), label: first(book, `followup.survey.choice.${n}`) }));
  const choices = kase.channel === 'douyin' ? [...best].reverse() : best;
  return { text, choices, tail: first(book, 'followup.survey.tail') };
}

export function visitReply(book: TemplateBook, kase: Pick<Case, 'id' | 'orderId'>, shopName: string, round: number): OutboundReply {
  const key = kase.orderId ? 'followup.visit.ask' : 'followup.visit.ask_no_order';
  return {
    text: renderTemplate(book, key, caseVars(kase, shopName), { seed: seedOf(kase.id, round, 'visit') }),
    choices: [
      { id: VISIT_SOLVED, label: first(book, 'followup.visit.choice.solved') },
      { id: VISIT_UNSOLVED, label: first(book, 'followup.visit.choice.unsolved') },
    ],
  };
}

/** Thanks for a 4–5, asking whether the review may be shown (two choices). */
export function thanksReply(book: TemplateBook, score: Csat, shopName: string, seed: string): OutboundReply {
  return {
    text: renderTemplate(book, 'followup.survey.thanks', { score, shopName }, { seed: seedOf(seed) }),
    choices: [
      { id: SHOWCASE_YES, label: first(book, 'followup.showcase.choice.yes') },
      { id: SHOWCASE_NO, label: first(book, 'followup.showcase.choice.no') },
    ],
  };
}

export function say(book: TemplateBook, key: string, vars: TemplateVars, seed: string): OutboundReply {
  return { text: renderTemplate(book, key, vars, { seed: seedOf(seed) }) };
}

/** 「11月3日 14:05」 in the shop's time zone. */
export function shopTime(ms: number | null, book: TemplateBook): string {
  if (ms === null) return first(book, 'followup.what.never');
  return DateTime.fromMillis(ms, { zone: SHOP_ZONE }).toFormat('M月d日 HH:mm');
}

export type BlockCode = 'wecom_window' | 'wecom_no_message' | 'wecom_cap' | 'wecom_session' | 'douyin_window' | 'douyin_daily' | 'no_channel' | 'blocked';

/** The task reason a community manager reads in the console. */
export function taskReason(book: TemplateBook, code: BlockCode, vars: { step: StepName; lastAt: number | null; channel: Channel; limit?: number }): string {
  return first(book, `followup.task.${code}`, {
    what: first(book, `followup.what.${vars.step}`),
    lastAt: shopTime(vars.lastAt, book),
    channel: vars.channel,
    limit: vars.limit,
  });
}

export function lowScoreAlert(book: TemplateBook, kase: Pick<Case, 'id'>, score: Csat, words: string): { title: string; text: string } {
  const vars = { score, words, caseRef: caseRef(kase.id) };
  return { title: first(book, 'followup.alert.title', vars), text: first(book, 'followup.alert.text', vars) };
}
