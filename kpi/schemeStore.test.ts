import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestDbs } from '../common/db/testing.ts'
import type { Db } from '../common/db/index.ts'
import { defaultScheme, parseScheme } from './scheme.ts'
import { recordScheme, storedScheme, storedSchemes } from './schemeStore.ts'

const other = `
categories:
  efficiency:
    indicators:
      approval_on_time: { weight: 1, numerator: approval.on_time, denominator: approval.completed }
grades:
  - { name: 合格, min: 60 }
  - { name: 不合格, min: 0 }
`

describe.each(openTestDbs())('kpi scheme store ($name)', ({ open }) => {
  let db: Db
  beforeAll(async () => {
    db = await open()
  })
  afterAll(() => db.close())

  it('keeps each version once, with the canonical text that hashes to it', async () => {
    const s = defaultScheme()
    expect(await recordScheme(db, s, 'default', Date.parse('2026-11-01T00:00:00Z'))).toBe(true)
    expect(await recordScheme(db, s, 'elsewhere', Date.parse('2026-11-02T00:00:00Z'))).toBe(false)
    const o = parseScheme(other)
    expect(await recordScheme(db, o, 'other.yaml', Date.parse('2026-11-03T00:00:00Z'))).toBe(true)
    const back = await storedScheme(db, s.version)
    expect(back).toEqual({ version: s.version, canonical: s.canonical, origin: 'default', firstUsed: Date.parse('2026-11-01T00:00:00Z') })
    expect((await storedSchemes(db)).map((x) => x.version)).toEqual([s.version, o.version])
    expect(await storedScheme(db, 'sha256:000000000000')).toBeNull()
  })
})
