import { defineConfig } from 'vitest/config';

// Three projects (deck.gl's pattern): pure unit tests in Node (under tests/unit, and beside the
// schema they check in src/); integration tests that start the real
// service (broker, HTTP, SQLite) in-process on free ports; end-to-end tests that drive the built
// app in headless Chromium. Integration and e2e files run one at a time: each starts its own
// service, and the machines have two cores.
export default defineConfig({
  test: {
    // One file at a time across all projects: the service-starting suites must not fight over two cores.
    fileParallelism: false,
    projects: [
      {
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts', 'src/**/*.test.ts'], environment: 'node' },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
