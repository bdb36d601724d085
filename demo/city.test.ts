import { describe, expect, it } from 'vitest'
import { DEPARTMENTS, department, deptName } from './city.ts'

describe('city', () => {
  it('has about a dozen departments with unique codes and both names', () => {
    expect(DEPARTMENTS.length).toBeGreaterThanOrEqual(12)
    expect(new Set(DEPARTMENTS.map((d) => d.code)).size).toBe(DEPARTMENTS.length)
    for (const d of DEPARTMENTS) {
      expect(d.name['zh-CN']).toMatch(/[\u4e00-\u9fff]/)
      expect(d.name.en.length).toBeGreaterThan(0)
    }
  })

  it('names departments in Chinese and English, falling back to the code', () => {
    expect(deptName('market', 'zh-CN')).toBe('市场监管局')
    expect(deptName('market')).toBe('市场监管局')
    expect(deptName('letters', 'en')).toBe('Letters and Visits Bureau')
    expect(deptName('nope', 'zh-CN')).toBe('nope')
    expect(department('tax')?.code).toBe('tax')
  })

  it('has consistent approval items', () => {
    const codes = DEPARTMENTS.flatMap((d) => d.approvals.map((i) => i.itemCode))
    expect(new Set(codes).size).toBe(codes.length)
    for (const i of DEPARTMENTS.flatMap((d) => d.approvals)) {
      expect(Number.isInteger(i.promisedDays) && i.promisedDays >= 1).toBe(true)
      expect(i.legalDays).toBeGreaterThanOrEqual(i.promisedDays)
      expect(i.feeStandard).toBeGreaterThanOrEqual(0)
    }
    const all = DEPARTMENTS.flatMap((d) => d.approvals)
    expect(all.filter((i) => i.feeStandard > 0).length).toBeGreaterThan(0)
    expect(all.filter((i) => i.feeStandard === 0).length).toBeGreaterThan(all.length / 2)
    expect(all.filter((i) => i.dayType === 'working').length).toBeGreaterThan(all.length / 2)
    for (const d of DEPARTMENTS) if (d.approvals.length > 0) expect(d.weight).toBeGreaterThan(0)
  })

  it('has sane discretionary ranges', () => {
    for (const e of DEPARTMENTS.flatMap((d) => d.enforcement)) {
      expect(e.min).toBeGreaterThan(0)
      expect(e.max).toBeGreaterThan(e.min)
      expect(e.limitDays).toBeGreaterThanOrEqual(30)
    }
  })

  it('routes petitions and supervised tasks to some departments, letters among them', () => {
    expect(department('letters')!.petitionSubjects.length).toBeGreaterThan(0)
    expect(DEPARTMENTS.filter((d) => d.petitionSubjects.length > 0).length).toBeGreaterThan(3)
    expect(DEPARTMENTS.filter((d) => d.supervisionTasks.length > 0).length).toBeGreaterThan(3)
  })
})
