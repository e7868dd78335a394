/**
 * The dialogue state stored in `conversation.state`. It carries its own schema version: a state written by
 * another version (or the acknowledgement bot) is not trusted and the dialogue starts afresh.
 */
import type { CaseCategory, Choice, EvidenceRef, Resolution } from '../core/types.js';

export const STATE_VERSION = 1;

/** Slots in the order they are asked. */
export const SLOTS = ['category', 'orderId', 'description', 'evidence', 'resolution'] as const;
export type Slot = (typeof SLOTS)[number];

/** What the bot is waiting for. */
export type Asking = Slot | 'confirm' | 'edit' | 'pick_case' | null;

/** What 抖店 said about the order (only when 抖店 is configured; `verified: false` when it could not answer). */
export interface OrderFacts {
  orderId: string;
  verified: boolean;
  signedAt: number | null;
  statusDesc: string | null;
  productName: string | null;
}

export interface Intake {
  category: CaseCategory | null;
  orderId: string | null;
  order: OrderFacts | null;
  description: string | null;
  evidence: EvidenceRef[];
  resolution: Resolution | null;
  /** The customer said no resolution is needed (only where the policy allows it). */
  noResolution: boolean;
  safetyHazard: boolean;
  damageInTransit: boolean;
  /** 「先催件，过两天还不到再退款」: what to do if the parcel has still not come after 催件. */
  fallbackResolution?: Resolution | null;
  /** Sign-for time as the shopper stated it ("签收十天了"), used when 抖店 did not tell us. */
  statedSignedAt?: number | null;
  /** Inbox row that opened the intake. */
  openedBy: string;
}

export interface DialogueState {
  v: typeof STATE_VERSION;
  /** Incremented on every bot turn; timers compare it to know the customer stayed silent. */
  seq: number;
  asking: Asking;
  intake: Intake | null;
  /** Failed attempts per question since it was last answered. */
  failures: Partial<Record<Exclude<Asking, null>, number>>;
  /** The choices last offered, so "2" or the label typed back means the same as a click. */
  offered: Choice[];
  /** What the customer wanted when asked to pick a case (the progress question). */
  pickFor: 'progress' | null;
  /** Problem words that arrived before the category was clear, kept as the description. */
  pendingText: string | null;
  lastReply: string | null;
  lastCaseId: string | null;
  /** seq at which a timer closed the intake (makes the close idempotent). */
  closedAtSeq: number | null;
  /** An intake the idle timer put aside, kept whole so the shopper can go on from where it was. */
  parked?: { intake: Intake; asking: Asking } | null;
  /** Q&A entries the last reply answered: asked again at once, they are not recited a second time. */
  lastAnswers?: string[];
  /** The 催件 case whose "did it arrive?" question is waiting for an answer. */
  arrivalCheck?: string | null;
  /** The just-filed case whose change of mind to a refund waits for 退货退款 or 仅退款. */
  amendPending?: string | null;
}

export function freshState(): DialogueState {
  return {
    v: STATE_VERSION,
    seq: 0,
    asking: null,
    intake: null,
    failures: {},
    offered: [],
    pickFor: null,
    pendingText: null,
    lastReply: null,
    lastCaseId: null,
    closedAtSeq: null,
  };
}

export function newIntake(openedBy: string): Intake {
  return {
    category: null,
    orderId: null,
    order: null,
    description: null,
    evidence: [],
    resolution: null,
    noResolution: false,
    safetyHazard: false,
    damageInTransit: false,
    openedBy,
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads the stored state; anything of another version starts fresh (keeping the last reply to avoid repeats). */
export function readState(raw: Record<string, unknown>): DialogueState {
  if (raw.v === STATE_VERSION && typeof raw.seq === 'number' && isRecord(raw.failures) && Array.isArray(raw.offered)) {
    return { ...freshState(), ...(raw as Partial<DialogueState>) } as DialogueState;
  }
  const fresh = freshState();
  return typeof raw.lastReply === 'string' ? { ...fresh, lastReply: raw.lastReply } : fresh;
}

/** True while an intake is being collected (the idle timers apply). */
export function collecting(s: DialogueState): boolean {
  return s.intake !== null && s.asking !== null && s.asking !== 'pick_case';
}
