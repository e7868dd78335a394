import { defineConfig } from 'vitest/config';

// `npm run test:mongo`: the store conformance suite, and with a reachable MongoDB also the end-to-end tests
// (the harness switches to STORE=mongo when TEST_STORE=mongo and MONGODB_URI are set).
const e2e = process.env.MONGODB_URI
  ? ['test/pipeline/ordering.test.ts', 'test/channels/**/e2e.test.ts', 'test/dialogue/web-scripts.test.ts']
  : [];

export default defineConfig({
  test: {
    include: ['test/store/mongo.test.ts', ...e2e],
    globalSetup: ['test/helpers/global-setup.ts'],
    env: { TEST_STORE: 'mongo' },
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
