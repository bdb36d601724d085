/**
 * bench:kpi at a tiny size on embedded PGlite: it loads the year, prints the volumes,
 * the reads from the rollups beside the raw ones (whose answers it checks equal, or it
 * fails), the raw events scan and the workers' ingest rates beside the raw limits.
 * (Its figures are not checked: this is no timed test.)
 */
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { timingOf } from './kpi.ts'

const BIN = fileURLToPath(new URL('../bin/jiancha.js', import.meta.url))
const run = (args: string[]) => promisify(execFile)(process.execPath, [BIN, 'bench', 'kpi', ...args], { timeout: 150_000 })

describe('jiancha bench kpi', () => {
  it('says what it does', async () => {
    const { stdout } = await run(['--help'])
    expect(stdout).toMatch(/--pglite-events/)
    expect(stdout).toMatch(/--skip-pglite/)
    expect(stdout).toMatch(/bench kpi loads a synthetic year/)
  })

  it('refuses a wrong option by name', async () => {
    const r = await run(['--pglite-events', 'many']).catch((e: { stderr: string }) => e)
    expect((r as { stderr: string }).stderr).toMatch(/--pglite-events must be a whole number/)
  })

  it('gives the median and the nearest-rank 95th percentile', () => {
    expect(timingOf([5, 1, 3])).toEqual({ runs: 3, median: 3, p95: 5 })
    expect(timingOf([4, 1, 3, 2])).toEqual({ runs: 4, median: 2.5, p95: 4 })
  })

  it('loads a tiny year into PGlite and prints every figure, the answers from the rollups equal to the raw ones', async () => {
    const { stdout } = await run(['--skip-pg', '--pglite-events', '3000', '--ingest-events', '300', '--runs', '2', '--raw-runs', '1'])
    expect(stdout).toMatch(/raw JetStream publish +\d+ events\/s/)
    expect(stdout).toMatch(/PGlite COPY of the same rows +\d+ rows\/s/)
    expect(stdout).toMatch(/rules worker on PGlite +\d+ events\/s = [\d.]+× consume, [\d.]+× COPY \([1-9]\d* cards raised\)/)
    expect(stdout).toMatch(/kpi worker on PGlite +\d+ events\/s = [\d.]+× the rules worker/)
    expect(stdout).toMatch(/PGlite: \d+ cases, 300\d events, \d+ facts loaded/)
    expect(stdout).toMatch(/PGlite: volumes: events 300\d, kpi_facts \d+, kpi_daily \d+ rows, kpi_monthly \d+ rows; on disk: events [\d.]+ MB/)
    for (const read of ['monthly ranking 2025-11', 'quarterly ranking 2025-Q4', 'drill-down d001 2025-11 approval_on_time']) {
      expect(stdout).toMatch(new RegExp(`PGlite: ${read} \\(\\d+ (departments|case rows)\\): rollups median [\\d.]+ ms, p95 [\\d.]+ ms \\(2 runs\\); raw facts median [\\d.]+ ms, p95 [\\d.]+ ms \\(1 runs\\); \\d+× faster; answers equal`))
    }
    expect(stdout).toMatch(/PGlite: raw events scan of 2025-11 .*: median [\d.]+ ms/)
    expect(stdout).toMatch(/goals \(every ranking < 100 ms and ≥ 100× raw\): PGlite at 300\d events/)
  }, 160_000)
})
