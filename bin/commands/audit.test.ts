import { statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { openDb, type Db } from '../../common/db/index.ts'
import { appendAll, rechainFrom, resetAudit, tamper } from '../../common/audit/testing.ts'
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
    expect(r.code).toBe(0)
    expect(r.out).toContain(`audit log intact: 0 rows, head ${'0'.repeat(64)}\n`)
  })

  it('prints the row count and head of an intact trail and exits 0', async () => {
    let hashes: string[] = []
    await withDb(async (db) => (hashes = await appendAll(db)))
    const r = await run('verify')
    expect(r.code).toBe(0)
    expect(r.out).toBe(`audit log intact: ${hashes.length} rows, head ${hashes.at(-1)}\nsigned checkpoints: none yet (a running platform signs the head every AUDIT_CHECKPOINT_SECONDS)\n`)
  })

  it('signs and prints the head, which verify then holds the trail against, until a superuser rewrites it', async () => {
    const head = await run('head')
    expect(head.code).toBe(0)
    // No AUDIT_KEY is configured: the key was made beside the data, for the owner only.
    expect(statSync(join(dir(), 'audit.key')).mode & 0o777).toBe(0o600)
    const line = JSON.parse(head.out) as { seq: number; hash: string; keyId: string; mac: string }
    expect(line).toMatchObject({ seq: 8, hash: expect.stringMatching(/^[0-9a-f]{64}$/), keyId: expect.any(String) })
    const ok = await run('verify', '--anchor', head.out.trim())
    expect(ok.code).toBe(0)
    expect(ok.out).toContain(`signed checkpoints: 1, the newest at row 8`)
    expect(ok.out).toContain('recorded heads found in the trail: 1')
    await withDb((db) => rechainFrom(db, 2, 'alert:other'))
    const broken = await run('verify', '--anchor', `${line.seq}:${line.hash}`)
    expect(broken).toMatchObject({ code: 1, out: 'audit log BROKEN at row 8: anchor not in the trail\n' })
    expect(await run('verify', '--anchor', 'not-a-head')).toMatchObject({ code: 2, err: expect.stringContaining('SEQ:HASH') })
    expect((await run('verify')).out).toBe('audit log BROKEN at row 8: row rewritten after a signed checkpoint\n')
    await withDb((db) => resetAudit(db))
    await withDb((db) => appendAll(db))
  })

  it('names the first broken row and exits 1', async () => {
    await withDb((db) => tamper(db, `UPDATE audit_log SET subject = 'alert:other' WHERE seq = 3`, 'DELETE FROM audit_log WHERE seq = 6'))
    const r = await run('verify')
    expect(r.code).toBe(1)
    expect(r.out).toBe('audit log BROKEN at row 3: row altered\n')
  })

  it('refuses anything but verify with exit 2', async () => {
    expect(await run()).toMatchObject({ code: 2, err: expect.stringContaining('expected "verify" or "head"') })
    expect(await run('check')).toMatchObject({ code: 2 })
    expect(await run('verify', '--bogus')).toMatchObject({ code: 2 })
  })

  it('shows its help', async () => {
    const r = await run('--help')
    expect(r.code).toBe(0)
    expect(r.out).toContain('Usage: jiancha audit verify [--anchor SEQ:HASH | --anchors FILE] [--config FILE]')
    expect(r.out).toContain('jiancha audit head')
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
