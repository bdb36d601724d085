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
import { MemorySource, testCard } from './testdata/cards.ts'

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
})
