import { defineConfig } from 'vitest/config';

/**
 * The integration suites that touch storage, run a second time on PostgreSQL (`integration-pg`):
 * one per kind of stored thing — readings and their replay, events and alarms (confined chain),
 * users, sessions and credentials, the registry and its import, the crash and restart paths. The scene suites that differ only
 * in which rules fire (park, roads and their replays, escalation) and the suites about the broker's
 * limits, HTTP paths, configuration and the SQLite file itself run once, on SQLite.
 */
const ON_BOTH_ENGINES = [
  'auth',
  'confined',
  'crash',
  'history',
  'ingest',
  'registry',
  'registry-import',
  'replay',
  'restart',
  'users',
  'attacks/revoked-token',
].map((f) => `tests/integration/${f}.test.ts`);

// Four projects (deck.gl's pattern): pure unit tests in Node (under tests/unit, and beside the
// schema they check in src/); integration tests that start the real service (broker, HTTP, SQLite)
// in-process on free ports, and the storage ones again on a throwaway PostgreSQL; end-to-end tests
// that drive the built app in headless Chromium.
//
// Three groups, one after the other (sequence.groupOrder). The unit files in one worker (one
// module graph; two workers took 60 s instead of 38). Then integration and integration-pg two files
// at a time: an integration file spends most of its time waiting on its service (polls, backdated
// timers, a broker's timeout), so two of them share the machine's two cores without starving each
// other, and each has its own ports, temporary directory and database. Then the e2e files one at a
// time: headless Chromium draws the globe in software on every core it gets, so two browsers at
// once would only slow each other and their waits.
const SERVICE_GROUP = { groupOrder: 1 };
const SERVICE_WORKERS = 2;
export default defineConfig({
  test: {
    projects: [
      {
        // Pure tests share one module graph (isolate: false): importing it afresh for every file was
        // 33 of the project's 59 s; the files hold no state of their own between them.
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts', 'src/**/*.test.ts'],
          environment: 'node',
          isolate: false,
          sequence: { groupOrder: 0 },
          maxWorkers: 1,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          exclude: ['tests/integration/pg/**'],
          environment: 'node',
          sequence: SERVICE_GROUP,
          maxWorkers: SERVICE_WORKERS,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'integration-pg',
          include: [...ON_BOTH_ENGINES, 'tests/integration/pg/**/*.test.ts'],
          globalSetup: ['tests/fixture/pgSetup.ts'],
          environment: 'node',
          sequence: SERVICE_GROUP,
          maxWorkers: SERVICE_WORKERS,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          sequence: { groupOrder: 2 },
          maxWorkers: 1,
          testTimeout: 180_000,
          hookTimeout: 180_000,
          // A page's main thread can be held for seconds while its scene builds in software
          // rendering, so a state the test waits on may take that long to show: wait on it, not
          // on vitest's 1 s default.
          expect: { poll: { timeout: 30_000, interval: 100 } },
        },
      },
    ],
  },
});
