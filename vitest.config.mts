import { defineConfig } from 'vitest/config';

// Sabre test-suite configuration.
// - Every test talks to real server processes over TCP, so files run one at a
//   time (2-core CI box: the servers under test need the CPU more than vitest).
// - The JSON report is read by CI to print "N passed, N failed".
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    teardownTimeout: 20_000,
    reporters: ['default', 'json'],
    outputFile: { json: 'test/.tmp/vitest-report.json' },
  },
});
