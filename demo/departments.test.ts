import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../common/db/index.ts'
import { openTestDbs } from '../common/db/testing.ts'
import { findDepartment, listDepartments, saveDepartments } from '../common/departments/index.ts'
import { DEPARTMENTS } from './city.ts'
import { DEMO_KINDS, seedDemoDepartments } from './departments.ts'

const AT = Date.parse('2026-11-24T02:00:00Z')

describe('the demo kinds', () => {
  it('give every demo department a kind', () => {
    expect(Object.keys(DEMO_KINDS).sort()).toEqual(DEPARTMENTS.map((d) => d.code).sort())
  })
})

describe.each(openTestDbs())('seeding the demo departments on $name', ({ open }) => {
  let db: Db
  beforeAll(async () => {
    db = await open()
  })
  afterAll(async () => {
    await db?.close()
  })

  it('registers every demo department once, and leaves an administrator\'s edit alone', async () => {
    const first = await seedDemoDepartments(db, AT)
    expect(first.created).toHaveLength(DEPARTMENTS.length)
    expect((await findDepartment(db, 'market'))).toMatchObject({ nameZh: '市场监管局', nameEn: 'Market Regulation Bureau', kind: 'supervision', active: true })
    await saveDepartments(db, [{ dept: { code: 'market', nameZh: '市场监督管理局', nameEn: 'Market Bureau', kind: 'supervision', parent: null, active: false } }], { actor: 'zhao', via: 'console', at: AT + 1 })
    const again = await seedDemoDepartments(db, AT + 2)
    expect(again.created).toEqual([])
    expect(await findDepartment(db, 'market')).toMatchObject({ nameZh: '市场监督管理局', active: false })
    expect(await listDepartments(db, { all: true })).toHaveLength(DEPARTMENTS.length)
  })
})
