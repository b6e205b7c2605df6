import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['src/**/*.test.ts'],
    setupFiles: ['src/testing/warnings.ts'],
    // Most of the time is spent waiting on sockets and timers, so two files at once pay off.
    maxWorkers: 2,
    hookTimeout: 30_000,
    testTimeout: 20_000,
  },
});
