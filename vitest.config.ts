import { defineConfig } from 'vitest/config';

// Unit and scenario tests: colocated *.test.ts plus test/scenario. Real-browser tests live in
// vitest.e2e.config.ts so they can run one file at a time on this 2-core machine.
export default defineConfig({
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'apps/*/src/**/*.test.ts',
      'test/scenario/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', 'packages/*/test/browser/**'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
