import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../../common/db/index.ts'
import { openTestDbs } from '../../../common/db/testing.ts'
import { codeKey } from './checkCode.ts'
import { caseOfCode, checkCodeIssued, issueCheckCode } from './checkCodeStore.ts'

const KEY = codeKey('the test platform secret, 32 characters or more')

describe.each(openTestDbs())('check code store on $name', ({ open }) => {
  let db: Db
  beforeAll(async () => {
    db = await open()
  })
  afterAll(async () => {
    await db?.close()
  })

  it('stores only the hash, opens the case with its code, and a new code replaces the old', async () => {
    const code = await issueCheckCode(db, KEY, 'approval', 'A-1', 'market-desk', Date.parse('2026-03-01T00:00:00Z'))
    const rows = await db.query<{ code_hash: string }>('SELECT code_hash FROM public_check_codes')
    expect(JSON.stringify(rows.rows)).not.toContain(code)
    expect(await caseOfCode(db, KEY, 'A-1', code.toLowerCase())).toBe('approval')
    expect(await caseOfCode(db, KEY, 'A-1', 'ZZZZZZZZ')).toBeNull()
    expect(await caseOfCode(db, KEY, 'A-404', code)).toBeNull()
    expect(await caseOfCode(db, codeKey('another secret'), 'A-1', code)).toBeNull()
    expect(await checkCodeIssued(db, 'approval', 'A-1')).toEqual({ issuedAt: Date.parse('2026-03-01T00:00:00Z'), issuedBy: 'market-desk' })
    const again = await issueCheckCode(db, KEY, 'approval', 'A-1', 'market-desk', Date.parse('2026-03-02T00:00:00Z'))
    expect(await caseOfCode(db, KEY, 'A-1', again)).toBe('approval')
    if (again !== code) expect(await caseOfCode(db, KEY, 'A-1', code)).toBeNull()
  })
})
