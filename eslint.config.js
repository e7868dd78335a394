import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The layers, enforced: dependencies point inward. handlers/ (Koa routes, job processors) may use src/; src/
 * never uses handlers/ or Koa. The pipeline, the store, the NLU and the queues know nothing of the features
 * built on them (dialogue, cases, handoff, follow-up, console, alerts, analytics, radar): those reach the
 * pipeline through hooks handed over by the composition root. core/ imports nothing outside itself.
 */
const EDGES = {
  paths: [
    { name: 'koa', message: 'Koa stays in handlers/: src/ is plain functions over Services.' },
    { name: '@koa/router', message: 'Koa stays in handlers/: src/ is plain functions over Services.' },
  ],
  patterns: [{ group: ['**/handlers/**'], message: 'src/ must not import handlers/: the edges import the core, not the reverse.' }],
};
/** Where the app is put together: the only src/ files that may wire handlers/ in. */
const COMPOSITION_ROOTS = ['src/app.ts', 'src/main.ts', 'src/worker.ts'];
const FEATURES = ['**/dialogue/**', '**/cases/**', '**/handoff/**', '**/followup/**', '**/console/**', '**/alerts/**', '**/analytics/**', '**/radar/**'];
const layer = (groups, message) => ['error', { paths: EDGES.paths, patterns: [...EDGES.patterns, ...(groups.length ? [{ group: groups, message }] : [])] }];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**', '**/*.mjs', 'public/vendor/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: false } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['error'] }],
      eqeqeq: ['error', 'always'],
    },
  },
  { files: ['src/**/*.ts'], ignores: COMPOSITION_ROOTS, rules: { 'no-restricted-imports': layer([], '') } },
  {
    files: ['src/pipeline/**/*.ts', 'src/store/**/*.ts', 'src/nlu/**/*.ts', 'src/queues/**/*.ts', 'src/channels/**/*.ts'],
    rules: { 'no-restricted-imports': layer(FEATURES, 'a lower layer must not import a feature: take a hook or an interface from the composition root.') },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: { 'no-restricted-imports': layer(['../*', '../../*'], 'core/ is the pure domain: it imports nothing outside core/.') },
  },
  {
    files: ['test/**', 'bench/**', 'scripts/**'],
    rules: { 'no-console': 'off' },
  },
);
