import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../../common/db/index.ts'
import { openTestDbs } from '../../../common/db/testing.ts'
import { DeptDirectory } from '../../../common/departments/index.ts'
import { loadKpiFixture, registry } from '../kpi/testdata/kpiFixture.ts'
import { frozenPerformance, noFrozenPeriod } from './performance.ts'

describe.each(openTestDbs())('the public performance figures ($name)', ({ open }) => {
  let db: Db
  beforeAll(async () => {
    db = await open()
  })
  afterAll(() => db?.close())

  it('publishes nothing while no month is frozen', async () => {
    expect(await frozenPerformance({ db, registry })()).toEqual({ period: null, departments: [] })
    expect(await noFrozenPeriod()).toEqual({ period: null, departments: [] })
  })

  it('publishes the last frozen month\'s official on-time rate (approval_on_time / 100) and grade, active departments only', async () => {
    // October and November frozen; the late case A-3 revised November since, which the official result does not show.
    await loadKpiFixture(db)
    expect(await frozenPerformance({ db, registry })()).toEqual({
      period: '2026-11',
      departments: [{ dept: 'letters', onTimeRate: 1, grade: '优秀' }, { dept: 'tax', onTimeRate: 1, grade: '优秀' }, { dept: 'market', onTimeRate: 0.5, grade: '不合格' }],
    })
    // tax deactivated since: no longer on the public page.
    const now = DeptDirectory.of(registry.list().map((d) => (d.code === 'tax' ? { ...d, active: false } : d)))
    expect((await frozenPerformance({ db, registry: now })()).departments.map((d) => d.dept)).toEqual(['letters', 'market'])
    // A department without the indicator in that month (无数据) is left out, never shown as 0 %.
    expect(await frozenPerformance({ db, registry, indicator: 'enforcement_on_time' })()).toEqual({ period: '2026-11', departments: [] })
  })
})
