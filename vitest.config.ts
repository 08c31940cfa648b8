import { defineConfig } from 'vitest/config';

// Two projects: `unit` is pure logic (no servers, runs anywhere in seconds); `integration`
// talks to a real Kafka broker and schema registry provided by test/setup/global-setup.ts.
export default defineConfig({
  test: {
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
