import { describe, expect, it } from 'vitest'
import { defaultContext } from './context.ts'
import { supervisionDue, supervisionRules } from './supervision.ts'
import { sorted, te } from './testEvents.ts'

const ctx = defaultContext()
const S = (type: string, at: string, attrs?: Record<string, unknown>) => te('supervision', type, 'S-1', at, attrs)
const rules = (...evs: ReturnType<typeof S>[]) => supervisionRules(sorted(evs), ctx).map((c) => `${c.rule}@${ctx.zone.format(c.at)}`)
const assigned = S('assigned', '2026-07-01T09:00:00+08:00', { title: '老旧小区改造', dueAt: '2026-07-15T18:00:00+08:00' })

describe('supervision rules', () => {
  it('overdue at dueAt without completion', () => {
    expect(rules(assigned, S('progress', '2026-07-10T09:00:00+08:00', { percent: 60 }))).toEqual(['supervision.overdue@2026-07-15T18:00:00+08:00'])
  })

  it('nothing when completed before dueAt', () => {
    expect(rules(assigned, S('completed', '2026-07-15T17:59:00+08:00'))).toEqual([])
  })

  it('a re-assignment before the due time moves it', () => {
    const again = S('assigned', '2026-07-14T09:00:00+08:00', { title: '老旧小区改造', dueAt: '2026-07-31T18:00:00+08:00' })
    expect(rules(assigned, again)).toEqual(['supervision.overdue@2026-07-31T18:00:00+08:00'])
  })
})

describe('supervisionDue', () => {
  it('is the dueAt in force: a re-assignment before it moves it, one after it does not', () => {
    const fmt = (t: number | null) => (t === null ? null : ctx.zone.format(t))
    expect(fmt(supervisionDue(sorted([assigned])))).toBe('2026-07-15T18:00:00+08:00')
    const again = (at: string) => S('assigned', at, { title: '老旧小区改造', dueAt: '2026-07-31T18:00:00+08:00' })
    expect(fmt(supervisionDue(sorted([assigned, again('2026-07-14T09:00:00+08:00')])))).toBe('2026-07-31T18:00:00+08:00')
    expect(fmt(supervisionDue(sorted([assigned, again('2026-07-15T18:00:00+08:00')])))).toBe('2026-07-15T18:00:00+08:00')
    expect(supervisionDue(sorted([S('completed', '2026-07-15T17:59:00+08:00')]))).toBeNull()
  })
})
