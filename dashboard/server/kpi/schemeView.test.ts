import { describe, expect, it } from 'vitest'
import { defaultScheme, parseScheme } from '../../../kpi/index.ts'
import { schemeView, unknownScheme } from './schemeView.ts'

describe('the scheme as the API shows it', () => {
  it('shows the default scheme: categories with their weights summed, indicators, grades highest first', () => {
    const s = defaultScheme()
    const v = schemeView(s)
    expect(v.version).toBe(s.version)
    expect(v.categories.map((c) => [c.name, c.label, c.weight])).toEqual([['efficiency', '效能', 30], ['compliance', '规范', 25], ['completion', '完成', 20], ['evaluation', '评价', 15], ['cooperation', '配合', 10]])
    expect(v.categories[0]!.indicators).toEqual([
      { name: 'approval_on_time', label: '审批按时办结率', weight: 15 },
      { name: 'approval_early', label: '审批提前办结率', weight: 5 },
      { name: 'enforcement_on_time', label: '执法按时决定率', weight: 10 },
    ])
    expect(v.grades).toEqual([{ name: '优秀', min: 90 }, { name: '良好', min: 80 }, { name: '合格', min: 60 }, { name: '不合格', min: 0 }])
  })

  it('reads fractional weights and unlabelled names, as a stored version\'s text gives them', () => {
    const s = parseScheme(`categories:
  speed:
    indicators:
      a: { weight: 0.125, numerator: approval.on_time, denominator: approval.completed }
      b: { weight: 1.2, numerator: approval.early, denominator: approval.completed }
grades:
  - { name: pass, min: 59.5 }
  - { name: fail, min: 0 }
`)
    expect(schemeView({ version: s.version, canonical: s.canonical })).toEqual({
      version: s.version,
      categories: [{ name: 'speed', label: null, weight: 1.33, indicators: [{ name: 'a', label: null, weight: 0.125 }, { name: 'b', label: null, weight: 1.2 }] }],
      grades: [{ name: 'pass', min: 59.5 }, { name: 'fail', min: 0 }],
    })
    expect(unknownScheme('sha256:000000000000')).toEqual({ version: 'sha256:000000000000', categories: [], grades: [] })
  })
})
