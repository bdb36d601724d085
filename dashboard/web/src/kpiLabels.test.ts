import { describe, expect, it } from 'vitest'
import type { KpiSchemeView } from '../../../common/contract/api.ts'
import { categoryColumns, countLabel, figure, gradeLabel, indicatorRows, schemeLabel } from './kpiLabels.ts'

const SCHEME: KpiSchemeView = {
  version: 'sha256:x',
  categories: [
    { name: 'efficiency', label: '效能', weight: 30, indicators: [{ name: 'approval_on_time', label: '审批按时办结率', weight: 15 }, { name: 'speed', label: '提速', weight: 15 }] },
    { name: 'custom', label: null, weight: 70, indicators: [{ name: 'cards', label: null, weight: 70 }] },
  ],
  grades: [{ name: '优秀', min: 90 }, { name: '甲等', min: 0 }],
}

describe('kpiLabels', () => {
  it('names the default scheme in both languages and any other by its own label', () => {
    expect(schemeLabel('zh-CN', 'cat', 'efficiency', '效能')).toBe('效能')
    expect(schemeLabel('en', 'cat', 'efficiency', '效能')).toBe('Efficiency')
    expect(schemeLabel('zh-CN', 'cat', 'efficiency', '效率')).toBe('效率')
    expect(schemeLabel('en', 'ind', 'speed', '提速')).toBe('提速')
    expect(schemeLabel('en', 'ind', 'mine', null)).toBe('mine')
    expect(schemeLabel('zh-CN', 'ind', 'cards', null)).toBe('红黄牌扣分')
  })

  it('names grades and counts, unknown ones raw', () => {
    expect(gradeLabel('en', '优秀')).toBe('Excellent')
    expect(gradeLabel('zh-CN', '优秀')).toBe('优秀')
    expect(gradeLabel('en', '甲等')).toBe('甲等')
    expect(gradeLabel('zh-CN', null)).toBe('无数据')
    expect(countLabel('zh-CN', 'approval.on_time')).toBe('审批按时办结')
    expect(countLabel('en', 'cards.red')).toBe('Red cards')
    expect(countLabel('en', 'custom.count')).toBe('custom.count')
  })

  it('writes figures with at most two decimals and 无数据 for none', () => {
    expect(figure('zh-CN', 87.5)).toBe('87.5')
    expect(figure('zh-CN', 100)).toBe('100')
    expect(figure('zh-CN', 66.666)).toBe('66.67')
    expect(figure('zh-CN', 0)).toBe('0')
    expect(figure('zh-CN', null)).toBe('无数据')
    expect(figure('en', undefined)).toBe('No data')
    expect(figure('en', Number.NaN)).toBe('No data')
  })

  it('makes one column per category, in scheme order', () => {
    expect(categoryColumns('en', SCHEME)).toEqual([
      { name: 'efficiency', label: 'Efficiency', weight: 30 },
      { name: 'custom', label: 'custom', weight: 70 },
    ])
  })

  it('lists a department\'s indicators in scheme order, a missing one as no data', () => {
    const rows = indicatorRows('zh-CN', SCHEME, { approval_on_time: 92.31, cards: null })
    expect(rows.map((r) => [r.name, r.category, r.value])).toEqual([
      ['approval_on_time', '效能', 92.31],
      ['speed', '效能', null],
      ['cards', 'custom', null],
    ])
    // A value under an inherited name is not taken for an indicator's.
    expect(indicatorRows('en', { ...SCHEME, categories: [{ name: 'c', label: null, weight: 1, indicators: [{ name: 'constructor', label: null, weight: 1 }] }] }, {})[0]!.value).toBeNull()
  })
})
