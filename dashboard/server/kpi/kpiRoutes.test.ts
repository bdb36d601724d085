import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUser } from '../../../accounts/index.ts'
import { MAX_DRILL_CASES } from '../../../common/contract/index.ts'
import type { Db } from '../../../common/db/index.ts'
import { openTestDbs } from '../../../common/db/testing.ts'
import { ROUTE_PASSWORD, type RouteServer, startRouteServer } from '../testdata/routeServer.ts'
import { kpiRoutes } from './kpiRoutes.ts'
import { ctx, FROZEN_AT, loadKpiFixture, NOW, registry, scheme } from './testdata/kpiFixture.ts'

const format = (t: number) => ctx.zone.format(t)

describe.each(openTestDbs())('the KPI routes on $name', ({ open }) => {
  let db: Db
  let srv: RouteServer
  /** download GETs a file as `who`, with its body as bytes */
  const download = async (who: string, path: string) => {
    const r = await fetch(`${srv.base}${path}`, { headers: { cookie: srv.cookies[who]! } })
    return { status: r.status, headers: r.headers, body: Buffer.from(await r.arrayBuffer()) }
  }
  beforeAll(async () => {
    db = await open()
    await loadKpiFixture(db)
    srv = await startRouteServer(db, (sessions) => kpiRoutes({ db, sessions, scheme, zone: ctx.zone, registry, now: () => NOW, format }))
    await createUser(db, { username: 'market-desk', role: 'department', dept: 'market', password: ROUTE_PASSWORD })
    const s = await srv.sessions.login('market-desk', ROUTE_PASSWORD, '127.0.0.1')
    if (!s.ok) throw new Error('sign-in failed')
    srv.cookies['market-desk'] = `jiancha_session=${s.token}`
  })
  afterAll(async () => {
    await srv?.close()
    await db?.close()
  })

  it('answers 401 to every route without a session', async () => {
    for (const path of [
      '/api/v1/kpi/scheme', '/api/v1/kpi/rankings', '/api/v1/kpi/rankings/export?format=csv', '/api/v1/kpi/departments/market/trend',
      '/api/v1/kpi/departments/market/drilldown?indicator=cards', '/api/v1/kpi/departments/market/drilldown/export?indicator=cards&format=csv',
    ]) expect((await srv.call(null, 'GET', path)).status, path).toBe(401)
    expect((await srv.call('li', 'POST', '/api/v1/kpi/rankings', {})).status).toBe(405)
    expect((await srv.call('li', 'GET', '/api/v1/kpi/other')).status).toBe(404)
  })

  it('ranks for a leader: official for a frozen period with its revisions, live for the current month by default', async () => {
    const nov = await srv.call('li', 'GET', '/api/v1/kpi/rankings?period=2026-11')
    expect(nov.status).toBe(200)
    expect(nov.json).toMatchObject({ period: '2026-11', status: 'official', frozenAt: FROZEN_AT, scope: 'all', ranked: 3, scheme: { version: scheme.version } })
    expect(nov.json.rows.map((r: any) => [r.dept, r.score, r.rank, r.movement])).toEqual([['letters', 100, 1, 'new'], ['tax', 100, 1, 'new'], ['market', 27.27, 3, 'down']])
    expect(nov.json.revisions.map((r: any) => [r.dept, r.before.score, r.after.score])).toEqual([['market', 27.27, 36.36]])
    const now = await srv.call('wang', 'GET', '/api/v1/kpi/rankings')
    expect(now.json).toMatchObject({ period: '2026-12', status: 'live', frozenAt: null, asOf: NOW, ranked: 2 })
    expect(now.json.rows.map((r: any) => [r.dept, r.score, r.movement, r.places])).toEqual([['tax', 100, 'same', 0], ['market', 86.36, 'up', 1]])
    expect((await srv.call('root', 'GET', '/api/v1/kpi/rankings?period=2026-Q4&kind=approval')).json.rows.map((r: any) => [r.dept, r.rank])).toEqual([['tax', 1], ['market', 2]])
  })

  it('answers a department its own row and rank, its own trend and drill-down, and 403 for another department', async () => {
    const own = await srv.call('market-desk', 'GET', '/api/v1/kpi/rankings?period=2026-11')
    expect(own.status).toBe(200)
    expect(own.json).toMatchObject({ scope: 'own', ranked: 3 })
    expect(own.json.rows.map((r: any) => [r.dept, r.rank])).toEqual([['market', 3]])
    expect(own.json.revisions.map((r: any) => r.dept)).toEqual(['market'])
    expect(JSON.stringify(own.json)).not.toMatch(/"tax"|"letters"|税务局/)
    // health-desk's department has no figures: no row, the count of the ranked still told.
    expect((await srv.call('health-desk', 'GET', '/api/v1/kpi/rankings?period=2026-11')).json).toMatchObject({ scope: 'own', ranked: 3, rows: [], revisions: [] })
    expect((await srv.call('market-desk', 'GET', '/api/v1/kpi/departments/market/trend?periods=3&until=2026-12')).status).toBe(200)
    expect((await srv.call('market-desk', 'GET', '/api/v1/kpi/departments/market/drilldown?period=2026-11&indicator=cards')).status).toBe(200)
    expect((await srv.call('market-desk', 'GET', '/api/v1/kpi/scheme')).json.version).toBe(scheme.version)
    for (const path of ['/api/v1/kpi/departments/tax/trend', '/api/v1/kpi/departments/tax/drilldown?indicator=cards', '/api/v1/kpi/departments/tax/drilldown/export?indicator=cards&format=csv']) {
      const r = await srv.call('market-desk', 'GET', path)
      expect(r, path).toMatchObject({ status: 403, json: { error: 'a department may not read the figures of department tax' } })
    }
    // Its own ranking's export holds its own row only.
    const csv = (await download('market-desk', '/api/v1/kpi/rankings/export?period=2026-11&format=csv')).body.toString('utf8')
    expect(csv).toContain('\r\n3,1,▼2,market,市场监管局,')
    expect(csv).toContain('\r\n范围,本部门\r\n')
    expect(csv).not.toContain('tax')
  })

  it('gives a trend oldest first and a bounded drill-down', async () => {
    const t = await srv.call('li', 'GET', '/api/v1/kpi/departments/market/trend?unit=month&periods=3&until=2026-12')
    expect(t.json.points.map((p: any) => [p.period, p.status, p.score])).toEqual([['2026-10', 'official', 100], ['2026-11', 'official', 27.27], ['2026-12', 'live', 86.36]])
    expect((await srv.call('li', 'GET', '/api/v1/kpi/departments/market/trend')).json.points).toHaveLength(12)
    const d = await srv.call('li', 'GET', '/api/v1/kpi/departments/market/drilldown?period=2026-Q4&indicator=approval_on_time')
    expect(d.json).toMatchObject({ dept: 'market', indicator: 'approval_on_time', label: '审批按时办结率', value: 80 })
    expect(d.json.parts.map((p: any) => [p.role, p.value, p.cases.length, p.truncated])).toEqual([['numerator', 4, 4, false], ['denominator', 5, 5, false]])
    expect(MAX_DRILL_CASES).toBeGreaterThan(5)
  })

  it('answers 400 naming the parameter', async () => {
    for (const [path, msg] of [
      ['/api/v1/kpi/rankings?period=2026-13', /^period must be a month/],
      ['/api/v1/kpi/rankings?kind=bureau', /^kind must be one of/],
      ['/api/v1/kpi/rankings/export?period=2026-11', /^format must be csv or xlsx, got none/],
      ['/api/v1/kpi/rankings/export?format=pdf', /^format must be csv or xlsx/],
      ['/api/v1/kpi/rankings/export?format=csv&lang=fr', /^lang must be zh-CN or en/],
      ['/api/v1/kpi/departments/market/trend?periods=99', /^periods must be a whole number from 1 to 36/],
      ['/api/v1/kpi/departments/market/trend?unit=quarter&until=2026-11', /^until must be a quarter like the unit/],
      ['/api/v1/kpi/departments/market/drilldown?period=2026-11', /^indicator is required/],
      ['/api/v1/kpi/departments/market/drilldown?period=2026-11&indicator=speed', /^unknown indicator "speed"/],
      ['/api/v1/kpi/departments/market/drilldown/export?indicator=cards&format=doc', /^format must be csv or xlsx/],
    ] as const) {
      const r = await srv.call('li', 'GET', path)
      expect(r.status, path).toBe(400)
      expect(r.json.error, path).toMatch(msg)
    }
  })

  it('exports the ranking as CSV with a BOM, the period, 正式 and the scheme version, named for the download', async () => {
    const r = await download('li', '/api/v1/kpi/rankings/export?period=2026-11&format=csv')
    expect(r.status).toBe(200)
    expect(r.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(r.headers.get('content-disposition')).toBe(`attachment; filename="kpi-ranking-2026-11.csv"; filename*=UTF-8''kpi-ranking-2026-11.csv`)
    expect([...r.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const lines = r.body.toString('utf8').slice(1).split('\r\n')
    expect(lines.slice(0, 4)).toEqual(['考评周期,2026-11', '状态,正式', `方案版本,${scheme.version}`, `冻结时间,${format(FROZEN_AT)}`])
    const head = lines.indexOf('') + 1
    expect(lines[head]!.startsWith('排名,上期排名,变动,部门代码,部门名称,部门类型,得分,等级,办件量,效能,规范,完成,评价,配合,审批按时办结率')).toBe(true)
    expect(lines.slice(head + 1, head + 4).map((l) => l.split(',').slice(0, 8))).toEqual([
      ['1', '无数据', '新', 'letters', '信访局', '服务', '100', '优秀'],
      ['1', '无数据', '新', 'tax', '税务局', '审批', '100', '优秀'],
      ['3', '1', '▼2', 'market', '市场监管局', '审批', '27.27', '不合格'],
    ])
    const en = (await download('li', '/api/v1/kpi/rankings/export?period=2026-12&format=csv&lang=en')).body.toString('utf8')
    expect(en).toContain('\r\nStatus,Live\r\n')
    expect(en).toContain('\r\nRank,Previous rank,Movement,Department code,Department,')
    expect(en).toContain('\r\n2,3,▲1,market,Market Regulation,Approval,86.36,良好,')
  })

  it('exports the ranking as xlsx that reads back with Chinese headers, the scheme version and the rows', async () => {
    const r = await download('li', '/api/v1/kpi/rankings/export?period=2026-11&kind=approval&format=xlsx')
    expect(r.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    expect(r.headers.get('content-disposition')).toContain('filename="kpi-ranking-2026-11-approval.xlsx"')
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(new Uint8Array(r.body).buffer)
    const ws = wb.getWorksheet('排名')!
    const values = (n: number) => (ws.getRow(n).values as unknown[]).slice(1)
    expect(values(1)).toEqual(['考评周期', '2026-11'])
    expect(values(2)).toEqual(['状态', '正式'])
    expect(values(3)).toEqual(['方案版本', scheme.version])
    expect(values(5)).toEqual(['部门类型', '审批'])
    expect(values(9).slice(0, 9)).toEqual(['排名', '上期排名', '变动', '部门代码', '部门名称', '部门类型', '得分', '等级', '办件量'])
    expect(values(10).slice(0, 8)).toEqual([1, '无数据', '新', 'tax', '税务局', '审批', 100, '优秀'])
    expect(values(11).slice(0, 8)).toEqual([2, 1, '▼1', 'market', '市场监管局', '审批', 27.27, '不合格'])
    expect(ws.rowCount).toBe(11)
  })

  it('exports a drill-down with every case, as CSV and as xlsx', async () => {
    const csv = await download('wang', '/api/v1/kpi/departments/market/drilldown/export?period=2026-11&indicator=cards&format=csv')
    expect(csv.headers.get('content-disposition')).toContain('filename="kpi-drilldown-market-2026-11-cards.csv"')
    const text = csv.body.toString('utf8')
    expect(text.startsWith('\uFEFF考评周期,2026-11\r\n')).toBe(true)
    expect(text).toContain(`\r\n方案版本,${scheme.version}\r\n`)
    expect(text).toContain(`\r\n状态,正式 (冻结时间 ${format(FROZEN_AT)}); 明细为当前计数\r\n`)
    expect(text).toContain(`\r\n扣分项,cards.red,1,approval,A-2,1,${format(Date.parse('2026-11-10T00:00:00+08:00'))},approval.overdue\r\n`)
    expect(text.split('\r\n').filter((l) => l.startsWith('基数,workload,3,')).map((l) => l.split(',')[4])).toEqual(['A-1', 'A-2', 'A-3'])
    const x = await download('wang', '/api/v1/kpi/departments/market/drilldown/export?period=2026-12&indicator=approval_early&format=xlsx&lang=en')
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(new Uint8Array(x.body).buffer)
    const ws = wb.getWorksheet('Cases')!
    expect((ws.getRow(2).values as unknown[]).slice(1)).toEqual(['Status', 'Live'])
    expect((ws.getRow(3).values as unknown[]).slice(1)).toEqual(['Scheme version', scheme.version])
    expect((ws.getRow(9).values as unknown[]).slice(1)).toEqual(['Part', 'Count', 'Value', 'Case kind', 'Case ID', 'Units', 'Counted at', 'Rule'])
    // December: A-4 was not early, so the numerator is 0 with no case; the denominator holds it.
    expect((ws.getRow(10).values as unknown[]).slice(1, 4)).toEqual(['numerator', 'approval.early', 0])
    expect((ws.getRow(11).values as unknown[]).slice(1, 6)).toEqual(['denominator', 'approval.completed', 1, 'approval', 'A-4'])
    expect(ws.rowCount).toBe(11)
  })
})
