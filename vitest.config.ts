import { defineConfig } from 'vitest/config';

// Two projects: `unit` is pure logic (no servers, runs anywhere in seconds); `integration`
// talks to a real Kafka broker and schema registry provided by test/setup/global-setup.ts.
export default defineConfig({
  test: {
    // `npm test` (scripts/test.mjs, every project but the faults) measures coverage of the libraries
    // and the processor, in-process: the integration tests run the processor in the test process.
    // The thresholds are a floor a little under what the suite reached when they were set
    // (docs/testing.md): a change that drops below them has left code untested.
    coverage: {
      provider: 'v8',
      include: ['libs/*/src/**/*.ts', 'services/processor/src/**/*.ts'],
      // generated types hold no logic; the local stack runs in vitest's global set-up, outside the
      // workers that coverage is measured in (its own tests are the stack's layout unit tests)
      exclude: ['libs/codec/src/generated/**', 'libs/stack/src/**'],
      reporter: ['text-summary', 'json-summary'],
      reportsDirectory: '.coverage',
      reportOnFailure: true,
      thresholds: { lines: 86, branches: 75 },
    },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['libs/*/test/**/*.test.ts', 'services/*/test/**/*.test.ts', 'test/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/setup/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // One broker on a 2-core machine: files run one after another so timings stay sane.
          fileParallelism: false,
        },
      },
      // `faults` (npm run test:faults, not part of `npm test`): processes killed, brokers restarted
      // and poison fed under load, each test ending with an audit. Minutes, not seconds.
      ...(process.env.SIPFLOW_FAULTS === '1'
        ? [
            {
              test: {
                name: 'faults',
                include: ['test/faults/**/*.test.ts'],
                environment: 'node',
                globalSetup: ['test/setup/global-setup.ts'],
                testTimeout: 420_000,
                hookTimeout: 240_000,
                fileParallelism: false,
              },
            },
          ]
        : []),
    ],
  },
});
