/**
 * One behaviour contract for every Store adapter (BullMQ-style adapter conformance). Each test gets a fresh,
 * initialised store from `makeStore`, so exact counts and orders can be asserted.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/types.js';
import { caseRecordTests } from './suite/case-record.js';
import { caseTests } from './suite/cases.js';
import { conversationTests, customerTests } from './suite/conversations.js';
import { evidenceTests } from './suite/evidence.js';
import { improvementTests } from './suite/improvements.js';
import { inboxTests } from './suite/inbox.js';
import { outboxTests } from './suite/outbox.js';
import { statsTests } from './suite/stats.js';
import { caseEventTests, settingTests, userTests } from './suite/users.js';
import { tokenTests } from './suite/tokens.js';
import { alertTests, taskTests } from './suite/work-items.js';

export function describeStoreConformance(
  name: string,
  makeStore: () => Promise<Store>,
  cleanup?: (s: Store) => Promise<void>,
): void {
  describe(`Store conformance: ${name}`, () => {
    let current: Store | null = null;
    const store = (): Store => {
      if (!current) throw new Error('no store: makeStore() failed or the test runs outside the suite');
      return current;
    };

    beforeEach(async () => {
      current = await makeStore();
    });

    afterEach(async () => {
      const s = current;
      current = null;
      if (!s) return;
      try {
        await cleanup?.(s);
      } finally {
        await s.close();
      }
    });

    describe('lifecycle', () => {
      it('init is idempotent and ping answers', async () => {
        expect(['sqlite', 'mongo']).toContain(store().kind);
        await store().init();
        await store().init();
        await expect(store().ping()).resolves.toBeUndefined();
        await store().setSetting('k', 'v');
        await store().init();
        expect(await store().getSetting('k')).toBe('v');
      });
    });

    customerTests(store);
    conversationTests(store);
    inboxTests(store);
    outboxTests(store);
    caseTests(store);
    caseRecordTests(store);
    evidenceTests(store);
    userTests(store);
    caseEventTests(store);
    settingTests(store);
    alertTests(store);
    taskTests(store);
    tokenTests(store);
    statsTests(store);
    improvementTests(store);
  });
}
