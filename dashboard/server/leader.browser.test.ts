/**
 * The leader's cockpit (#/leader, 领导驾驶舱) in a real browser on a whole platform
 * (collector → rules → alerts → kpi → dashboard, embedded PGlite, a private nats-server,
 * a clock set by hand): October's events are counted by the kpi worker and October is
 * frozen, then a late event revises it. A leader signs in, finds this month empty and
 * says so, sees it filled live by the 'kpi' event when an event comes, picks October and reads its official ranking (movement in words, category
 * columns, the revision marked with its before → after), filters by kind, drills from a
 * department to an indicator to its cases and opens a case page, reads the trend, and
 * exports the ranking as xlsx, read back with exceljs, and reads the candidates for
 * process reform (辅助决策) over October. A department user gets no cockpit. Each view
 * is scanned with axe-core. With DOCS_SHOTS=1 it writes docs/leader*.png. Skipped only when no Chromium binary exists.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import ExcelJS from 'exceljs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUser } from '../../accounts/index.ts'
import { startPlatform, type Platform } from '../../bin/platform.ts'
import { loadConfig } from '../../common/config/index.ts'
import type { CaseEvent } from '../../common/contract/index.ts'
import type { Db } from '../../common/db/index.ts'
import { openTestDbs } from '../../common/db/testing.ts'
import { saveDepartments } from '../../common/departments/index.ts'
import { logger } from '../../common/log/index.ts'
import { ManualClock, post, startTestServer, TOKEN, waitFor } from '../../test-support/platform.ts'
import { findChromium, launchChromium } from './chromium.ts'
import { axeViolations } from './testdata/axe.ts'
import { BROWSER_TEST_PASSWORD, signIn } from './testdata/browserSession.ts'

const repo = fileURLToPath(new URL('../..', import.meta.url))
const chromiumPath = findChromium()
if (!chromiumPath) console.warn('leader.browser.test: skipped, no chromium binary (apt-get install -y chromium)')
const SHOTS = process.env.DOCS_SHOTS === '1'

const count = async (db: Db, sql: string) => Number((await db.query<{ n: string }>(sql)).rows[0]!.n)

describe.skipIf(!chromiumPath)("the leader's cockpit in a browser", () => {
  let db: Db
  let nats: Awaited<ReturnType<typeof startTestServer>>
  let platform: Platform
  let browser: Browser
  let leader: Page
  const dataDir = mkdtempSync(join(tmpdir(), 'leader-browser-'))
  const clock = new ManualClock(Date.parse('2026-11-10T10:00:00+08:00'))
  let url = ''

  const ev = (id: string, kind: CaseEvent['kind'], type: string, caseId: string, dept: string, at: string, attrs?: Record<string, unknown>): CaseEvent => ({
    id, source: 'hall', kind, type, caseId, dept, at: `${at}+08:00`, ...(attrs ? { attrs } : {}),
  })
  const approval = (id: string, caseId: string, dept: string, accepted: string, completed: string): CaseEvent[] => [
    ev(`${id}a`, 'approval', 'accepted', caseId, dept, accepted, { itemCode: 'SC-101', itemName: '食品经营许可', promisedDays: 5, legalDays: 20 }),
    ev(`${id}d`, 'approval', 'decided', caseId, dept, completed, { decision: 'approve' }),
    ev(`${id}c`, 'approval', 'completed', caseId, dept, completed),
  ]

  beforeAll(async () => {
    execFileSync(process.execPath, ['bin/ensureUi.js'], { cwd: repo, stdio: 'inherit' })
    db = await openTestDbs()[0]!.open()
    nats = await startTestServer('leader-browser')
    const cfg = loadConfig({
      env: {},
      overrides: {
        dataDir, natsUrl: nats.url, collectorPort: 0, dashboardPort: 0, alertsPort: 0, rulesPort: 0, kpiPort: 0, tickMs: 50, settleMs: 100, kpiRefreshMs: 200,
        sources: [{ name: 'hall', token: TOKEN }], smsProvider: 'console', logLevel: 'warn', secureCookies: false,
      },
    })
    await saveDepartments(db, [
      { dept: { code: 'market', nameZh: '市场监管局', nameEn: 'Market Regulation Bureau', kind: 'approval', parent: null, active: true } },
      { dept: { code: 'health', nameZh: '卫健委', nameEn: 'Health Commission', kind: 'service', parent: null, active: true } },
      { dept: { code: 'tax', nameZh: '税务局', nameEn: 'Tax Bureau', kind: 'approval', parent: null, active: true } },
    ], { actor: 'test', via: 'test', at: clock.now() })
    platform = await startPlatform(cfg, new Set(['collector', 'rules', 'alerts', 'kpi', 'dashboard']), logger('test'), { db, clock })
    url = platform.dashboardUrl!
    for (const u of [{ username: 'li', role: 'leader' }, { username: 'market-desk', role: 'department', dept: 'market' }]) await createUser(db, { ...u, password: BROWSER_TEST_PASSWORD })
    // September: market and health conclude one approval each on time. October: market one on time and one
    // late (its overdue card counts too), health and tax theirs on time.
    const october = [
      ...approval('m0', 'A-M-0', 'market', '2026-09-07T09:00:00', '2026-09-09T10:00:00'),
      ...approval('h0', 'A-H-0', 'health', '2026-09-07T09:00:00', '2026-09-08T10:00:00'),
      ...approval('m1', 'A-M-1', 'market', '2026-10-12T09:00:00', '2026-10-14T10:00:00'),
      ...approval('m2', 'A-M-2', 'market', '2026-10-12T09:00:00', '2026-10-30T10:00:00'),
      ...approval('h1', 'A-H-1', 'health', '2026-10-12T09:00:00', '2026-10-13T10:00:00'),
      ...approval('t1', 'A-T-1', 'tax', '2026-10-12T09:00:00', '2026-10-15T10:00:00'),
      ...approval('t2', 'A-T-2', 'tax', '2026-10-19T09:00:00', '2026-10-21T10:00:00'),
    ]
    // One case a post, so that a case's events reach the rules together.
    for (let i = 0; i < october.length; i += 3) expect((await post(platform, october.slice(i, i + 3))).status).toBeLessThan(300)
    // Every event and card counted before the freeze: the cases seen, the late case's cards among the facts, nothing left on either stream.
    const settled = async () =>
      (await count(db, "SELECT count(*) AS n FROM kpi_cases WHERE kind = 'approval'")) === 7 &&
      (await count(db, "SELECT count(*) AS n FROM kpi_facts WHERE case_id = 'A-M-2' AND count IN ('cards.red', 'cards.yellow')")) >= 2 &&
      (await platform.infra.bus.backlog('JIANCHA_EVENTS', 'rules')) === 0 && (await platform.infra.bus.backlog('JIANCHA_EVENTS', 'kpi')) === 0 &&
      (await platform.infra.bus.backlog('JIANCHA_ALERTS', 'alerts')) === 0 &&
      (await platform.infra.bus.backlog('JIANCHA_ALERTS', 'kpi')) === 0
    await waitFor(settled, "October's events and cards counted", 30_000)
    expect(await platform.freezer!.runOnce()).toContain('2026-10')
    // A late event of October after the freeze: health's second approval, late, revises its official result.
    expect((await post(platform, approval('h2', 'A-H-2', 'health', '2026-10-12T09:00:00', '2026-10-29T10:00:00'))).status).toBeLessThan(300)
    await waitFor(async () => (await count(db, 'SELECT count(*) AS n FROM kpi_revisions')) > 0, 'the revision of October', 30_000)
    browser = await launchChromium()
    leader = await signIn(browser, url, 'li')
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await platform?.stop()
    await nats?.dispose()
    await db?.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  const text = async (page: Page, selector: string) => ((await page.textContent(selector)) ?? '').trim()
  const rowOf = (page: Page, dept: string) => page.locator(`[data-testid="ranking-row"][data-dept="${dept}"]`)

  it('opens from the menu on this month, and says when it has no figures yet', async () => {
    await leader.click('[data-testid="nav-leader"]')
    await leader.waitForSelector('[data-testid="leader-page"]')
    expect(await leader.evaluate(() => location.hash)).toMatch(/^#\/leader/)
    await expect.poll(() => leader.locator('[data-testid="period"]').inputValue()).toBe('2026-11')
    await expect.poll(() => text(leader, '[data-testid="ranking-empty"]')).toBe('本期暂无考评数据')
    expect(await text(leader, '[data-testid="status-badge"]')).toContain('实时')
    expect(await axeViolations(leader)).toEqual([])
  })

  it("re-reads this month's ranking when the platform says its figures changed, without a reload", async () => {
    await leader.evaluate(() => ((window as unknown as { unreloaded: boolean }).unreloaded = true))
    expect((await post(platform, approval('m3', 'A-M-3', 'market', '2026-11-02T09:00:00', '2026-11-03T10:00:00'))).status).toBeLessThan(300)
    // Within seconds (the kpi worker announces at most once a second); the bound is for a loaded CI machine.
    await leader.waitForSelector('[data-testid="ranking-row"][data-dept="market"]', { timeout: 20_000 })
    expect(await rowOf(leader, 'market').locator('[data-testid="score"]').textContent()).toBe('100')
    expect(await leader.evaluate(() => (window as unknown as { unreloaded?: boolean }).unreloaded)).toBe(true)
  })

  it("reads October's official ranking: ranks, movement in words, categories, the revision marked", async () => {
    await leader.selectOption('[data-testid="period"]', '2026-10')
    await leader.waitForSelector('[data-testid="ranking-row"]')
    expect(await leader.getAttribute('[data-testid="ranking-status"]', 'data-status')).toBe('official')
    expect(await text(leader, '[data-testid="status-badge"]')).toContain('正式结果')
    expect(await text(leader, '[data-testid="status-detail"]')).toMatch(/^2026-11-10 10:00 冻结$/)
    const depts = await leader.locator('[data-testid="ranking-row"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-dept')))
    expect(depts).toHaveLength(3)
    expect(depts[2]).toBe('market')
    expect(await text(leader, '[data-testid="ranking-row"][data-dept="market"] [data-testid="rank"]')).toBe('3')
    // Against September, in a symbol and in words: market fell from 1st, health held, tax is new.
    const movement = async (dept: string) => ((await rowOf(leader, dept).locator('[data-testid="movement"]').textContent()) ?? '').replace(/\s+/g, ' ').trim()
    expect(await movement('market')).toBe('▼ 下降 2 位')
    expect(await movement('health')).toBe('= 持平')
    expect(await movement('tax')).toBe('新 新上榜')
    expect(await leader.locator('thead th').allTextContents()).toEqual(expect.arrayContaining(['效能', '规范', '完成', '评价', '配合']))
    expect(await rowOf(leader, 'market').locator('[data-testid="cat-efficiency"]').textContent()).toMatch(/^\d/)
    expect(await rowOf(leader, 'market').locator('[data-testid="cat-evaluation"]').textContent()).toBe('无数据')
    // The late event of health is a revision beside the official rows, not in them: health's score fell, and tax's rank moved with it.
    const official = await rowOf(leader, 'health').locator('[data-testid="score"]').textContent()
    const mark = rowOf(leader, 'health').locator('[data-testid="revision-mark"]')
    await mark.locator('summary').focus()
    await leader.keyboard.press('Enter')
    const lines = await mark.locator('[data-testid="revision-text"]').allTextContents()
    expect(lines.some((l) => new RegExp(`得分 ${official} → \\d+(\\.\\d+)?，等级 .+ → .+，排名 \\d → \\d`).test(l))).toBe(true)
    expect(await mark.getAttribute('title')).toContain(lines[0]!)
    expect(await axeViolations(leader)).toEqual([])
    if (SHOTS) await leader.screenshot({ path: join(repo, 'docs/leader.png'), fullPage: true })
  })

  it('reads in English too', async () => {
    await leader.click('[data-testid="lang-toggle"]')
    await expect.poll(() => text(leader, 'h1')).toBe("Leader's cockpit")
    expect(await leader.locator('thead th').allTextContents()).toEqual(expect.arrayContaining(['Rank', 'Movement', 'Score', 'Grade', 'Efficiency', 'Compliance']))
    expect(((await rowOf(leader, 'market').locator('[data-testid="movement"]').textContent()) ?? '').replace(/\s+/g, ' ').trim()).toBe('▼ down 2')
    expect(await rowOf(leader, 'market').locator('[data-testid="grade"]').textContent()).toBe('Fail')
    expect(await text(leader, '[data-testid="status-badge"]')).toContain('Official')
    expect(await leader.getAttribute('[data-testid="export-ranking-csv"]', 'href')).toBe('/api/v1/kpi/rankings/export?period=2026-10&format=csv&lang=en')
    expect(await axeViolations(leader)).toEqual([])
    await leader.click('[data-testid="lang-toggle"]')
    await expect.poll(() => text(leader, 'h1')).toBe('领导驾驶舱')
  })

  it('switches to quarters and years on the current one, and filters by kind of department', async () => {
    await leader.click('[data-testid="unit-quarter"]')
    await expect.poll(() => leader.locator('[data-testid="period"]').inputValue()).toBe('2026-Q4')
    expect(await leader.locator('[data-testid="period"] option').allTextContents()).toHaveLength(12)
    await expect.poll(() => leader.getAttribute('[data-testid="ranking-status"]', 'data-status')).toBe('live')
    await leader.click('[data-testid="unit-year"]')
    await expect.poll(() => leader.locator('[data-testid="period"]').inputValue()).toBe('2026')
    await leader.click('[data-testid="unit-month"]')
    await expect.poll(() => leader.locator('[data-testid="period"]').inputValue()).toBe('2026-11')
    await leader.selectOption('[data-testid="period"]', '2026-10')
    await expect.poll(() => leader.getAttribute('[data-testid="ranking-status"]', 'data-status')).toBe('official')
    await leader.selectOption('[data-testid="kind"]', 'service')
    await expect.poll(() => leader.locator('[data-testid="ranking-row"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-dept')))).toEqual(['health'])
    await leader.selectOption('[data-testid="kind"]', '')
    await expect.poll(() => leader.locator('[data-testid="ranking-row"]').count()).toBe(3)
  })

  it('drills from a ranking row to an indicator to its cases, and opens the case page', async () => {
    // By keyboard: the department's name is a button.
    await rowOf(leader, 'market').locator('[data-testid="dept-open"]').focus()
    await leader.keyboard.press('Enter')
    await leader.waitForSelector('[data-testid="drill"][data-dept="market"]')
    expect(await leader.evaluate(() => location.hash)).toBe('#/leader?period=2026-10&dept=market')
    expect(await text(leader, '[data-testid="indicator-row"][data-indicator="approval_on_time"] [data-testid="indicator-value"]')).toBe('50')
    await leader.click('[data-testid="indicator-row"][data-indicator="approval_on_time"] [data-testid="indicator-open"]')
    await leader.waitForSelector('[data-testid="part"][data-role="denominator"] [data-testid="drill-case"]')
    expect(await leader.locator('[data-testid="part"][data-role="numerator"] [data-testid="drill-case"]').allTextContents()).toEqual(['A-M-1'])
    expect((await leader.locator('[data-testid="part"][data-role="denominator"] [data-testid="drill-case"]').allTextContents()).sort()).toEqual(['A-M-1', 'A-M-2'])
    expect(await text(leader, '[data-testid="part"][data-role="numerator"] h4')).toBe('分子 · 审批按时办结：1')
    // The trend: a line chart over 12 months, October's score in its words.
    await leader.waitForSelector('[data-testid="trend-chart"] canvas')
    expect(await leader.getAttribute('[data-testid="trend-chart"]', 'aria-label')).toContain('近 12 期')
    expect(await axeViolations(leader)).toEqual([])
    if (SHOTS) {
      await leader.locator('[data-testid="drill-parts"]').scrollIntoViewIfNeeded()
      await leader.screenshot({ path: join(repo, 'docs/leader-drilldown.png'), fullPage: true })
      await leader.locator('[data-testid="trend"]').screenshot({ path: join(repo, 'docs/leader-trend.png') })
    }
    await leader.click('[data-testid="part"][data-role="numerator"] [data-testid="drill-case"]')
    await leader.waitForSelector('[data-testid="case-clock"]')
    expect(await leader.evaluate(() => location.hash)).toBe('#/case/approval/A-M-1')
    await leader.goBack()
    await leader.waitForSelector('[data-testid="drill"][data-dept="market"]')
  })

  it('resizes the trend chart with the window', async () => {
    const width = () => leader.locator('[data-testid="trend-chart"] canvas').evaluate((c) => (c as HTMLCanvasElement).getBoundingClientRect().width)
    const before = await width()
    await leader.setViewportSize({ width: 1000, height: 900 })
    await expect.poll(width).toBeLessThan(before)
    await leader.setViewportSize({ width: 1440, height: 900 })
  })

  it('exports the ranking as xlsx from the page, and the file reads back', async () => {
    const [download] = await Promise.all([leader.waitForEvent('download'), leader.click('[data-testid="export-ranking-xlsx"]')])
    expect(download.suggestedFilename()).toBe('kpi-ranking-2026-10.xlsx')
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile((await download.path())!)
    const ws = wb.worksheets[0]!
    const rows: string[][] = []
    ws.eachRow((r) => rows.push((r.values as unknown[]).slice(1).map((v) => String(v ?? ''))))
    expect(rows[0]).toEqual(['考评周期', '2026-10'])
    expect(rows[1]).toEqual(['状态', '正式'])
    const head = rows.findIndex((r) => r[0] === '排名')
    expect(rows[head]).toEqual(expect.arrayContaining(['排名', '部门名称', '得分', '等级']))
    const market = rows.slice(head + 1).find((r) => r.includes('market'))!
    expect(market[0]).toBe('3')
    expect(market).toContain('市场监管局')
    const href = await leader.getAttribute('[data-testid="export-drill-csv"]', 'href')
    expect(href).toBe('/api/v1/kpi/departments/market/drilldown/export?period=2026-10&indicator=approval_on_time&format=csv&lang=zh-CN')
  })

  it('shows the candidates for process reform over a date range, each linking to its cases', async () => {
    await leader.click('[data-testid="tab-reform"]')
    await leader.waitForSelector('[data-testid="reform"]')
    await leader.fill('[data-testid="reform-from"]', '2026-10-31')
    await leader.fill('[data-testid="reform-until"]', '2026-10-01')
    await leader.press('[data-testid="reform-until"]', 'Enter')
    expect(await text(leader, '[data-testid="reform-bad-range"]')).toContain('开始日期不晚于结束日期')
    await leader.fill('[data-testid="reform-from"]', '2026-10-01')
    await leader.fill('[data-testid="reform-until"]', '2026-10-31')
    await leader.click('[data-testid="reform-apply"]')
    const overdue = leader.locator('[data-testid="reform-rule"] [data-testid="reform-card"][data-key="approval.overdue"]')
    await overdue.waitFor()
    // The address keeps the dates, and the ranking's view for the way back.
    expect(await leader.evaluate(() => location.hash)).toBe('#/leader?tab=reform&period=2026-10&dept=market&indicator=approval_on_time&from=2026-10-01&until=2026-10-31')
    expect(await overdue.locator('h4').textContent()).toBe('审批超期')
    // At least the two late cases' cards (a split backfill may leave one more that the rules could no longer withdraw).
    expect(await overdue.locator('[data-testid="reform-cards"]').textContent()).toMatch(/^预警 [2-9] 张$/)
    expect(await overdue.locator('.kpi-reform-depts').textContent()).toMatch(/市场监管局|卫健委/)
    expect(await overdue.locator('[data-testid="reform-case"]').allTextContents()).toEqual(expect.arrayContaining(['A-H-2', 'A-M-2']))
    expect(await leader.locator('[data-testid="reform-item"] [data-testid="reform-card"][data-key="SC-101"]').count()).toBe(1)
    expect(await axeViolations(leader)).toEqual([])
    if (SHOTS) await leader.screenshot({ path: join(repo, 'docs/leader-reform.png'), fullPage: true })
    await overdue.locator('[data-testid="reform-case"][data-case="A-M-2"]').click()
    await leader.waitForSelector('[data-testid="case-clock"]')
    expect(await leader.evaluate(() => location.hash)).toBe('#/case/approval/A-M-2')
  })

  it('keeps the cockpit from a department user', async () => {
    const desk = await signIn(browser, url, 'market-desk', { path: '/#/leader' })
    expect(await desk.locator('[data-testid="nav-leader"]').count()).toBe(0)
    await desk.waitForSelector('[data-testid="console"]')
    expect(await desk.evaluate(() => location.hash)).toBe('#/console')
    expect(await desk.locator('[data-testid="leader-page"]').count()).toBe(0)
    await desk.context().close()
  })
})
