/**
 * The shop's published after-sales rules (config/policies.json), schema-validated once at load. The intake
 * applies them and the policy answers quote them, so what the bot says and what it does come from one file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { CASE_CATEGORIES, RESOLUTIONS, type CaseCategory, type EvidenceKind, type Priority, type Resolution } from '../core/types.js';
import { projectRoot } from '../paths.js';

const category = z.enum(CASE_CATEGORIES as unknown as [CaseCategory, ...CaseCategory[]]);
const resolution = z.enum(RESOLUTIONS as unknown as [Resolution, ...Resolution[]]);
const priority = z.union([z.literal(1), z.literal(2), z.literal(3)]);
const evidenceKind = z.enum(['image', 'video', 'file', 'voice']);
const minutes = z.number().positive().max(7 * 24 * 60);

const evidenceRule = z.object({
  minItems: z.number().int().min(0).max(9),
  kinds: z.array(evidenceKind).min(1),
});

const categoryPolicy = z.object({
  evidence: evidenceRule,
  resolutions: z.array(resolution).min(1),
  /** The customer may submit without choosing a resolution (e.g. a service complaint that is only feedback). */
  resolutionOptional: z.boolean(),
  /** Days from sign-for within which this category is accepted; null = no window. */
  windowDays: z.number().int().positive().nullable(),
  /** Who is at fault, which decides who pays return shipping. */
  fault: z.enum(['shop', 'customer']),
});

const memberPolicy = z.object({
  priorityHandling: z.boolean(),
  compensationAutoApproveYuan: z.number().min(0).max(100_000),
});

const byPriority = z.object({ '1': z.number().positive(), '2': z.number().positive(), '3': z.number().positive() });

export const policiesSchema = z
  .object({
    schemaVersion: z.literal(1),
    timers: z.object({ idleReminderMinutes: minutes, closeIntakeMinutes: minutes }),
    intake: z.object({
      maxFailedAttempts: z.number().int().min(1).max(10),
      descriptionMinChars: z.number().int().min(1).max(50),
      descriptionMaxChars: z.number().int().min(20).max(2000),
      maxEvidence: z.number().int().min(1).max(50),
      recentOrderChoices: z.number().int().min(0).max(5),
    }),
    returnWindow: z.object({ noReasonDays: z.number().int().positive(), countFrom: z.literal('sign_for') }),
    returnShipping: z.object({
      shopFault: z.enum(['shop', 'customer']),
      noFault: z.enum(['shop', 'customer']),
      freightInsurance: z.boolean(),
    }),
    refund: z.object({ reviewHours: z.number().positive(), arrivalWorkdays: z.string().min(1).max(10) }),
    warrantyDays: z.number().int().min(0),
    /** 催件: days promised to the shopper, after which the bot asks whether the parcel arrived. */
    urgeDelivery: z.object({ checkAfterDays: z.number().int().min(1).max(15) }),
    categories: z.record(category, categoryPolicy),
    damageInTransit: z.object({ words: z.array(z.string().min(1)), evidence: evidenceRule }),
    priority: z.object({
      default: priority,
      urgent: priority,
      urgentWhen: z.object({
        risk: z.boolean(),
        safetyHazard: z.boolean(),
        categories: z.array(category),
        memberPriorityHandling: z.boolean(),
      }),
      byCategory: z.partialRecord(category, priority),
    }),
    /** Hazards that get safety advice before anything else (and go to a person), one template per kind. */
    safetyAdvice: z.array(z.object({ id: z.string().min(1), words: z.array(z.string().min(1)).min(1), template: z.string().min(1) })),
    safetyHazardWords: z.array(z.string().min(1)),
    members: z.object({ default: memberPolicy, levels: z.record(z.string().min(1), memberPolicy) }),
    expectations: z.object({ reviewHoursByPriority: byPriority, handoffMinutesByPriority: byPriority }),
    policyTopics: z.array(
      z.object({ id: z.string().min(1), keywords: z.array(z.string().min(1)).min(1), template: z.string().min(1) }),
    ),
  })
  .superRefine((p, ctx) => {
    if (p.categories.no_fault_return.windowDays !== null && p.categories.no_fault_return.windowDays !== p.returnWindow.noReasonDays) {
      ctx.addIssue({
        code: 'custom',
        path: ['categories', 'no_fault_return', 'windowDays'],
        message: `must equal returnWindow.noReasonDays (${p.returnWindow.noReasonDays}) so answers and decisions agree`,
      });
    }
    if (p.timers.closeIntakeMinutes <= p.timers.idleReminderMinutes) {
      ctx.addIssue({ code: 'custom', path: ['timers', 'closeIntakeMinutes'], message: 'must be later than idleReminderMinutes' });
    }
  });

