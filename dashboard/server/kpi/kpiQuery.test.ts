import { describe, expect, it } from 'vitest'
import { Zone } from '../../../common/time/index.ts'
import { defaultScheme } from '../../../kpi/index.ts'
import { formatParam, indicatorParam, isBad, kindParam, langParam, periodParam, trendParams } from './kpiQuery.ts'

const zone = Zone.of('Asia/Shanghai')
const q = (s: string) => new URLSearchParams(s)
// 17:00 UTC on 30 November is 01:00 on 1 December in Shanghai.
const NOW = Date.parse('2026-11-30T17:00:00Z')

describe('the KPI query parameters', () => {
  it('reads a period, the current month in the platform zone by default', () => {
    expect(periodParam(q(''), NOW, zone)).toEqual({ unit: 'month', n: 2026 * 12 + 11 })
    expect(periodParam(q('period=2026-11'), NOW, zone)).toEqual({ unit: 'month', n: 2026 * 12 + 10 })
    expect(periodParam(q('period=2026-Q4'), NOW, zone)).toEqual({ unit: 'quarter', n: 2026 * 4 + 3 })
    expect(periodParam(q('period=2026'), NOW, zone)).toEqual({ unit: 'year', n: 2026 })
    for (const bad of ['2026-13', '2026-Q5', 'november', '26-11']) expect(periodParam(q(`period=${bad}`), NOW, zone)).toEqual({ error: expect.stringContaining(`period must be a month (2026-11), a quarter (2026-Q4) or a year (2026), got "${bad}"`) })
  })

  it('reads a kind of department, every kind by default', () => {
    expect(kindParam(q(''))).toBeNull()
    expect(kindParam(q('kind=service'))).toBe('service')
    expect(kindParam(q('kind=bureau'))).toEqual({ error: 'kind must be one of approval, enforcement, service, supervision, other, got "bureau"' })
  })

  it('reads a trend: 12 months up to the current one by default, the span counted back from until', () => {
    expect(trendParams(q(''), NOW, zone)).toEqual({ unit: 'month', first: { unit: 'month', n: 2026 * 12 }, last: { unit: 'month', n: 2026 * 12 + 11 } })
    expect(trendParams(q('unit=quarter&periods=4&until=2026-Q4'), NOW, zone)).toEqual({ unit: 'quarter', first: { unit: 'quarter', n: 2026 * 4 }, last: { unit: 'quarter', n: 2026 * 4 + 3 } })
    expect(trendParams(q('unit=year&periods=1'), NOW, zone)).toEqual({ unit: 'year', first: { unit: 'year', n: 2026 }, last: { unit: 'year', n: 2026 } })
    expect(trendParams(q('unit=week'), NOW, zone)).toEqual({ error: 'unit must be one of month, quarter, year, got "week"' })
    for (const n of ['0', '37', '1.5', 'x', '-1']) expect(trendParams(q(`periods=${n}`), NOW, zone)).toEqual({ error: `periods must be a whole number from 1 to 36, got "${n}"` })
    expect(trendParams(q('periods=36'), NOW, zone)).not.toHaveProperty('error')
    expect(trendParams(q('until=2026-Q4'), NOW, zone)).toEqual({ error: 'until must be a month like the unit, got "2026-Q4"' })
    expect(trendParams(q('until=soon'), NOW, zone)).toEqual({ error: 'until must be a period (2026-11, 2026-Q4, 2026), got "soon"' })
  })

  it('reads an indicator of the scheme, and refuses a missing or unknown one naming the scheme\'s', () => {
    const s = defaultScheme()
    expect(indicatorParam(q('indicator=cards'), s)).toBe('cards')
    expect(indicatorParam(q(''), s)).toEqual({ error: expect.stringMatching(/^indicator is required: one of approval_on_time, approval_early, .*rectification_on_time$/) })
    expect(indicatorParam(q('indicator=speed'), s)).toEqual({ error: expect.stringMatching(new RegExp(`^unknown indicator "speed"; the scheme ${s.version} has approval_on_time`)) })
  })

  it('reads an export\'s format and language', () => {
    expect(formatParam(q('format=csv'))).toBe('csv')
    expect(formatParam(q('format=xlsx'))).toBe('xlsx')
    expect(formatParam(q(''))).toEqual({ error: 'format must be csv or xlsx, got none' })
    expect(formatParam(q('format=pdf'))).toEqual({ error: 'format must be csv or xlsx, got "pdf"' })
    expect(langParam(q(''))).toBe('zh-CN')
    expect(langParam(q('lang=en'))).toBe('en')
    expect(langParam(q('lang=fr'))).toEqual({ error: 'lang must be zh-CN or en, got "fr"' })
    expect(isBad(langParam(q('lang=fr')))).toBe(true)
    expect(isBad(null)).toBe(false)
  })
})
