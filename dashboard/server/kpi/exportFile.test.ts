import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { defaultScheme } from '../../../kpi/index.ts'
import { toCsv, toXlsx } from './exportFile.ts'
import { drillTable, rankingTable } from './exportTable.ts'
import { DRILL, RANKING } from './testdata/kpiAnswers.ts'

const iso = (t: number) => new Date(t).toISOString()

describe('an export as a file', () => {
  it('writes CSV with a BOM, the header lines, a blank line, then the table; text that looks like a formula is defused', () => {
    const csv = toCsv(rankingTable(RANKING, 'zh-CN', iso))
    expect(csv.startsWith('\uFEFF考评周期,2026-11\r\n状态,正式\r\n')).toBe(true)
    const lines = csv.slice(1).split('\r\n')
    expect(lines[2]).toBe(`方案版本,${defaultScheme().version}`)
    expect(lines[7]).toBe('')
    expect(lines[8]!.startsWith('排名,上期排名,变动,部门代码,部门名称,部门类型,得分,等级,办件量,效能,规范')).toBe(true)
    expect(lines[9]!.startsWith('1,无数据,新,tax,税务局,审批,100,优秀,1,100,100,无数据')).toBe(true)
    // "=市场,"监管"局": an apostrophe against the formula, quoted for the comma and the quotes.
    expect(lines[10]!.startsWith(`2,1,▼1,market,"'=市场,""监管""局",审批,27.27,不合格,2,`)).toBe(true)
    expect(lines.at(-1)).toBe('')
    expect(toCsv(drillTable(DRILL, null, 'en', iso))).toContain("\r\nbase,workload,2,approval,'-A-2,1,2026-11-02T01:00:00.000Z,\r\n")
  })

  it('writes xlsx that exceljs reads back: the header block with the scheme version, the Chinese headers, the rows', async () => {
    const wb = new ExcelJS.Workbook()
    // exceljs types its input as an ArrayBuffer: a copy of the bytes as one.
    await wb.xlsx.load(new Uint8Array(await toXlsx(rankingTable(RANKING, 'zh-CN', iso))).buffer)
    const ws = wb.getWorksheet('排名')!
    expect(ws.getRow(1).values).toEqual([undefined, '考评周期', '2026-11'])
    expect(ws.getRow(2).values).toEqual([undefined, '状态', '正式'])
    expect(ws.getRow(3).values).toEqual([undefined, '方案版本', defaultScheme().version])
    expect(ws.getRow(8).values).toEqual([])
    expect((ws.getRow(9).values as unknown[]).slice(1, 10)).toEqual(['排名', '上期排名', '变动', '部门代码', '部门名称', '部门类型', '得分', '等级', '办件量'])
    expect((ws.getRow(10).values as unknown[]).slice(1, 9)).toEqual([1, '无数据', '新', 'tax', '税务局', '审批', 100, '优秀'])
    // In xlsx a name stays text, never a formula.
    expect(ws.getRow(11).getCell(5).value).toBe('=市场,"监管"局')
    expect(ws.getRow(11).getCell(7).value).toBe(27.27)
    expect(ws.rowCount).toBe(11)
  })
})
