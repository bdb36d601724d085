/**
 * The consoles as a new user meets them, in a real browser on a whole platform
 * (collector → rules → alerts → dashboard, embedded PGlite, a private nats-server, a
 * clock moved by hand): an inspector with nothing to review lands on the open threads;
 * a click anywhere on a row opens it; case events read in words; the language chosen
 * holds on an address without ?lang=; the silence's end is typed as the app writes
 * times, whatever the browser's locale; the contacts' department picker says what to
 * pick; a department works its console on a phone (390 × 844) and an inspector reviews
 * on a tablet (820 × 1180). Every view is scanned with axe-core (WCAG 2.1 AA).
 * Skipped only when no Chromium binary exists (apt-get install -y chromium).
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser, BrowserContextOptions, Page } from 'playwright-core'
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
import { BROWSER_TEST_PASSWORD as PW, DESK, signIn as signInAt } from './testdata/browserSession.ts'

const repo = fileURLToPath(new URL('../..', import.meta.url))
const chromiumPath = findChromium()
if (!chromiumPath) console.warn('consoleUi.browser.test: skipped, no chromium binary (apt-get install -y chromium)')

/** The first bytes of a PNG: the server judges the type by them. */
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52])
const LONG_CASE = 'SIM-APPROVAL-2026-000000123'
const USERS = [
  { username: 'wang', role: 'inspector' },
  { username: 'li', role: 'leader' },
  { username: 'zhao', role: 'admin' },
  { username: 'market-desk', role: 'department', dept: 'market' },
]
const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }
const TABLET: BrowserContextOptions = { viewport: { width: 820, height: 1180 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }

describe.skipIf(!chromiumPath)('the consoles as a new user meets them', () => {
  let db: Db
  let nats: Awaited<ReturnType<typeof startTestServer>>
  let platform: Platform
  let browser: Browser
  const dataDir = mkdtempSync(join(tmpdir(), 'console-ui-browser-'))
  const clock = new ManualClock(Date.parse('2026-11-24T10:00:00+08:00'))
  let url = ''

  beforeAll(async () => {
    execFileSync(process.execPath, ['bin/ensureUi.js'], { cwd: repo, stdio: 'inherit' })
    db = await openTestDbs()[0]!.open()
    nats = await startTestServer('console-ui-browser')
    const cfg = loadConfig({
      env: {},
      overrides: {
        dataDir, natsUrl: nats.url, collectorPort: 0, dashboardPort: 0, alertsPort: 0, rulesPort: 0, tickMs: 50, settleMs: 100,
        sources: [{ name: 'hall', token: TOKEN }], smsProvider: 'console', logLevel: 'warn', secureCookies: false,
      },
    })
    await saveDepartments(db, [
      { dept: { code: 'market', nameZh: '市场监管局', nameEn: 'Market Regulation Bureau', kind: 'supervision', parent: null, active: true } },
      { dept: { code: 'health', nameZh: '卫健委', nameEn: 'Health Commission', kind: 'supervision', parent: null, active: true } },
    ], { actor: 'test', via: 'test', at: clock.now() })
    platform = await startPlatform(cfg, new Set(['collector', 'rules', 'alerts', 'dashboard']), logger('test'), { db, clock })
    url = platform.dashboardUrl!
    for (const u of USERS) await createUser(db, { ...u, password: PW })
    // A decision and a conclusion with no acceptance before them: 程序异常 (approval.out_of_order), a red card each.
    const at = (hm: string) => `2026-11-24T${hm}:00+08:00`
    const events: CaseEvent[] = [
      { id: 'a1', source: 'hall', kind: 'approval', type: 'submitted', caseId: 'A-88', dept: 'market', at: at('08:00'), attrs: { itemCode: 'SC-0101' } },
      { id: 'a2', source: 'hall', kind: 'approval', type: 'decided', caseId: 'A-88', dept: 'market', at: at('08:30'), actor: 'officer-7', attrs: { decision: 'approve' } },
      { id: 'a3', source: 'hall', kind: 'approval', type: 'completed', caseId: 'A-88', dept: 'market', at: at('09:00') },
      { id: 'l1', source: 'hall', kind: 'approval', type: 'completed', caseId: LONG_CASE, dept: 'market', at: at('09:10') },
      { id: 'h1', source: 'hall', kind: 'approval', type: 'completed', caseId: 'H-12', dept: 'health', at: at('09:20') },
    ]
    expect((await post(platform, events)).status).toBeLessThan(300)
    await waitFor(async () => Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM alert_threads')).rows[0]!.n) === 3, 'three threads')
    browser = await launchChromium()
  })

  afterAll(async () => {
    await browser?.close()
    await platform?.stop()
    await nats?.dispose()
    await db?.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  /** signIn opens a fresh browser (its own cookie jar and storage) at `path`, signed in as `username` (testdata/browserSession.ts). */
  const signIn = (username: string, path = '/', opts: BrowserContextOptions = DESK): Promise<Page> => signInAt(browser, url, username, { path, context: opts })

  const text = async (page: Page, selector: string) => ((await page.textContent(selector)) ?? '').trim()
  const row = (page: Page, caseId: string) => page.locator(`[data-testid="thread-row"][data-case="${caseId}"]`)
  const detailState = (page: Page) => page.getAttribute('[data-testid="thread-detail"] [data-testid="thread-state"]', 'data-state')
  /** overflow is how far the page is wider than the screen; 0 when nothing overflows. */
  const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)

  it('offers a sign-in page that passes an axe scan, on a phone too', async () => {
    for (const opts of [DESK, PHONE]) {
      const page = await (await browser.newContext(opts)).newPage()
      await page.goto(url)
      await page.waitForSelector('[data-testid="login-form"]')
      expect(await axeViolations(page)).toEqual([])
      expect(await overflow(page)).toBeLessThanOrEqual(0)
      await page.context().close()
    }
  })

  it('starts an inspector with nothing to review on the open threads, saying so, and opens a thread from anywhere on its row', async () => {
    const page = await signIn('wang', '/#/console')
    await expect.poll(() => page.getAttribute('[data-testid="state-chip"][data-chip="open"]', 'aria-pressed')).toBe('true')
    expect(await text(page, '[data-testid="threads-moved-on"]')).toBe('暂无待审核的整改，现显示全部在办预警')
    await expect.poll(() => page.locator('[data-testid="thread-row"]').count()).toBe(3)
    // A click on the department's cell, not on the rule's link.
    await row(page, 'A-88').locator('.thread-cell--dept').click()
    await page.waitForSelector('[data-testid="thread-detail"] [data-testid="thread-case"]:has-text("A-88")')
    expect(await page.evaluate(() => location.hash)).toMatch(/^#\/console\/\d+$/)
    expect(await axeViolations(page)).toEqual([])
    // By keyboard: the rule's name is a link; Enter on it opens the thread.
    await row(page, 'H-12').locator('a').focus()
    await page.keyboard.press('Enter')
    await page.waitForSelector('[data-testid="thread-detail"] [data-testid="thread-case"]:has-text("H-12")')
  })

  it('names the case events and their attributes in words, in Chinese and in English', async () => {
    const page = await signIn('li', '/#/console')
    await row(page, 'A-88').locator('.thread-cell--case').click()
    await page.click('[data-testid="events-load"]')
    const types = page.locator('[data-testid="case-event-type"]')
    await expect.poll(() => types.allTextContents()).toEqual(['申请', '作出决定', '办结'])
    const events = (await page.locator('[data-testid="case-events"]').textContent()) ?? ''
    for (const words of ['事项编码', 'SC-0101', '经办人', 'officer-7', '决定', '准予许可']) expect(events).toContain(words)
    for (const raw of ['submitted', 'decided', 'completed', 'attrs', '{']) expect(events).not.toContain(raw)
    expect(await axeViolations(page, '[data-testid="thread-detail"]')).toEqual([])
    await page.click('[data-testid="lang-toggle"]')
    await expect.poll(() => types.allTextContents()).toEqual(['Application received', 'Decision made', 'Concluded'])
    expect(await page.locator('[data-testid="case-events"]').textContent()).toContain('Approved')
  })

  it('keeps the language chosen when #/console is opened without ?lang=', async () => {
    const page = await signIn('li', '/#/console')
    await page.click('[data-testid="lang-toggle"]')
    await expect.poll(() => text(page, 'h1')).toBe('Alert handling')
    await page.goto(`${url}/#/console`)
    await page.waitForSelector('[data-testid="thread-list"]')
    expect(await text(page, 'h1')).toBe('Alert handling')
    expect(await page.getAttribute('html', 'lang')).toBe('en')
    // The address still wins: a link with ?lang=zh-CN opens in Chinese, and that holds in turn.
    await page.goto(`${url}/?lang=zh-CN#/wall`)
    await expect.poll(() => text(page, 'h1')).toBe('电子监察实时预警')
    await page.goto(`${url}/#/console`)
    await expect.poll(() => text(page, 'h1')).toBe('预警处置')
  })

  it('takes the silence\'s end as the app writes times, in a browser whose locale is US English', async () => {
    const page = await signIn('wang', '/#/silences', { ...DESK, locale: 'en-US' })
    const ends = page.locator('[data-testid="silence-ends"]')
    await ends.waitFor()
    // Never the browser's own picker, which would show 11/24/2026, 12:00 PM here.
    expect(await ends.getAttribute('type')).toBe('text')
    expect(await ends.inputValue()).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/)
    expect(await text(page, '#silence-ends-hint')).toContain('2026-12-03 18:00')
    await page.selectOption('[data-testid="silence-dept"]', 'health')
    await ends.fill('2026-11-25 18:00')
    await page.fill('[data-testid="silence-reason"]', '系统维护窗口')
    await page.click('[data-testid="silence-create"]')
    await expect.poll(() => page.locator('[data-testid="silence-row"]').count()).toBe(1)
    expect(await text(page, '[data-testid="silence-row"]')).toContain('2026-11-25 18:00')
    await ends.fill('25/11/2026 6pm')
    await page.click('[data-testid="silence-create"]')
    await expect.poll(() => text(page, '[data-testid="silence-error"]')).toBe('请填写结束时间')
    expect(await axeViolations(page)).toEqual([])
  })

  it('asks for a department on the contacts page before one is picked', async () => {
    const page = await signIn('zhao', '/#/contacts')
    await page.waitForSelector('[data-testid="contact-row"]')
    const picked = () => page.$eval('[data-testid="contact-dept"]', (s) => (s as HTMLSelectElement).selectedOptions[0]?.textContent?.trim() ?? '')
    expect(await picked()).toBe('请选择部门')
    expect(await page.isDisabled('[data-testid="contact-save"]')).toBe(true)
    await page.selectOption('[data-testid="contact-dept"]', 'market')
    expect(await picked()).toBe('市场监管局')
    expect(await axeViolations(page)).toEqual([])
  })

  it('lets a department work its console on a phone: cards, thumb-sized actions, nothing wider than the screen', async () => {
    const page = await signIn('market-desk', '/', PHONE)
    await expect.poll(() => page.locator('[data-testid="thread-row"]').count()).toBe(2)
    expect(await overflow(page)).toBeLessThanOrEqual(0)
    // Cards, not a table: the header row is hidden, each row stands as a block with its labels.
    const card = row(page, LONG_CASE)
    expect(await card.evaluate((el) => getComputedStyle(el).display)).toBe('grid')
    expect((await page.locator('[data-testid="thread-list"] thead').boundingBox())!.height).toBeLessThanOrEqual(1)
    expect(await card.locator('.thread-cell--case').evaluate((el) => [el.textContent?.trim(), el.scrollWidth <= el.clientWidth])).toEqual([LONG_CASE, true])
    expect(await axeViolations(page)).toEqual([])

    await row(page, 'A-88').locator('.thread-cell--dept').tap()
    await page.waitForSelector('[data-testid="thread-detail"] [data-testid="thread-case"]:has-text("A-88")')
    expect(await overflow(page)).toBeLessThanOrEqual(0)
    const ack = page.locator('[data-testid="ack-submit"]')
    const box = (await ack.boundingBox())!
    expect(box.height).toBeGreaterThanOrEqual(44)
    expect(box.x).toBeGreaterThanOrEqual(0)
    expect(box.x + box.width).toBeLessThanOrEqual(390)
    await ack.tap()
    await expect.poll(() => detailState(page)).toBe('acknowledged')
    expect(await overflow(page)).toBeLessThanOrEqual(0)

    await page.fill('[data-testid="rect-text"]', '已补办受理登记并完成整改')
    await page.setInputFiles('[data-testid="rect-files"]', { name: '回执.png', mimeType: 'image/png', buffer: PNG })
    expect((await page.locator('[data-testid="rect-submit"]').boundingBox())!.height).toBeGreaterThanOrEqual(44)
    await page.locator('[data-testid="rect-submit"]').tap()
    await expect.poll(() => detailState(page)).toBe('rectification_submitted')
    await page.click('[data-testid="events-load"]')
    await page.waitForSelector('[data-testid="case-event"]')
    expect(await overflow(page)).toBeLessThanOrEqual(0)
    expect(await axeViolations(page)).toEqual([])
    // 关闭详情 brings the list back.
    await page.locator('[data-testid="thread-close"]').tap()
    await expect.poll(() => row(page, 'A-88').isVisible()).toBe(true)
    // The department's own wall, from the same menu, fits the phone too.
    await page.locator('[data-testid="nav-wall"]').tap()
    await page.waitForSelector('[data-testid="feed-row"]')
    expect(await overflow(page)).toBeLessThanOrEqual(0)
  })

  it('lets an inspector review on a tablet, the open thread above the list', async () => {
    const page = await signIn('wang', '/#/console', TABLET)
    await expect.poll(() => page.getAttribute('[data-testid="state-chip"][data-chip="rectification_submitted"]', 'aria-pressed')).toBe('true')
    await expect.poll(() => row(page, 'A-88').count()).toBe(1)
    expect(await overflow(page)).toBeLessThanOrEqual(0)
    await row(page, 'A-88').locator('.thread-cell--state').tap()
    await page.waitForSelector('[data-testid="review-form"]')
    const detailTop = (await page.locator('[data-testid="thread-detail"]').boundingBox())!.y
    const listTop = (await page.locator('[data-testid="thread-list"]').boundingBox())!.y
    expect(detailTop).toBeLessThan(listTop)
    expect(await overflow(page)).toBeLessThanOrEqual(0)
    expect(await axeViolations(page)).toEqual([])
    await page.fill('[data-testid="review-comment"]', '整改到位')
    await page.locator('[data-testid="approve"]').tap()
    await expect.poll(() => detailState(page)).toBe('approved')
  })
})
