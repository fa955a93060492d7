import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Emulators listen on loopback ports; forks keep one test file's servers away from another's.
    pool: 'forks',
  },
});
