import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { loadMigrations, noTransaction, partsOf } from './migrations.ts'

function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'jiancha-mig-'))
  for (const [f, sql] of Object.entries(files)) writeFileSync(join(dir, f), sql)
  dirs.push(dir)
  return dir
}
const dirs: string[] = []
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })))

describe('loadMigrations', () => {
  it('orders versions numerically, attaches companions and ignores other files', () => {
    const ms = loadMigrations(
      dirWith({
        '010_late.sql': 'select 10',
        '002_b.sql': 'select 2',
        '002_b.timescale.sql': 'select 2.1',
        '002_b.plain.sql': 'select 2.2',
        'README.md': '#',
      }),
    )
    expect(ms.map((m) => `${m.version}_${m.name}`)).toEqual(['002_b', '010_late'])
    expect(partsOf(ms[0]!, 'timescale').map((f) => f.file)).toEqual(['002_b.sql', '002_b.timescale.sql'])
    expect(partsOf(ms[0]!, 'plain').map((f) => f.file)).toEqual(['002_b.sql', '002_b.plain.sql'])
    expect(partsOf(ms[1]!, 'plain').map((f) => f.file)).toEqual(['010_late.sql'])
    expect(ms[0]!.base.sha256).toMatch(/^[0-9a-f]{64}$/)
  })

  it('rejects a companion without its base file', () => {
    expect(() => loadMigrations(dirWith({ '001_a.timescale.sql': 'select 1' }))).toThrow(/without base file 001_a\.sql/)
  })

  it('rejects two names for one version', () => {
    expect(() => loadMigrations(dirWith({ '001_a.sql': '', '001_b.sql': '' }))).toThrow(/share version 001/)
  })
})

describe('noTransaction', () => {
  it('is set only by a first-line marker', () => {
    const f = (sql: string) => ({ file: 'x.sql', sql, sha256: '' })
    expect(noTransaction(f('-- migrate: no-transaction\ncreate index concurrently i on t (a);'))).toBe(true)
    expect(noTransaction(f('select 1;\n-- migrate: no-transaction'))).toBe(false)
  })
})
