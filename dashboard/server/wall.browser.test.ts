/**
 * The wall in a real browser: served by startDashboardServer from the built SPA, fed
 * through a real rxjs Subject, checked the way an inspector would see it.
 * Skipped only when no Chromium binary exists (apt-get install -y chromium).
 */
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findChromium, launchChromium } from './chromium.ts'
import { startDashboardServer, type DashboardServer } from './dashboardServer.ts'
import { openTestAccounts, type TestAccounts } from './testdata/accounts.ts'
import { axeViolations } from './testdata/axe.ts'
import { MemorySource, testCard, testSms } from './testdata/cards.ts'

const repo = fileURLToPath(new URL('../..', import.meta.url))
const staticDir = fileURLToPath(new URL('../web/dist', import.meta.url))
const chromiumPath = findChromium()
if (!chromiumPath) console.warn('wall.browser.test: skipped, no chromium binary (apt-get install -y chromium)')

describe.skipIf(!chromiumPath)('wall in a browser', () => {
  const source = new MemorySource()
  let server: DashboardServer
  let browser: Browser
  let page: Page
  let accounts: TestAccounts

  beforeAll(async () => {
    // The test needs the built SPA; ensure-ui rebuilds only when sources changed.
    execFileSync(process.execPath, ['bin/ensureUi.js'], { cwd: repo, stdio: 'inherit' })
    source.storeQuietly(testCard('A-0105', 'approval.due_soon', 'yellow', 'health', '2026-03-02T08:00:00+08:00'))
    accounts = await openTestAccounts()
    server = await startDashboardServer({
      sessions: accounts.sessions,
      console: accounts.console,
      host: '127.0.0.1',
      port: 0,
      source,
      staticDir,
      deptNames: {
        health: { 'zh-CN': '市卫生健康委', en: 'Health Commission' },
        env: { 'zh-CN': '市生态环境局', en: 'Ecology & Environment' },
        market: { 'zh-CN': '市场监管局', en: 'Market Regulation Bureau' },
        tax: { 'zh-CN': '税务局', en: 'Taxation Bureau' },
      },
      log: () => {},
    })
    browser = await launchChromium()
    // The wall is for the signed in: this page carries a leader's session, as after signing in.
    const context = await browser.newContext({ viewport: { width: 1600, height: 900 } })
    const [name, value] = accounts.cookie('li').split('=') as [string, string]
    await context.addCookies([{ name, value, url: server.url, httpOnly: true, sameSite: 'Strict' }])
    page = await context.newPage()
  })

  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await accounts?.close()
  })

  const rows = () => page.locator('[data-testid="feed-row"]')
  const counter = (level: 'yellow' | 'red') => page.locator(`[data-testid="counter-${level}"] [data-testid="counter-value"]`)

  it('shows the wall in Chinese with the snapshot loaded', async () => {
    await page.goto(server.url)
    await expect.poll(() => page.textContent('h1')).toBe('电子监察实时预警')
    await expect.poll(() => page.textContent('[data-testid="conn-status"]')).toContain('已连接')
    await expect.poll(() => rows().count()).toBe(1)
    expect(await rows().first().textContent()).toContain('审批即将到期')
    expect(await rows().first().textContent()).toContain('市卫生健康委')
    expect(await rows().first().textContent()).toContain('2026-03-02 08:00')
    expect(await page.getAttribute('[data-testid="counter-yellow"]', 'aria-label')).toBe('黄牌：1 张')
    await expect.poll(() => page.textContent('[data-testid="platform-time"]')).toContain('2026-03-02')
    expect(await page.locator('[data-testid="dept-chart"] canvas').count()).toBeGreaterThan(0)
  })

  it('shows new cards live, newest first, without a reload', async () => {
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42))
    source.store(testCard('E-0101', 'enforcement.due_soon', 'yellow', 'env', '2026-03-02T09:00:00+08:00'))
    source.store(testCard('A-0999', 'approval.overdue', 'red', 'health', '2026-03-02T09:10:00+08:00'))
    await expect.poll(() => rows().count()).toBe(3)
    const first = (await rows().first().textContent()) ?? ''
    expect(first).toContain('红牌')
    expect(first).toContain('审批超期')
    expect(first).toContain('A-0999')
    expect(await rows().nth(1).textContent()).toContain('执法即将超期')
    expect(await counter('red').textContent()).toBe('1')
    expect(await counter('yellow').textContent()).toBe('2')
    expect(await page.getAttribute('[data-testid="counter-red"]', 'aria-label')).toBe('红牌：1 张')
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42)
  })

  it('resyncs after a reconnect, showing cards stored meanwhile exactly once', async () => {
    source.storeQuietly(testCard('P-0042', 'petition.reply_overdue', 'red', 'env', '2026-03-02T09:20:00+08:00'))
    server.disconnectClients()
    await expect.poll(() => page.textContent('[data-testid="conn-status"]')).toContain('连接中断，正在重连…')
    await expect.poll(() => page.locator('[data-testid="feed-row"]:has-text("P-0042")').count(), { timeout: 15_000 }).toBe(1)
    await expect.poll(() => page.textContent('[data-testid="conn-status"]')).toContain('已连接')
    expect(await rows().count()).toBe(4)
    expect(await rows().first().textContent()).toContain('信访答复超期')
    for (const caseId of ['A-0105', 'E-0101', 'A-0999']) expect(await page.locator(`[data-testid="feed-row"]:has-text("${caseId}")`).count()).toBe(1)
    expect(await counter('red').textContent()).toBe('2')
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42)
  })

  it('switches to English and back, and honours ?lang=en', async () => {
    await page.click('[data-testid="lang-toggle"]')
    await expect.poll(() => page.textContent('h1')).toBe('E-Supervision Live Alerts')
    expect(await rows().first().textContent()).toContain('Red card')
    expect(await rows().first().textContent()).toContain('Petition reply overdue')
    expect(await rows().first().textContent()).toContain('Ecology & Environment')
    expect(await page.textContent('[data-testid="conn-status"]')).toContain('Connected')
    expect(await page.getAttribute('html', 'lang')).toBe('en')
    expect(page.url()).toContain('lang=en')

    await page.goto(`${server.url}/?lang=en`)
    await expect.poll(() => page.textContent('h1')).toBe('E-Supervision Live Alerts')
    await page.click('[data-testid="lang-toggle"]')
    await expect.poll(() => page.textContent('h1')).toBe('电子监察实时预警')
  })

  it('keeps at most 50 cards on screen under a burst', async () => {
    const before = Number(await counter('yellow').textContent())
    for (let i = 0; i < 300; i++) {
      source.store(testCard(`B-${i}`, 'approval.poor_rating', 'yellow', 'health', new Date(Date.parse('2026-03-02T10:00:00+08:00') + i * 1000).toISOString()))
    }
    await expect.poll(() => page.locator('[data-testid="feed-row"]').first().getAttribute('data-key')).toContain(':B-299')
    expect(await rows().count()).toBe(50)
    expect(Number(await counter('yellow').textContent())).toBe(before + 300)
  })

  it('puts a card raised now for an older event at the top, live and after a reload', async () => {
    // Raised after every card so far (the burst's last was raised at 10:04:59), for an event weeks old.
    const late = { ...testCard('A-LATE', 'approval.overdue', 'red', 'health', '2026-02-01T09:00:00+08:00'), raisedAt: '2026-03-02T12:00:00+08:00' }
    source.store(late)
    await expect.poll(() => rows().first().getAttribute('data-key')).toBe(late.key)
    // The time shown is when it was raised (触发时间), not the event's.
    expect(await rows().first().locator('.feed-time').textContent()).toBe('2026-03-02 12:00')
    await page.reload()
    await expect.poll(() => rows().first().getAttribute('data-key')).toBe(late.key)
  })

  it('ranks the department chart by open cards, most on top', async () => {
    // tax: 2 red cards; health: hundreds of yellow and 2 red. Worst-red-first would put tax on top.
    source.store(testCard('T-1', 'approval.overdue', 'red', 'tax', '2026-03-02T12:01:00+08:00'))
    source.store(testCard('T-2', 'approval.fee_mismatch', 'red', 'tax', '2026-03-02T12:02:00+08:00'))
    const ranking = () => page.locator('[data-testid="dept-rank"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-dept')))
    await expect.poll(ranking).toEqual(['health', 'tax', 'env'])
    expect(await page.locator('[data-testid="dept-rank"]').first().textContent()).toMatch(/市卫生健康委：共 \d+ 张，红牌 2 张/)
  })

  it('shows long English department names and long case numbers whole', async () => {
    source.store(testCard('SIM-ENFORCEMENT-2026-000123', 'enforcement.due_soon', 'yellow', 'market', '2026-03-02T12:05:00+08:00'))
    await page.goto(`${server.url}/?lang=en`)
    const row = page.locator('[data-testid="feed-row"]:has-text("SIM-ENFORCEMENT-2026-000123")')
    await expect.poll(() => row.count()).toBe(1)
    for (const cell of ['.feed-dept', '.feed-case', '.feed-rule']) {
      // Nothing wider than its column, and nothing taller clipped away (a wrapped name shows whole).
      const box = await row.locator(cell).evaluate((el) => ({
        wide: el.scrollWidth - el.clientWidth,
        tall: el.scrollHeight - el.clientHeight,
        clips: getComputedStyle(el).overflow !== 'visible' || getComputedStyle(el).textOverflow === 'ellipsis',
      }))
      expect(box.wide <= 0 && (box.tall <= 0 || !box.clips), `${cell} is cut off: ${JSON.stringify(box)}`).toBe(true)
    }
    expect(await row.locator('.feed-dept').textContent()).toBe('Market Regulation Bureau')
    expect(await page.locator('[data-testid="dept-rank"][data-dept="market"]').textContent()).toContain('Market Regulation Bureau')
  })

  it('labels both clocks while the platform clock is a time-lapse, and neither once it is real time', async () => {
    source.sendSms(testSms(1, 'market'))
    await page.goto(`${server.url}/?lang=zh-CN`)
    // The source's clock stands in 2026-03, months from the real one: the demo's time-lapse.
    await expect.poll(() => page.textContent('[data-testid="platform-time-label"]')).toBe('模拟时间（演示加速）')
    expect(await page.textContent('[data-testid="sms-note"]')).toContain('时间为实际发送时间')
    source.clock = Date.now()
    await page.reload()
    await expect.poll(() => page.textContent('[data-testid="platform-time-label"]')).toBe('平台时间')
    expect(await page.textContent('[data-testid="sms-note"]')).not.toContain('实际发送时间')
  })

  it('passes an axe scan (WCAG 2.1 AA, contrast included), in Chinese and in English', async () => {
    await page.goto(`${server.url}/?lang=zh-CN`)
    await page.waitForSelector('[data-testid="feed-row"]')
    expect(await axeViolations(page)).toEqual([])
    await page.click('[data-testid="lang-toggle"]')
    await expect.poll(() => page.textContent('h1')).toBe('E-Supervision Live Alerts')
    expect(await axeViolations(page)).toEqual([])
  })
})
