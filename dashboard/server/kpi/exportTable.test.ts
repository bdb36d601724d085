import { describe, expect, it } from 'vitest'
import { defaultScheme } from '../../../kpi/index.ts'
import { drillTable, rankingTable } from './exportTable.ts'
import { DRILL, RANKING } from './testdata/kpiAnswers.ts'

const iso = (t: number) => new Date(t).toISOString()

describe('what an export holds', () => {
  it('writes a ranking with Chinese headers, the period, 正式 and the scheme version, 无数据 for no data', () => {
    const t = rankingTable(RANKING, 'zh-CN', iso)
    expect(t.sheet).toBe('排名')
    expect(t.meta).toEqual([
      ['考评周期', '2026-11'], ['状态', '正式'], ['方案版本', defaultScheme().version], ['冻结时间', '2026-12-03T16:00:00.000Z'], ['部门类型', '审批'], ['范围', '全部部门'], ['参与排名部门数', '2'],
    ])
    expect(t.header.slice(0, 11)).toEqual(['排名', '上期排名', '变动', '部门代码', '部门名称', '部门类型', '得分', '等级', '办件量', '效能', '规范'])
    expect(t.header).toContain('审批按时办结率')
    expect(t.header).toHaveLength(9 + 5 + 11)
    expect(t.rows[0]!.slice(0, 12)).toEqual([1, '无数据', '新', 'tax', '税务局', '审批', 100, '优秀', 1, 100, 100, '无数据'])
    expect(t.rows[1]!.slice(0, 9)).toEqual([2, 1, '▼1', 'market', '=市场,"监管"局', '审批', 27.27, '不合格', 2])
    expect(t.rows[1]![t.header.indexOf('审批按时办结率')]).toBe(50)
  })

  it('writes it in English with lang=en, live with the instant the figures run to', () => {
    const t = rankingTable({ ...RANKING, status: 'live', frozenAt: null, kind: null, scope: 'own', rows: RANKING.rows.slice(1) }, 'en', iso)
    expect(t.meta).toEqual([
      ['Period', '2026-11'], ['Status', 'Live'], ['Scheme version', defaultScheme().version], ['Figures up to', '2026-11-30T16:00:00.000Z'], ['Kind of department', 'All'], ['Scope', 'Own department'], ['Departments ranked', '2'],
    ])
    expect(t.header.slice(0, 10)).toEqual(['Rank', 'Previous rank', 'Movement', 'Department code', 'Department', 'Kind of department', 'Score', 'Grade', 'Workload', 'efficiency'])
    expect(t.header).toContain('approval_on_time')
    expect(t.rows).toHaveLength(1)
    expect(t.rows[0]!.slice(0, 6)).toEqual([2, 1, '▼1', 'market', 'Market', 'Approval'])
    expect(t.rows[0]!.at(-1)).toBe('no data')
  })

  it('writes every case of a drill-down, a part without cases too, with the instant and the rule', () => {
    const t = drillTable(DRILL, Date.parse('2026-12-04T00:00:00+08:00'), 'zh-CN', iso)
    expect(t.meta).toEqual([
      ['考评周期', '2026-11'], ['状态', '正式 (冻结时间 2026-12-03T16:00:00.000Z); 明细为当前计数'], ['方案版本', DRILL.scheme], ['部门代码', 'market'], ['部门名称', '市场监管局'], ['指标', '红黄牌扣分 (cards)'], ['指标值', '0'],
    ])
    expect(t.header).toEqual(['构成', '计数', '指标值', '案件类型', '案件编号', '数量', '计入时间', '规则'])
    expect(t.rows).toEqual([
      ['扣分项', 'cards.yellow', 0, '', '', '', '', ''],
      ['扣分项', 'cards.red', 1, 'approval', 'A-2', 1, '2026-11-09T16:00:00.000Z', 'approval.overdue'],
      ['基数', 'workload', 2, 'approval', 'A-1', 1, '2026-11-02T01:00:00.000Z', ''],
      ['基数', 'workload', 2, 'approval', '-A-2', 1, '2026-11-02T01:00:00.000Z', ''],
    ])
    const en = drillTable({ ...DRILL, value: null }, null, 'en', iso)
    expect(en.meta[1]).toEqual(['Status', 'Live'])
    expect(en.meta.at(-1)).toEqual(['Value', 'no data'])
    expect(en.rows[0]![0]).toBe('deduction')
  })
})
