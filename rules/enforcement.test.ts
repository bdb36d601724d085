import { describe, expect, it } from 'vitest'
import { defaultContext } from './context.ts'
import { enforcementDue, enforcementRules } from './enforcement.ts'
import { sorted, te } from './testEvents.ts'

const ctx = defaultContext()
const E = (type: string, at: string, attrs?: Record<string, unknown>) => te('enforcement', type, 'E-1', at, attrs)
const rules = (...evs: ReturnType<typeof E>[]) => enforcementRules(sorted(evs), ctx).map((c) => `${c.rule}@${ctx.zone.format(c.at)}`)

describe('enforcement rules', () => {
  it('due_soon 10 calendar days before and overdue at limitDays', () => {
    expect(rules(E('filed', '2026-03-02T10:00:00+08:00', { limitDays: 30 }))).toEqual([
      'enforcement.due_soon@2026-03-23T00:00:00+08:00',
      'enforcement.overdue@2026-04-02T00:00:00+08:00',
    ])
  })

  it('defaults to 90 days (行政处罚法 art. 60)', () => {
    expect(rules(E('filed', '2026-07-01T10:00:00+08:00'))[1]).toBe('enforcement.overdue@2026-09-30T00:00:00+08:00')
  })

  it('a penalty or conclusion before the due instant stops the clock', () => {
    const filed = E('filed', '2026-03-02T10:00:00+08:00', { limitDays: 30 })
    expect(rules(filed, E('penalty', '2026-03-20T10:00:00+08:00', { amount: 10, min: 0, max: 100 }))).toEqual([])
    expect(rules(filed, E('concluded', '2026-03-25T10:00:00+08:00'))).toEqual(['enforcement.due_soon@2026-03-23T00:00:00+08:00'])
  })

  it('discretion outside [min, max], bounds included in the range', () => {
    expect(rules(E('penalty', '2026-09-10T10:00:00+08:00', { amount: 250000, min: 20000, max: 200000 }))).toEqual(['enforcement.discretion@2026-09-10T10:00:00+08:00'])
    expect(rules(E('penalty', '2026-09-10T10:00:00+08:00', { amount: 200000, min: 20000, max: 200000 }))).toEqual([])
    expect(rules(E('penalty', '2026-09-10T10:00:00+08:00', { amount: 19999, min: 20000, max: 200000 }))).toHaveLength(1)
  })
})

describe('enforcementDue', () => {
  const due = (...evs: ReturnType<typeof E>[]) => {
    const t = enforcementDue(sorted(evs), ctx)
    return t === null ? null : ctx.zone.format(t)
  }

  it('is where enforcement.overdue fires: limitDays, or the default 90', () => {
    expect(due(E('filed', '2026-03-02T10:00:00+08:00', { limitDays: 30 }))).toBe('2026-04-02T00:00:00+08:00')
    expect(due(E('filed', '2026-07-01T10:00:00+08:00'), E('penalty', '2026-07-02T10:00:00+08:00', { amount: 1, min: 0, max: 2 }))).toBe('2026-09-30T00:00:00+08:00')
  })

  it('is null for a case never filed', () => {
    expect(due(E('concluded', '2026-03-25T10:00:00+08:00'))).toBeNull()
  })
})
