import { defineConfig } from 'vitest/config';

// `npm run test:mongo`: the store conformance suite and the end-to-end tests with STORE=mongo.
export default defineConfig({
  test: {
    include: ['test/store/mongo.test.ts', 'test/e2e/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    env: { TEST_STORE: 'mongo' },
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
