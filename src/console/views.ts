/**
 * What the API shows: the Case of the README's case API (plus `ref`, `description`, `sla`, `decision`, `steps`;
 * never `data`, `version` or the conversation id), transcript messages with `from` limited to customer/bot/agent,
 * and people without their password hash.
 */
import type { Case } from '../core/types.js';
import { caseRef } from '../handoff/refs.js';
import { readDecision, type CaseDecision, type CaseStep } from '../cases/steps.js';
import { readSla, type SlaState } from '../handoff/sla.js';
import type { TranscriptEntry } from '../pipeline/transcript.js';
import type { ConsoleUser } from '../store/types.js';

export interface CaseJson {
  id: string;
  channel: Case['channel'];
  customerId: string;
  category: Case['category'];
  orderId: string | null;
  evidence: { id: string; kind: string; mime: string; size: number; sha256: string }[];
  resolution: Case['resolution'];
  status: Case['status'];
  priority: Case['priority'];
  risk: boolean;
  assignee: string | null;
  csat: Case['csat'];
  reopenCount: number;
  createdAt: string;
  updatedAt: string;
  ref: string;
  description: string | null;
  sla: SlaState;
  /** The review decision (src/cases/steps.ts) and the execution steps so far (Case.steps). */
  decision: CaseDecision | null;
  steps: CaseStep[];
}

export function caseJson(c: Case): CaseJson {
  return {
    id: c.id,
    channel: c.channel,
    customerId: c.customerId,
    category: c.category,
    orderId: c.orderId,
    evidence: c.evidence.map((e) => ({ id: e.id, kind: e.kind, mime: e.mime, size: e.size, sha256: e.sha256 })),
    resolution: c.resolution,
    status: c.status,
    priority: c.priority,
    risk: c.risk,
    assignee: c.assignee,
    csat: c.csat,
    reopenCount: c.reopenCount,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    ref: caseRef(c.id),
    description: c.description,
    sla: readSla(c),
    decision: readDecision(c),
    steps: c.steps,
  };
}

export interface MessageJson {
  at: string;
  from: 'customer' | 'bot' | 'agent';
  text: string;
  attachments: TranscriptEntry['attachments'];
  /** Extras for the console: `system` notices, delivery state (`held`, `failed`…), recalled lines. */
  author: TranscriptEntry['from'];
  status?: string;
  recalled?: boolean;
  botError?: string;
}

export function messageJson(t: TranscriptEntry): MessageJson {
  // System notices (hand-over, queue position) are ours, not the customer's: shown as the bot's in the contract.
  const from = t.from === 'customer' || t.from === 'agent' ? t.from : 'bot';
  return {
    at: t.at,
    from,
    text: t.recalled ? '' : t.text,
    attachments: t.attachments.map((a) => ({ kind: a.kind, ...(a.evidenceId ? { evidenceId: a.evidenceId } : {}), ...(a.mime ? { mime: a.mime } : {}), ...(a.size !== undefined ? { size: a.size } : {}) })),
    author: t.from,
    ...(t.status ? { status: t.status } : {}),
    ...(t.recalled ? { recalled: true } : {}),
    ...(t.botError ? { botError: t.botError } : {}),
  };
}

export interface UserJson {
  id: string;
  username: string;
  displayName: string;
  role: ConsoleUser['role'];
  skills: string[];
  capacity: number;
  online: boolean;
  wecomUserId: string | null;
  createdAt: string;
  updatedAt: string;
}

export function userJson(u: ConsoleUser): UserJson {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    skills: u.skills,
    capacity: u.capacity,
    online: u.online,
    wecomUserId: u.wecomUserId,
    createdAt: u.createdAt,
    updatedAt: u.updatedAt,
  };
}
