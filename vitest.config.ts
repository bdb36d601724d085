import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'data/**', 'dashboard/web/dist/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Most files wait on servers, browsers and timers rather than compute: two at a time
    // on this 2-core machine keeps CI within its 20 minutes.
    maxWorkers: 2,
  },
})
