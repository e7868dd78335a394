/**
 * A case from a finished (or handed-off) intake, as the README's case API defines it. Idempotent: the inbox row that
 * submitted the intake is stored as `data.intakeKey`, and a re-run of that row finds the case instead of
 * creating a second one; evidence, resolution and the `created` event are applied once.
 */
import type { Case, Channel } from '../core/types.js';
import { initialStatus } from '../core/lifecycle.js';
import {
  allowedResolutions,
  evidenceRuleFor,
  memberPolicyOf,
  priorityFor,
  shippingPayer,
  windowVerdict,
  type Policies,
} from '../dialogue/policies.js';
import type { Intake } from '../dialogue/state.js';
import type { Store } from '../store/types.js';
import { addEventOnce, changeCase } from '../store/versioned.js';

export interface IntakeCaseInput {
  conversationId: string;
  channel: Channel;
  /** Case.customerId: see cases/customer.ts. */
  customerId: string;
  intake: Intake;
  /** Idempotency key: the inbox row id of the message that submitted it. */
  key: string;
  policies: Policies;
  memberLevel: string | null;
  risk?: boolean;
  /** Filed by the bot (waits for review, 待审核) or straight to people; default filed. */
  how?: 'filed' | 'escalated';
  now: number;
}

export async function findCaseByIntakeKey(store: Store, conversationId: string, key: string): Promise<Case | null> {
  const page = await store.listCases({ conversationId, limit: 200 });
  return page.items.find((c) => c.data.intakeKey === key) ?? null;
}

/** What the policy said when the case was made: the agent sees the verdict the bot applied. */
export function policyVerdict(p: Policies, intake: Intake, memberLevel: string | null, now: number): Record<string, unknown> {
  if (!intake.category) return { memberLevel };
  const c = intake.category;
  const rule = evidenceRuleFor(p, c, intake.damageInTransit);
  const member = memberPolicyOf(p, memberLevel);
  return {
    allowedResolutions: allowedResolutions(p, c),
    evidenceRequired: rule.minItems,
    window: windowVerdict(p, c, intake.order?.signedAt ?? null, now),
    returnShippingPaidBy: shippingPayer(p, c),
    memberLevel,
    compensationAutoApproveYuan: intake.resolution === 'compensation' ? member.compensationAutoApproveYuan : 0,
  };
}

export async function createCaseFromIntake(s: { store: Store }, input: IntakeCaseInput): Promise<Case> {
  const { store } = s;
  const { intake, policies: p } = input;
  const risk = input.risk ?? false;
  const { priority, reasons } = priorityFor(p, {
    category: intake.category,
    risk,
    safetyHazard: intake.safetyHazard,
    damageInTransit: intake.damageInTransit,
    memberLevel: input.memberLevel,
  });
  const existing = await findCaseByIntakeKey(store, input.conversationId, input.key);
  const created =
    existing ??
    (await store.createCase({
      channel: input.channel,
      customerId: input.customerId,
      conversationId: input.conversationId,
      category: intake.category,
      orderId: intake.orderId,
      description: intake.description,
      status: initialStatus(input.how ?? 'filed'),
      priority,
      risk,
      data: {
        intakeKey: input.key,
        intake: {
          openedBy: intake.openedBy,
          safetyHazard: intake.safetyHazard,
          damageInTransit: intake.damageInTransit,
          noResolution: intake.noResolution,
        },
        order: intake.order,
        priorityReasons: reasons,
        // A filed case waits for review from now on (SLA clocks, queue order).
        ...(input.how !== 'escalated' ? { filedAt: new Date(input.now).toISOString() } : {}),
        policy: policyVerdict(p, intake, input.memberLevel, input.now),
        // 催件: the days promised and the wish for a parcel that still does not come (src/dialogue/urge.ts).
        ...(intake.resolution === 'urge_delivery' ? { urge: { checkAfterDays: p.urgeDelivery.checkAfterDays, fallback: intake.fallbackResolution ?? null } } : {}),
      },
    }));

  // NewCase has no evidence or resolution: applied once, right after creation (also after a crash in between).
  const updated = await changeCase(store, created.id, (c) =>
    c.data.intakeApplied === true
      ? null
      : { evidence: intake.evidence, resolution: intake.resolution, data: { ...c.data, intakeApplied: true } },
  );
  await store.linkEvidence(
    intake.evidence.map((e) => e.id),
    created.id,
  );
  await addEventOnce(store, {
    caseId: created.id,
    type: 'created',
    actor: 'bot',
    key: input.key,
    data: { category: intake.category, priority, priorityReasons: reasons, evidence: intake.evidence.length },
  });
  return updated ?? created;
}

/** Adds photos sent after submission to the case (once per photo). */
export async function attachEvidence(s: { store: Store }, caseId: string, evidence: Case['evidence']): Promise<Case | null> {
  const updated = await changeCase(s.store, caseId, (c) => {
    const fresh = evidence.filter((e) => !c.evidence.some((k) => k.id === e.id));
    return fresh.length > 0 ? { evidence: [...c.evidence, ...fresh] } : null;
  });
  await s.store.linkEvidence(
    evidence.map((e) => e.id),
    caseId,
  );
  return updated;
}
