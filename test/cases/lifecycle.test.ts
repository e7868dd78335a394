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
];

/** status → action → the status after it; absent = refused. */
const ALLOWED: Record<CaseStatus, Partial<Record<CaseAction['type'], CaseStatus>>> = {
  collecting: { file: 'open', escalate: 'escalated' },
  open: { escalate: 'escalated', assign: 'assigned', resolve: 'resolved' },
  escalated: { escalate: 'escalated', assign: 'assigned', hand_back: 'open', resolve: 'resolved' },
  assigned: { escalate: 'assigned', assign: 'assigned', unassign: 'escalated', hand_back: 'open', approve: 'approved', reject: 'rejected', resolve: 'resolved' },
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
  });

  it('a reopened case has nobody on it; an owner keeps a case when the shopper asks for a person again', () => {
    expect(transition({ id: 'c1', status: 'closed', assignee: 'u1' }, { type: 'reopen' })).toEqual({ status: 'escalated', assignee: null });
    expect(transition({ id: 'c1', status: 'executing', assignee: 'u1' }, { type: 'escalate' })).toEqual({ status: 'executing' });
  });

  it('nothing in src/ writes a case status except the lifecycle', () => {
    // A status literal in an object being written: `status: 'resolved'` and the like, outside core/lifecycle.ts.
    const literals = STATUSES.join('|');
    const out = execFileSync('grep', ['-rnE', `status: '(${literals})'`, 'src', '--include=*.ts'], { cwd: projectRoot, encoding: 'utf8' }).split('\n');
    // Reads (`listCases({ status })`) are filters, not writes; the store's task builder is a task's status, and
    // 改进单 (src/improve, the improvement builder) have their own open/done/closed.
    const others = ['src/core/lifecycle.ts', 'src/store/builders.ts:', 'src/analytics/demo-data.ts:', 'src/improve/', 'src/store/improvement-builder.ts:'];
    const writes = out.filter((l) => l && !others.some((p) => l.startsWith(p)) && !l.includes('listCases('));
    expect(writes).toEqual([]);
  });
});
