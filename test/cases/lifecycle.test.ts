/**
 * The lifecycle table: every action from every status is either the documented move or a coded 409; and the
 * only status writes in src/ are the lifecycle's.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors.js';
import { STATUSES, transition, type CaseAction } from '../../src/core/lifecycle.js';
import type { CaseStatus } from '../../src/core/types.js';
import { projectRoot } from '../../src/paths.js';

const ACTIONS: CaseAction[] = [
  { type: 'file' },
  { type: 'escalate' },
  { type: 'assign', to: 'u2' },
  { type: 'unassign' },
  { type: 'hand_back' },
  { type: 'approve' },
  { type: 'reject' },
  { type: 'step' },
  { type: 'resolve' },
  { type: 'close' },
  { type: 'reopen' },
  { type: 'shop_decide', verdict: 'approved' },
  { type: 'withdraw' },
];

/** status → action → the status after it; absent = refused. */
const ALLOWED: Record<CaseStatus, Partial<Record<CaseAction['type'], CaseStatus>>> = {
  collecting: { file: 'open', escalate: 'escalated' },
  open: { escalate: 'escalated', assign: 'assigned', resolve: 'resolved', shop_decide: 'approved', withdraw: 'closed' },
  escalated: { escalate: 'escalated', assign: 'assigned', hand_back: 'open', resolve: 'resolved', shop_decide: 'approved', withdraw: 'closed' },
  assigned: {
    escalate: 'assigned', assign: 'assigned', unassign: 'escalated', hand_back: 'open', approve: 'approved', reject: 'rejected', resolve: 'resolved',
    shop_decide: 'approved', withdraw: 'closed',
  },
  approved: { escalate: 'approved', assign: 'approved', step: 'executing', resolve: 'resolved' },
  rejected: { escalate: 'rejected', assign: 'rejected', resolve: 'resolved' },
  executing: { escalate: 'executing', assign: 'executing', step: 'executing', resolve: 'resolved' },
  resolved: { close: 'closed', reopen: 'escalated' },
  closed: { reopen: 'escalated' },
};

describe('case lifecycle', () => {
  for (const status of STATUSES) {
    it(`from ${status}: the documented moves, every other action refused with a code`, () => {
      for (const action of ACTIONS) {
        const c = { id: 'c1', status, assignee: 'u1' };
        const want = ALLOWED[status][action.type];
        if (want) {
          expect(transition(c, action).status, `${status} ${action.type}`).toBe(want);
          continue;
        }
        let err: unknown = null;
        try {
          transition(c, action);
        } catch (e) {
          err = e;
        }
        expect(err, `${status} ${action.type} must be refused`).toBeInstanceOf(AppError);
        expect((err as AppError).status).toBe(409);
        expect((err as AppError).code).toMatch(/^(already_resolved|already_decided|not_assigned|illegal_transition)$/);
      }
    });
  }

  it('names the refusal: resolving a closed case is already_resolved, deciding twice already_decided', () => {
    const code = (status: CaseStatus, action: CaseAction): string => {
      try {
        transition({ id: 'c1', status, assignee: 'u1' }, action);
        return 'allowed';
      } catch (e) {
        return (e as AppError).code;
      }
    };
    expect(code('closed', { type: 'resolve' })).toBe('already_resolved');
    expect(code('approved', { type: 'reject' })).toBe('already_decided');
    expect(code('open', { type: 'approve' })).toBe('not_assigned');
    expect(code('closed', { type: 'step' })).toBe('illegal_transition');
    expect(code('rejected', { type: 'shop_decide', verdict: 'approved' })).toBe('already_decided');
    expect(code('resolved', { type: 'withdraw' })).toBe('illegal_transition');
  });

  it('a reopened case has nobody on it; an owner keeps a case when the shopper asks for a person again', () => {
    expect(transition({ id: 'c1', status: 'closed', assignee: 'u1' }, { type: 'reopen' })).toEqual({ status: 'escalated', assignee: null });
    expect(transition({ id: 'c1', status: 'executing', assignee: 'u1' }, { type: 'escalate' })).toEqual({ status: 'executing' });
    // The shop's decision in 抖店 keeps the owner (if any) and names the verdict.
    expect(transition({ id: 'c1', status: 'assigned', assignee: 'u1' }, { type: 'shop_decide', verdict: 'rejected' })).toEqual({ status: 'rejected' });
  });

  it('nothing in src/ writes a case status except the lifecycle', () => {
    // A status literal in an object being written: `status: 'resolved'` and the like, outside core/lifecycle.ts.
    const literals = STATUSES.join('|');
    const out = execFileSync('grep', ['-rnE', `status: '(${literals})'`, 'src', '--include=*.ts'], { cwd: projectRoot, encoding: 'utf8' }).split('\n');
    // Reads (`listCases({ status })`) are filters, not writes; the store's task builder is a task's status.
    // Improvement items (src/improve, their store builder) have a status of their own, not a case's.
    const writes = out.filter(
      (l) =>
        l &&
        !l.startsWith('src/core/lifecycle.ts') &&
        !l.includes('listCases(') &&
        !l.startsWith('src/store/builders.ts:') &&
        !l.startsWith('src/analytics/demo-data.ts:') &&
        !l.startsWith('src/improve/') &&
        !l.startsWith('src/store/improvement-builder.ts:'),
    );
    expect(writes).toEqual([]);
  });
});