export type Policies = z.infer<typeof policiesSchema>;
export type EvidenceRule = z.infer<typeof evidenceRule>;
export type MemberPolicy = z.infer<typeof memberPolicy>;

export class PolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyError';
  }
}

/** Validates a parsed config object against `schema`; throws PolicyError naming the first wrong field. */
export function parseWith<T>(schema: z.ZodType<T>, raw: unknown, source: string): T {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : '(root)';
    throw new PolicyError(`${source}: ${where}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/** Reads and validates one of the operators' JSON files; any problem is one line naming the file. */
export function loadJsonWith<T>(schema: z.ZodType<T>, file: string): T {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new PolicyError(`${path.basename(file)}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return parseWith(schema, raw, path.basename(file));
}

/** Validates a parsed policy object; throws PolicyError naming the first wrong field. */
export function parsePolicies(raw: unknown, source = 'policies'): Policies {
  return parseWith(policiesSchema, raw, source);
}

export function loadPolicies(file = path.join(projectRoot, 'config/policies.json')): Policies {
  return loadJsonWith(policiesSchema, file);
}

export interface IntakeFacts {
  category: CaseCategory | null;
  risk: boolean;
  safetyHazard: boolean;
  damageInTransit: boolean;
  memberLevel: string | null;
}

export function allowedResolutions(p: Policies, c: CaseCategory): Resolution[] {
  return p.categories[c].resolutions;
}

/** Evidence the category needs; damage in transit needs photos even though other delivery problems do not. */
export function evidenceRuleFor(p: Policies, c: CaseCategory, damageInTransit: boolean): EvidenceRule {
  const base = p.categories[c].evidence;
  if (c === 'logistics' && damageInTransit && p.damageInTransit.evidence.minItems > base.minItems) return p.damageInTransit.evidence;
  return base;
}

export function countsAsEvidence(rule: EvidenceRule, kind: EvidenceKind): boolean {
  return rule.kinds.includes(kind);
}

export function memberPolicyOf(p: Policies, level: string | null): MemberPolicy {
  if (!level) return p.members.default;
  return p.members.levels[level.toLowerCase()] ?? p.members.default;
}

/** Priority per the policy file, with the reasons that raised it (kept on the case for the agent). */
export function priorityFor(p: Policies, f: IntakeFacts): { priority: Priority; reasons: string[] } {
  const when = p.priority.urgentWhen;
  const reasons: string[] = [];
  if (when.risk && f.risk) reasons.push('risk');
  if (when.safetyHazard && f.safetyHazard) reasons.push('safety_hazard');
  if (f.category && when.categories.includes(f.category)) reasons.push(`category:${f.category}`);
  if (when.memberPriorityHandling && memberPolicyOf(p, f.memberLevel).priorityHandling) reasons.push(`member:${f.memberLevel ?? ''}`);
  if (reasons.length > 0) return { priority: p.priority.urgent, reasons };
  const byCategory = f.category ? p.priority.byCategory[f.category] : undefined;
  return { priority: byCategory ?? p.priority.default, reasons: [] };
}

export type WindowVerdict =
  | { status: 'none' }
  | { status: 'unknown'; days: number }
  | { status: 'within' | 'expired'; days: number; daysSince: number; signedAt: number };

const DAY = 24 * 3600 * 1000;

/** The category's window counted from sign-for; `unknown` when the sign-for time is not known (no 抖店). */
export function windowVerdict(p: Policies, c: CaseCategory, signedAt: number | null, now: number): WindowVerdict {
  const days = p.categories[c].windowDays;
  if (days === null) return { status: 'none' };
  if (signedAt === null) return { status: 'unknown', days };
  const daysSince = Math.floor((now - signedAt) / DAY);
  return { status: now - signedAt > days * DAY ? 'expired' : 'within', days, daysSince, signedAt };
}

export function shippingPayer(p: Policies, c: CaseCategory): 'shop' | 'customer' {
  return p.categories[c].fault === 'shop' ? p.returnShipping.shopFault : p.returnShipping.noFault;
}

export function containsAny(normalized: string, words: readonly string[]): boolean {
  return words.some((w) => normalized.includes(w.toLowerCase()));
}

/** Policy topics a question touches, in file order. */
export function matchPolicyTopics(p: Policies, normalized: string): Policies['policyTopics'] {
  return p.policyTopics.filter((t) => containsAny(normalized, t.keywords));
}
