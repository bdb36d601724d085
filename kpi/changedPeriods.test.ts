import { describe, expect, it } from 'vitest'
import { Zone } from '../common/time/index.ts'
import { changedPeriods } from './changedPeriods.ts'

const shanghai = Zone.of('Asia/Shanghai')
const at = (s: string) => Date.parse(s)

describe('changedPeriods', () => {
  it('names the month, quarter and year of each fact, once each', () => {
    const now = at('2026-11-20T12:00:00+08:00')
    expect(changedPeriods([at('2026-11-20T10:00:00+08:00'), at('2026-11-02T10:00:00+08:00')], shanghai, now)).toEqual(['2026', '2026-11', '2026-Q4'])
  })

  it('reads the instant in the platform zone: 23:59 UTC on 31 October is November in Shanghai', () => {
    const now = at('2026-11-20T12:00:00+08:00')
    expect(changedPeriods([at('2026-10-31T23:59:00Z')], shanghai, now)).toEqual(['2026', '2026-11', '2026-Q4'])
    expect(changedPeriods([at('2026-10-31T23:59:00Z')], Zone.of('UTC'), now)).toEqual(['2026', '2026-10', '2026-11', '2026-Q4'])
  })

  it('adds the period after a changed one once it has begun, whose movement compares with it', () => {
    // A late fact in September changes October's and November's rankings' neighbours: October (its previous is September) and Q4 (its previous is Q3).
    const now = at('2026-11-20T12:00:00+08:00')
    expect(changedPeriods([at('2026-09-30T10:00:00+08:00')], shanghai, now)).toEqual(['2026', '2026-09', '2026-10', '2026-Q3', '2026-Q4'])
    // The next year has not begun: 2027 is not named.
    expect(changedPeriods([at('2026-12-31T10:00:00+08:00')], shanghai, at('2026-12-31T12:00:00+08:00'))).toEqual(['2026', '2026-12', '2026-Q4'])
    expect(changedPeriods([at('2026-12-31T10:00:00+08:00')], shanghai, at('2027-01-01T00:00:00+08:00'))).toEqual(['2026', '2026-12', '2026-Q4', '2027', '2027-01', '2027-Q1'])
  })

  it('names nothing for no facts', () => {
    expect(changedPeriods([], shanghai, 0)).toEqual([])
  })
})
