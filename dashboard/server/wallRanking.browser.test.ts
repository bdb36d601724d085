/**
 * The wall's ranking board (考核排名) in a real browser, on a whole platform with the kpi
 * worker (collector → rules → alerts → kpi → dashboard, embedded PGlite with
 * TimescaleDB, a private nats-server, a clock set by hand): the board shows the current
 * month's ranking as GET /api/v1/kpi/rankings gives it, with movement in words, and an
 * event posted to the collector changes a department's score on the board within 5 s,
 * without a reload. The event is two days late and the kpi worker's own refresh schedule
 * is left at 30 s, so only its announcement (refresh, then `kpi`) can make that happen in
 * time. Skipped only when no Chromium binary exists.
 */
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CaseEvent, KpiRanking } from '../../common/contract/index.ts'
import type { Db } from '../../common/db/index.ts'
import { openTestDbs } from '../../common/db/testing.ts'
import { saveDepartments } from '../../common/departments/index.ts'
import type { Platform } from '../../bin/platform.ts'
import { ManualClock, post, signInAs, startTestPlatform, startTestServer, waitFor } from '../../test-support/platform.ts'
import { findChromium, launchChromium } from './chromium.ts'
import { axeViolations } from './testdata/axe.ts'

const repo = fileURLToPath(new URL('../..', import.meta.url))
const chromiumPath = findChromium()
if (!chromiumPath) console.warn('wallRanking.browser.test: skipped, no chromium binary (apt-get install -y chromium)')

let n = 0
const ev = (dept: string, caseId: string, type: string, at: string, attrs?: Record<string, unknown>): CaseEvent => ({ id: `r${++n}`, source: 'hall', kind: 'approval', type, caseId, dept, at, ...(attrs ? { attrs } : {}) })
/** opened is a case submitted and accepted at once, with a term of 5 working days. */
const opened = (dept: string, caseId: string, at: string) => [ev(dept, caseId, 'submitted', at, { itemCode: 'MKT-001' }), ev(dept, caseId, 'accepted', at, { itemCode: 'MKT-001', itemName: '食品经营许可', promisedDays: 5, legalDays: 20 })]

