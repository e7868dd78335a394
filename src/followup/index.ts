/**
 * Closing the loop after a resolution (issue #8): a satisfaction survey, a follow-up visit (回访), the answers,
 * and the durability of their alarms. Wiring: `onCaseResolved` from every place that resolves a case,
 * `withFollowups` around the dialogue bot, `followupTimerHandlers` in the timer processor, and
 * `rebuildFollowups` once at worker start.
 */
export { onCaseReopened, onCaseResolved, rebuildFollowups, type FollowupOptions } from './schedule.js';
export { withFollowups, type FollowupBotDeps } from './answer.js';
export { followupTimerHandlers, type FollowupTimerDeps } from './timers.js';
export { parseFollowupConfig, type FollowupConfig } from './config.js';
export { parseConsent, parseScore, parseSolved, isComplaint } from './parse.js';
export { CLOSE_TIMER, FOLLOWUP_TIMERS, SURVEY_TIMER, VISIT_TIMER, readPlan, type FollowupPlan } from './plan.js';
