import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { openDb, type Db } from '../../common/db/index.ts'
import { appendAll, tamper } from '../../common/audit/testing.ts'
import { embeddedDataDir } from '../../test-support/embeddedDataDir.ts'
import { runCommand } from '../command.ts'
import { auditCommand, progressLines } from './audit.ts'

/** run runs `jiancha audit ARGS` and returns its exit code, stdout and stderr. */
async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const so = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true))
  const se = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true))
  try {
    return { code: await runCommand('audit', auditCommand, args), out, err }
  } finally {
    so.mockRestore()
    se.mockRestore()
  }
}

describe('jiancha audit verify on an embedded database', () => {
  const dir = embeddedDataDir('jiancha-audit-')
  // The command opens the data directory itself; PGlite allows one opener at a time.
  const withDb = async (fn: (db: Db) => Promise<unknown>) => {
    const db = await openDb({ dataDir: join(dir(), 'pg'), log: () => {} })
    try {
      await fn(db)
    } finally {
      await db.close()
    }
  }

  it('finds a new database intact', async () => {
    const r = await run('verify')
    expect(r).toMatchObject({ code: 0, out: `audit log intact: 0 rows, head ${'0'.repeat(64)}\n` })
  })

  it('prints the row count and head of an intact trail and exits 0', async () => {
    let hashes: string[] = []
    await withDb(async (db) => (hashes = await appendAll(db)))
    const r = await run('verify')
    expect(r.code).toBe(0)
    expect(r.out).toBe(`audit log intact: ${hashes.length} rows, head ${hashes.at(-1)}\n`)
  })

  it('names the first broken row and exits 1', async () => {
    await withDb((db) => tamper(db, `UPDATE audit_log SET subject = 'alert:other' WHERE seq = 3`, 'DELETE FROM audit_log WHERE seq = 6'))
    const r = await run('verify')
    expect(r.code).toBe(1)
    expect(r.out).toBe('audit log BROKEN at row 3: row altered\n')
  })

  it('refuses anything but verify with exit 2', async () => {
    expect(await run()).toMatchObject({ code: 2, err: expect.stringContaining('expected "verify"') })
    expect(await run('check')).toMatchObject({ code: 2 })
    expect(await run('verify', '--bogus')).toMatchObject({ code: 2 })
  })

  it('shows its help', async () => {
    const r = await run('--help')
    expect(r.code).toBe(0)
    expect(r.out).toContain('Usage: jiancha audit verify [--config FILE]')
  })
})

describe('progressLines', () => {
  it('writes one line per 100k rows passed, whatever the batch size', () => {
    const lines: string[] = []
    const p = progressLines(100_000, (l) => lines.push(l))
    for (let n = 30_000; n <= 330_000; n += 30_000) p(n)
    expect(lines).toEqual(['audit: 100000 rows verified\n', 'audit: 200000 rows verified\n', 'audit: 300000 rows verified\n'])
  })
})
