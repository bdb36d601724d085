import { defineConfig } from 'vitest/config'

// The fault suite (npm run test:faults): whole platforms as processes, broken on purpose; one file at a time.
export default defineConfig({
  test: {
    include: ['test-support/faults/**/*.faults.ts'],
    testTimeout: 300_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
})