describe.skipIf(!chromiumPath)('the wall\'s ranking board in a browser', () => {
  let db: Db
  let nats: Awaited<ReturnType<typeof startTestServer>>
  let platform: Platform
  let browser: Browser
  let page: Page
  let cookie = ''
  const clock = new ManualClock(Date.parse('2026-11-20T12:00:00+08:00'))

  /** rankingOf reads the month's ranking as the wall does. */
  const rankingOf = async (period = '2026-11'): Promise<KpiRanking> => {
    const r = await fetch(`${platform.dashboardUrl}/api/v1/kpi/rankings?period=${period}`, { headers: { cookie } })
    if (r.status !== 200) throw new Error(`rankings: HTTP ${r.status}`)
    return (await r.json()) as KpiRanking
  }
  const rowOf = (dept: string) => page.locator(`[data-testid="rank-row"][data-dept="${dept}"]`)

  beforeAll(async () => {
    execFileSync(process.execPath, ['bin/ensureUi.js'], { cwd: repo, stdio: 'inherit' })
    db = await openTestDbs()[0]!.open()
    nats = await startTestServer('wall-ranking')
    await saveDepartments(db, [
      { dept: { code: 'market', nameZh: '市场监管局', nameEn: 'Market Regulation Bureau', kind: 'supervision', parent: null, active: true } },
      { dept: { code: 'tax', nameZh: '税务局', nameEn: 'Taxation Bureau', kind: 'service', parent: null, active: true } },
      { dept: { code: 'health', nameZh: '卫健委', nameEn: 'Health Commission', kind: 'service', parent: null, active: true } },
    ], { actor: 'test', via: 'test', at: clock.now() })
    platform = await startTestPlatform(db, nats, clock, ['collector', 'rules', 'alerts', 'kpi', 'dashboard'], {
      config: { kpiRefreshMs: 30_000, kpiThreads: false, secureCookies: false, smsProvider: 'console' },
    })
    // October: market on time, tax late (a red card); November the other way round, health on time.
    const events = [
      ...opened('market', 'M-O', '2026-10-12T09:00:00+08:00'), ev('market', 'M-O', 'completed', '2026-10-13T10:00:00+08:00'),
      ...opened('tax', 'T-O', '2026-10-12T09:00:00+08:00'), ev('tax', 'T-O', 'completed', '2026-10-30T10:00:00+08:00'),
      ...opened('tax', 'T-N', '2026-11-02T09:00:00+08:00'), ev('tax', 'T-N', 'completed', '2026-11-03T10:00:00+08:00'),
      ...opened('market', 'M-N', '2026-11-02T09:00:00+08:00'), ev('market', 'M-N', 'completed', '2026-11-16T10:00:00+08:00'),
      ...opened('health', 'H-N', '2026-11-05T09:00:00+08:00'), ev('health', 'H-N', 'completed', '2026-11-11T10:00:00+08:00'),
    ]
    expect((await post(platform, events)).json).toMatchObject({ accepted: events.length })
    cookie = await signInAs(platform, db)
    // Settled: every case counted and market's November red card in.
    await waitFor(async () => {
      const r = await rankingOf()
      return r.ranked === 3 && (r.rows.find((x) => x.dept === 'market')?.counts['cards.red'] ?? 0) > 0
    }, 'November ranked, cards in', 30_000)
    browser = await launchChromium()
    const context = await browser.newContext({ viewport: { width: 1600, height: 900 } })
    const [name, value] = cookie.split('=') as [string, string]
    await context.addCookies([{ name, value, url: platform.dashboardUrl!, httpOnly: true, sameSite: 'Strict' }])
    page = await context.newPage()
  }, 90_000)

  afterAll(async () => {
    await browser?.close()
    await platform?.stop()
    await nats?.dispose()
    await db?.close()
  })

  it('shows the current month\'s ranking as the API gives it: rank, movement in words, name, score, grade', async () => {
    await page.goto(`${platform.dashboardUrl}/?lang=zh-CN#/wall`)
    await page.click('[data-testid="wall-tab-rank"]')
    await expect.poll(() => page.locator('[data-testid="rank-row"]').count()).toBe(3)
    expect(await page.textContent('#rank-title')).toBe('2026-11 考核排名')
    expect(await page.textContent('[data-testid="rank-note"]')).toContain('实时数据 · 3 个部门参与排名')
    const api = await rankingOf()
    const byRank = [...api.rows].sort((a, b) => a.rank! - b.rank!)
    expect(await page.locator('[data-testid="rank-row"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-dept')))).toEqual(byRank.map((r) => r.dept))
    for (const r of byRank) expect(await rowOf(r.dept).locator('[data-testid="rank-score"]').textContent()).toBe(r.score!.toFixed(2))
    // Tax rose from October's second place, market fell from its first: said in words beside the arrow.
    expect(api.rows.find((r) => r.dept === 'tax')).toMatchObject({ rank: 1, movement: 'up', places: 1 })
    expect(await rowOf('tax').textContent()).toMatch(/▲\s*上升 1 位/)
    expect(await rowOf('market').textContent()).toMatch(/▼\s*下降 \d 位/)
    expect(await rowOf('health').textContent()).toContain('上期无排名')
    expect(await rowOf('tax').locator('.rank-dept').textContent()).toBe('税务局')
    expect(await rowOf('tax').locator('.rank-grade').textContent()).toContain(api.rows.find((r) => r.dept === 'tax')!.grade!)
    expect(await axeViolations(page)).toEqual([])
  })

  it('changes a score on the board within 5 s of an event posted to the collector, without a reload', async () => {
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 7))
    const before = await rowOf('tax').getAttribute('data-score')
    expect(before).toBe(String((await rankingOf()).rows.find((r) => r.dept === 'tax')!.score))
    const sent = Date.now()
    // A poor rating of tax's November case, sent two days late (behind the aggregates'
    // refreshed range): its approval_rating (好评率) falls from nothing to 0.
    expect((await post(platform, [ev('tax', 'T-N', 'evaluated', '2026-11-18T11:00:00+08:00', { score: 1 })])).json).toMatchObject({ accepted: 1 })
    await expect.poll(() => rowOf('tax').getAttribute('data-score'), { timeout: 5000, interval: 100 }).not.toBe(before)
    const took = Date.now() - sent
    expect(took).toBeLessThan(5000)
    const now = (await rankingOf()).rows.find((r) => r.dept === 'tax')!
    expect(now.counts['approval.poor']).toBe(1)
    await expect.poll(() => rowOf('tax').locator('[data-testid="rank-score"]').textContent()).toBe(now.score!.toFixed(2))
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(7)
  })

  it('speaks English, and joins the playlist once it has figures', async () => {
    await page.goto(`${platform.dashboardUrl}/?lang=en#/wall?rotate=5`)
    await expect.poll(() => page.getAttribute('[data-testid="wall"]', 'data-page'), { timeout: 16_000 }).toBe('rank')
    await expect.poll(() => page.locator('[data-testid="rank-row"]').count()).toBe(3)
    expect(await page.textContent('#rank-title')).toBe('Rankings, 2026-11')
    expect(await rowOf('tax').locator('.rank-dept').textContent()).toBe('Taxation Bureau')
    expect(await page.locator('[data-testid="rank-row"] .rank-move').allTextContents()).not.toContain('')
    expect(await axeViolations(page)).toEqual([])
  })
})
