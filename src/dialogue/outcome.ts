/** What one dialogue step decides: the new state, what to say (template keys), choices, and one side effect. */
import type { Case, CaseCategory, Choice, EvidenceRef, Resolution } from '../core/types.js';
import type { TemplateVars } from '../../templates/render.js';
import type { Policies } from './policies.js';
import type { DialogueState, Intake } from './state.js';

export interface Say {
  key: string;
  vars?: TemplateVars;
}

export type Effect =
  | { type: 'submit'; intake: Intake }
  | {
      type: 'escalate';
      /** One line for the agent, English (logs and case events). */
      reason: string;
      risk: boolean;
      /** Raise to the policy's urgent priority (risky messages). */
      urgent: boolean;
      /** Collected so far; becomes (part of) the case the person picks up. */
      intake: Intake | null;
      /** The message that triggered it, as the description of a case created from nothing. */
      text: string;
      category: CaseCategory | null;
      /** Order ids in that message, so the case the person picks up has them even when nothing was collected. */
      orderIds: string[];
    }
  | { type: 'attach'; caseId: string; evidence: EvidenceRef[] }
  /** The answer to the 催件 check: arrived, or not (with the resolution to switch the case to, if any). */
  | { type: 'arrival'; caseId: string; arrived: boolean; resolution: Resolution | null }
  /** A correction of the case just filed (「订单号发错了，是…」): the same case, changed while nobody works on it. */
  | { type: 'amend'; caseId: string; change: Amendment };

/** What a correction after filing changes on the case. */
export interface Amendment {
  orderId?: string;
  resolution?: Resolution;
}

export interface Outcome {
  state: DialogueState;
  say: Say[];
  choices: Choice[];
  effect: Effect | null;
}

/** Everything a step may read besides the state and the message: all loaded before the step runs. */
export interface FlowCtx {
  policies: Policies;
  now: number;
  shopName: string;
  /** The customer's cases on this channel, newest first. */
  cases: Case[];
  memberLevel: string | null;
  /** Orders the customer used before (with the product name when 抖店 told us), newest first. */
  recentOrders: { orderId: string; productName: string | null }[];
  /** Shipments 抖店 pushed for the orders in play (named in the message or on a case), by order id. */
  shipments?: Readonly<Record<string, { trackingNo: string; carrier: string | null }>>;
  /** A short text from templates (labels, list lines): the first variant, filled. */
  text(key: string, vars?: TemplateVars): string;
}
