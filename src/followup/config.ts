/**
 * `config/followup.json`: when surveys and follow-up visits (回访) go out, how long an answer is awaited, the
 * survey cooldown per customer, and the words an answer is read with. Validated once (src/operator-data.ts); a
 * mistake stops start-up with one line naming the field. Every duration is divided by TIME_SCALE where it is used.
 */
import { z } from 'zod';

const words = z.array(z.string().min(1)).min(1);
const byScore = z.object({ '1': words, '2': words, '3': words, '4': words, '5': words });

const schema = z
  .object({
    schemaVersion: z.literal(1),
    surveyEnabled: z.boolean(),
    /** After a case is resolved, wait this long before asking for a score. */
    surveyDelayMinutes: z.number().positive().max(7 * 24 * 60),
    /** A survey left unanswered this long closes the case with csat null; also how long any answer is awaited. */
    answerTimeoutHours: z.number().positive().max(30 * 24),
    /** Never survey the same customer twice within this many days. */
    surveyCooldownDays: z.number().min(0).max(365),
    followupEnabled: z.boolean(),
    /** The follow-up visit (回访) this many days after the resolution… */
    followupDelayDays: z.number().positive().max(90),
    /** …or this many days after 抖店 reported 退款成功, when it did. */
    doudianRefundFollowupDays: z.number().positive().max(90),
    /** Survey and follow-up messages per Douyin customer per calendar day (Asia/Shanghai). */
    douyinDailyProactiveLimit: z.number().int().min(0).max(10),
    /** While the customer is busy with another case, a due message waits (another survey delay) this many times. */
    busyDeferrals: z.number().int().min(0).max(10),
    /** At start-up, closed cases created within this many days are checked for lost follow-up jobs. */
    rebuildLookbackDays: z.number().int().min(1).max(365),
    answers: z.object({
      /** Words that give a score wherever they appear in a short answer. */
      scoreWords: byScore,
      /** Words that give a score only when they are (nearly) the whole answer: 「一般」, 「还行」. */
      casualScoreWords: byScore,
      emoji: byScore,
      solved: words,
      unsolved: words,
      consentYes: words,
      consentNo: words,
      /** Words that make a message a new complaint (which reopens the case). */
      complaintWords: words,
      /** Words that may surround an answer without changing it: 「我觉得」, 「吧」. */
      fillers: words,
    }),
  })
  .superRefine((c, ctx) => {
    if (c.followupDelayDays * 24 <= c.surveyDelayMinutes / 60) {
      ctx.addIssue({ code: 'custom', path: ['followupDelayDays'], message: 'must be later than surveyDelayMinutes' });
    }
  });

export type FollowupConfig = z.infer<typeof schema>;
export type AnswerWords = FollowupConfig['answers'];

export function parseFollowupConfig(raw: unknown, source = 'config/followup.json'): FollowupConfig {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${source}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}
