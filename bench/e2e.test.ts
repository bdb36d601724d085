/**
 * bench:e2e in a tiny configuration: it runs the real pipeline end to end and reports
 * every figure, on stdout and in the JSON file. (Its figures are not checked: this is
 * no timed test.) On PostgreSQL when TEST_DATABASE_URL is set, else on PGlite: one is
 * enough for the report's shape, and each costs seconds of start-up.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import type { E2eReport } from './e2e.ts'

const BIN = fileURLToPath(new URL('../bin/jiancha.js', import.meta.url))
const pgUrl = process.env.TEST_DATABASE_URL

describe('jiancha bench e2e', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jiancha-bench-e2e-test-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('says what it does', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [BIN, 'bench', 'e2e', '--help'])
    expect(stdout).toMatch(/--latency-seconds/)
    expect(stdout).toMatch(/socket\.io-client/)
  })

  it('refuses a wrong option by name', async () => {
    const r = await promisify(execFile)(process.execPath, [BIN, 'bench', 'e2e', '--rate', 'fast']).catch((e: { stderr: string }) => e)
    expect((r as { stderr: string }).stderr).toMatch(/--rate must be a whole number/)
  })

  it('runs the pipeline and reports every figure, on stdout and in the JSON file', async () => {
    const out = join(dir, 'report.json')
    const args = ['bench', 'e2e', '--seconds', '1', '--latency-seconds', '1', '--rate', '20', '--batch', '10', '--concurrency', '2', '--window', '40', '--wait-seconds', '20', '--out', out]
    args.push('--only', pgUrl ? 'pg' : 'pglite')
    const { stdout } = await promisify(execFile)(process.execPath, [BIN, ...args], {
      env: { ...process.env, ...(pgUrl ? { BENCH_DATABASE_URL: pgUrl } : {}) },
      timeout: 60_000,
    })
    expect(stdout).toMatch(new RegExp(`${pgUrl ? 'PostgreSQL' : 'PGlite'}: end-to-end \\d+ events/s = [\\d.]+ % of COPY`))
    expect(stdout).toMatch(/raw JetStream: the same \d+ events published/)
    expect(stdout).toContain(`report: ${out}`)
    const report = JSON.parse(readFileSync(out, 'utf8')) as E2eReport
    expect(report.raw!.publish.eventsPerSecond).toBeGreaterThan(0)
    expect(report.raw!.consume.eventsPerSecond).toBeGreaterThan(0)
    expect(report.backends.map((b) => b.backend)).toEqual([pgUrl ? 'pg' : 'pglite'])
    for (const b of report.backends) {
      if (b.skipped !== undefined) throw new Error(`${b.backend} skipped: ${b.skipped}`)
      expect(b.sustained.cards).toBe(b.sustained.events)
      expect(b.sustained.eventsPerSecond).toBeGreaterThan(0)
      expect(b.latency.cards).toBe(b.latency.events)
      expect(b.latency.unanswered).toBe(0)
      expect(b.latency.eventToCard.p99).toBeGreaterThan(0)
      // What was announced was stored: every event of the run, every card.
      expect(b.stored.cards).toBeGreaterThanOrEqual(b.sustained.cards + b.latency.cards)
      expect(b.stored.events).toBe(b.stored.cards)
      expect(b.copy.rowsPerSecond).toBeGreaterThan(0)
      expect(b.ratios.ofCopy).toBeGreaterThan(0)
      expect(Object.keys(b.memory)).toEqual(expect.arrayContaining([...(b.backend === 'pg' ? ['collector', 'rules', 'alerts', 'dashboard'] : ['start']), 'nats-server']))
      for (const m of Object.values(b.memory)) expect(m!.rssMiB).toBeGreaterThan(0)
    }
  }, 90_000)
})
