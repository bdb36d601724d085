/**
 * The wall's performance pages in a real browser (issue 11): data freshness, the
 * trends, the event rate, the kiosk playlist and the scaled layout. One dashboard
 * server over a MemorySource per file; the freshness test stops it and starts another
 * on the same port, as a restart would. Skipped only when no Chromium binary exists.
 */
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findChromium, launchChromium } from './chromium.ts'
import { startDashboardServer, type DashboardServer } from './dashboardServer.ts'
import { openTestAccounts, type TestAccounts } from './testdata/accounts.ts'
import { axeViolations } from './testdata/axe.ts'
import { MemorySource, testCard } from './testdata/cards.ts'

const repo = fileURLToPath(new URL('../..', import.meta.url))
const staticDir = fileURLToPath(new URL('../web/dist', import.meta.url))
const chromiumPath = findChromium()
if (!chromiumPath) console.warn('wallPerf.browser.test: skipped, no chromium binary (apt-get install -y chromium)')

describe.skipIf(!chromiumPath)('the wall gains performance, in a browser', () => {
  const source = new MemorySource()
  let server: DashboardServer
  let browser: Browser
  let page: Page
  let accounts: TestAccounts
  let port = 0
  let url = ''

  const start = async () => {
    server = await startDashboardServer({
      sessions: accounts.sessions,
      console: accounts.console,
      host: '127.0.0.1',
      port,
      source,
      staticDir,
      deptNames: { health: { 'zh-CN': '市卫生健康委', en: 'Health Commission' }, env: { 'zh-CN': '市生态环境局', en: 'Ecology & Environment' } },
      log: () => {},
    })
    url = server.url
    port = Number(new URL(url).port)
  }

  beforeAll(async () => {
    execFileSync(process.execPath, ['bin/ensureUi.js'], { cwd: repo, stdio: 'inherit' })
    source.storeQuietly(testCard('A-0105', 'approval.due_soon', 'yellow', 'health', '2026-03-02T08:00:00+08:00'))
    accounts = await openTestAccounts()
    await start()
    browser = await launchChromium()
    const context = await browser.newContext({ viewport: { width: 1600, height: 900 } })
    const [name, value] = accounts.cookie('li').split('=') as [string, string]
    await context.addCookies([{ name, value, url, httpOnly: true, sameSite: 'Strict' }])
    page = await context.newPage()
  })

  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await accounts?.close()
  })

  const banner = () => page.locator('[data-testid="fresh-banner"]')

  it('shows the last event time, and a banner while the dashboard server is down, gone once it is back', async () => {
    await page.goto(`${url}/#/wall`)
    await expect.poll(() => page.textContent('[data-testid="conn-status"]')).toContain('已连接')
    expect(await banner().count()).toBe(0)
    // MemorySource does not say when the platform last heard an event: the load counts.
    await expect.poll(() => page.textContent('[data-testid="last-event"]')).toMatch(/最近事件\s*\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/)
    await server.close()
    await expect.poll(() => banner().getAttribute('data-state')).toBe('lost')
    expect(await banner().textContent()).toContain('实时连接已中断')
    await start()
    await expect.poll(() => banner().count(), { timeout: 15_000 }).toBe(0)
    await expect.poll(() => page.textContent('[data-testid="conn-status"]')).toContain('已连接')
  })

  it('says the data is stale after N minutes without an event (?stale=N), and not once one arrives', async () => {
    await page.goto(`${url}/?lang=en#/wall?stale=0.05`)
    await expect.poll(() => banner().getAttribute('data-state'), { timeout: 10_000 }).toBe('stale')
    expect(await banner().textContent()).toContain('no new event for over 0.05 min')
    expect(await axeViolations(page)).toEqual([])
    source.store(testCard('E-0101', 'enforcement.due_soon', 'yellow', 'env', '2026-03-02T09:00:00+08:00'))
    await expect.poll(() => banner().count()).toBe(0)
  })

  it('draws 30 days of cards, the department × day heatmap and the event rate, and merges a live card into the same charts', async () => {
    source.daily = [
      { day: '2026-02-20', dept: 'health', yellow: 3, red: 1 },
      { day: '2026-03-02', dept: 'env', yellow: 1, red: 1 },
      { day: '2026-03-02', dept: 'health', yellow: 2, red: 0 },
    ]
    const minute = new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString()
    source.rate = [{ minute, events: 42 }]
    await page.goto(`${url}/?lang=zh-CN#/wall`)
    await page.click('[data-testid="wall-tab-trends"]')
    const total = () => page.getAttribute('[data-testid="trend-total"]', 'data-total')
    await expect.poll(total).toBe('8')
    expect(await page.textContent('[data-testid="rate-now"]')).toContain('最近一分钟 42 条/分钟')
    expect(await page.getAttribute('[data-testid="heat-chart"]', 'aria-label')).toContain('2 个部门')
    for (const c of ['trend-chart', 'heat-chart', 'rate-chart']) expect(await page.locator(`[data-testid="${c}"] canvas`).count()).toBeGreaterThan(0)
    const chartId = () => page.locator('[data-testid="trend-chart"]').evaluate((el) => (el as HTMLElement & { chartId?: string }).chartId)
    const before = await chartId()
    source.store(testCard('A-0200', 'approval.overdue', 'red', 'health', '2026-03-02T09:25:00+08:00'))
    await expect.poll(total).toBe('9')
    expect(await chartId()).toBe(before)
    expect(await axeViolations(page)).toEqual([])
    await page.click('[data-testid="wall-tab-rank"]')
    // No kpi component ever ran on this server: the board says so, in words, rather than show an empty table.
    await expect.poll(() => page.textContent('[data-testid="rank-empty"]')).toBe('绩效评测未运行：平台未启动考评组件，暂无考核排名。')
    expect(await page.locator('[data-testid="rank-row"]').count()).toBe(0)
    expect(await axeViolations(page)).toEqual([])
  })

  for (const [width, height] of [[1920, 1080], [3840, 1080]] as const) {
    it(`scales the kiosk wall to ${width}×${height}: no menu, nothing overflows, pages rotate`, async () => {
      const context = await browser.newContext({ viewport: { width, height } })
      const [name, value] = accounts.cookie('li').split('=') as [string, string]
      await context.addCookies([{ name, value, url, httpOnly: true, sameSite: 'Strict' }])
      const kiosk = await context.newPage()
      try {
        await kiosk.goto(`${url}/?lang=en#/wall?kiosk=1&rotate=5`)
        await expect.poll(() => kiosk.getAttribute('[data-testid="wall"]', 'data-page')).toBe('live')
        expect(await kiosk.locator('nav.app-nav, [data-testid="app-nav"]').count()).toBe(0)
        const fit = await kiosk.evaluate(() => {
          const wall = document.querySelector('[data-testid="wall"]')!.getBoundingClientRect()
          const out = Array.from(document.querySelectorAll('[data-testid="wall"] *')).filter((el) => {
            const r = el.getBoundingClientRect()
            return r.width > 0 && (r.right > innerWidth + 1 || r.bottom > innerHeight + 1)
          })
          return { w: wall.width, h: wall.height, scrollW: document.documentElement.scrollWidth, scrollH: document.documentElement.scrollHeight, out: out.map((e) => e.className).slice(0, 5) }
        })
        expect(fit.out).toEqual([])
        expect(fit.scrollW).toBeLessThanOrEqual(width)
        expect(fit.scrollH).toBeLessThanOrEqual(height)
        // The stage fills the screen: scaled, not letterboxed.
        expect(Math.abs(fit.w - width)).toBeLessThanOrEqual(2)
        expect(Math.abs(fit.h - height)).toBeLessThanOrEqual(2)
        await expect.poll(() => kiosk.getAttribute('[data-testid="wall"]', 'data-page'), { timeout: 12_000 }).toBe('trends')
        await kiosk.screenshot({ path: `/tmp/wall-kiosk-${width}x${height}.png` })
      } finally {
        await context.close()
      }
    })
  }
})
