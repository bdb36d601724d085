import { describe, expect, it } from 'vitest'
import { drillCaseHash, drillExportUrl, drillPath, rankingExportUrl, rankingPath, reformPath, trendPath } from './kpiExport.ts'

describe('kpiExport', () => {
  it('asks for a ranking by period and kind, or the current month with neither', () => {
    expect(rankingPath(null, null)).toBe('/api/v1/kpi/rankings')
    expect(rankingPath('2026-Q4', 'approval')).toBe('/api/v1/kpi/rankings?period=2026-Q4&kind=approval')
  })

  it('writes the trend, drill-down and reform reads, the department code percent-encoded', () => {
    expect(trendPath('a/b', 'month', 12, null)).toBe('/api/v1/kpi/departments/a%2Fb/trend?unit=month&periods=12')
    expect(trendPath('market', 'year', 12, '2026')).toBe('/api/v1/kpi/departments/market/trend?unit=year&periods=12&until=2026')
    expect(drillPath('market', '2026-11', 'approval_on_time')).toBe('/api/v1/kpi/departments/market/drilldown?period=2026-11&indicator=approval_on_time')
    expect(reformPath('2026-09-01', '2026-11-30')).toBe('/api/v1/kpi/reform?from=2026-09-01&until=2026-11-30')
  })

  it('links the exports with the format and the page language', () => {
    expect(rankingExportUrl('2026-11', null, 'xlsx', 'zh-CN')).toBe('/api/v1/kpi/rankings/export?period=2026-11&format=xlsx&lang=zh-CN')
    expect(rankingExportUrl('2026', 'service', 'csv', 'en')).toBe('/api/v1/kpi/rankings/export?period=2026&kind=service&format=csv&lang=en')
    expect(drillExportUrl('market', '2026-11', 'cards', 'csv', 'en')).toBe('/api/v1/kpi/departments/market/drilldown/export?period=2026-11&indicator=cards&format=csv&lang=en')
  })

  it('opens a case on its case page and a thread in the console', () => {
    expect(drillCaseHash({ kind: 'approval', caseId: 'A 1' })).toBe('#/case/approval/A%201')
    expect(drillCaseHash({ kind: 'thread', caseId: '42' })).toBe('#/console/42')
    expect(drillCaseHash({ kind: 'thread', caseId: 'x' })).toBeNull()
  })
})
