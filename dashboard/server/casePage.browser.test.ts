/**
 * The case page (#/case/<kind>/<caseId>) and the public service page (#/public) in a
 * real browser, on a whole platform (collector → rules → alerts → dashboard, embedded
 * PGlite, a private nats-server, a clock set by hand): an inspector opens a case from
 * its card on the wall and reads its clock, cards, thread and timeline in Chinese;
 * another department cannot open it; its department issues the check code there; a
 * visitor who is not signed in looks the case up with the right and a wrong code, in
 * both languages, by keyboard, with no axe-core violation, and files a complaint that
 * the inspector then opens as a petition. With DOCS_SHOTS=1 it writes docs/case*.png and
 * docs/public*.png. Skipped only when no Chromium binary exists.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import axe from 'axe-core'
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
import { BROWSER_TEST_PASSWORD as PW, Browsers } from './testdata/browserSession.ts'

const repo = fileURLToPath(new URL('../..', import.meta.url))
const chromiumPath = findChromium()
if (!chromiumPath) console.warn('casePage.browser.test: skipped, no chromium binary (apt-get install -y chromium)')
const SHOTS = process.env.DOCS_SHOTS === '1'

describe.skipIf(!chromiumPath)('the case page and the public page in a browser', () => {
  let db: Db
  let nats: Awaited<ReturnType<typeof startTestServer>>
  let platform: Platform
  let browser: Browser
  const dataDir = mkdtempSync(join(tmpdir(), 'case-browser-'))
  const clock = new ManualClock(Date.parse('2026-10-12T12:00:00+08:00'))
  let url = ''
  let code = ''
  let browsers: Browsers

  beforeAll(async () => {
    execFileSync(process.execPath, ['bin/ensureUi.js'], { cwd: repo, stdio: 'inherit' })
    db = await openTestDbs()[0]!.open()
    nats = await startTestServer('case-browser')
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
    for (const u of [
      { username: 'wang', role: 'inspector' }, { username: 'sun', role: 'inspector', canUnmask: true }, { username: 'market-desk', role: 'department', dept: 'market' }, { username: 'health-desk', role: 'department', dept: 'health' },
    ]) await createUser(db, { ...u, password: PW })
    const ev = (id: string, type: string, at: string, attrs?: Record<string, unknown>): CaseEvent => ({ id, source: 'hall', kind: 'approval', type, caseId: 'A-2026-0917', dept: 'market', at, ...(attrs ? { attrs } : {}) })
    expect((await post(platform, [
      ev('a1', 'submitted', '2026-09-27T09:00:00+08:00', { itemCode: 'SC-101' }),
      ev('a2', 'accepted', '2026-09-28T10:00:00+08:00', { itemCode: 'SC-101', itemName: '食品经营许可', promisedDays: 5, legalDays: 20 }),
      ev('a3', 'suspended', '2026-10-09T09:00:00+08:00', { reason: 'correction' }),
      ev('a4', 'resumed', '2026-10-09T15:00:00+08:00'),
    ])).status).toBeLessThan(300)
    await waitFor(async () => Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM alert_threads')).rows[0]!.n) === 1, 'the thread of A-2026-0917')
    browser = await launchChromium()
    browsers = new Browsers(browser, url, { context: { viewport: { width: 1400, height: 1000 } } })
  })

  afterAll(async () => {
    await browser?.close()
    await platform?.stop()
    await nats?.dispose()
    await db?.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  /** signIn opens `path` in `who`'s own browser, signing in when needed (testdata/browserSession.ts). */
  const signIn = (who: string, path = '/'): Promise<Page> => browsers.at(who, path)

  const text = async (page: Page, selector: string) => ((await page.textContent(selector)) ?? '').trim()

  /** violations runs axe-core's WCAG 2 A/AA rules on the page as it is. */
  async function violations(page: Page): Promise<string[]> {
    await page.addScriptTag({ content: axe.source })
    const r = await page.evaluate(async () => {
      const res = await (window as unknown as { axe: typeof axe }).axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa'] } })
      return res.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
    })
    return r
  }

  it('opens the case page from its card on the wall: clock, holidays, cards, thread and a timeline in Chinese', async () => {
    const page = await signIn('wang', '/#/wall')
    const link = page.locator('[data-testid="feed-case"]:has-text("A-2026-0917")').first()
    await link.waitFor()
    await link.click()
    await page.waitForSelector('[data-testid="case-clock"]')
    expect(new URL(page.url()).hash).toBe('#/case/approval/A-2026-0917')
    expect(await text(page, '[data-testid="clock-term"]')).toContain('承诺办结时限 · 5 个工作日')
    expect(await text(page, '[data-testid="clock-due"]')).toBe('2026-10-12 06:00')
    expect(await text(page, '[data-testid="clock-used"]')).toBe('5 天 6 小时 · 已计入 6 天')
    expect(await text(page, '[data-testid="clock-remaining"]')).toBe('⚠ 已超期 6 小时')
    expect(await text(page, '[data-testid="clock-paused"]')).toBe('6 小时')
    expect(await text(page, '[data-testid="clock-holidays"]')).toContain('2026-10-01')
    expect(await text(page, '[data-testid="clock-makeup"]')).toBe('2026-10-10')
    // A card raised and withdrawn while the backfill was split across batches is listed too, as withdrawn.
    const rules = await page.locator('[data-testid="case-card"]:not([data-status="withdrawn"])').evaluateAll((els) => els.map((e) => e.getAttribute('data-rule')))
    expect(rules.sort()).toEqual(['approval.due_soon', 'approval.overdue'])
    expect(await text(page, '[data-testid="case-card"][data-rule="approval.overdue"]')).toContain('依据规则“审批超期”于 2026-10-12 06:00 触发')
    expect(await page.locator('[data-testid="case-thread"] [data-testid="history-row"]').count()).toBeGreaterThan(0)
    expect(await page.locator('[data-testid="case-event-type"]').allTextContents()).toEqual(['申请', '受理', '中止计时（特别程序）', '恢复计时'])
    const timeline = await text(page, '[data-testid="case-timeline"]')
    for (const s of ['承诺时限', '5 天', '食品经营许可', '补正材料']) expect(timeline).toContain(s)
    for (const raw of ['accepted', 'promisedDays', '{"']) expect(timeline).not.toContain(raw)
    expect(await page.locator('[data-testid="issue-code"]').count()).toBe(0)
    expect(await violations(page)).toEqual([])
    if (SHOTS) await page.screenshot({ path: join(repo, 'docs/case.png'), fullPage: true })
  })

  it('is closed to another department, and its own department issues the check code there', async () => {
    const other = await signIn('health-desk', '/#/case/approval/A-2026-0917')
    await expect.poll(() => text(other, '[data-testid="case-error"]')).toBe('未找到该案件，或不在您的权限范围内')
    expect(await other.locator('[data-testid="case-clock"]').count()).toBe(0)
    const own = await signIn('market-desk', '/#/console')
    await own.locator('[data-testid="thread-row"]').first().locator('a').click()
    await own.click('[data-testid="thread-case"]')
    await own.waitForSelector('[data-testid="case-clock"]')
    await own.click('[data-testid="issue-code"]')
    const shown = await text(own, '[data-testid="check-code"]')
    code = /查询码：([2-9A-Z]{8})/.exec(shown)![1]!
    await expect.poll(() => text(own, '[data-testid="check-code-state"]')).toContain('market-desk')
  })

  it('lets a visitor look the case up by keyboard with its code, a wrong code saying only "not found", in either language', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } })
    await page.goto(`${url}/#/public`)
    await page.waitForSelector('[data-testid="public-page"]')
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN')
    await expect.poll(() => text(page, '[data-testid="perf-empty"]')).toBe('暂无已发布的考评结果')
    expect(await violations(page)).toEqual([])
    // By keyboard: focus the case number, type, Tab to the code, type, Enter.
    await page.focus('[data-testid="lookup-case"]')
    await page.keyboard.type('A-2026-0917')
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('lookup-code')
    await page.keyboard.type('ZZZZZZZZ')
    await page.keyboard.press('Enter')
    await expect.poll(() => text(page, '[data-testid="lookup-error"]')).toBe('未查到：请核对办件编号和查询码')
    await page.fill('[data-testid="lookup-code"]', code.toLowerCase())
    await page.keyboard.press('Enter')
    await page.waitForSelector('[data-testid="lookup-result"]')
    expect(await page.locator('[data-testid="lookup-stage"]').allTextContents()).toEqual(['申请2026-09-27', '受理2026-09-28', '中止计时（特别程序）2026-10-09', '恢复计时2026-10-09'])
    expect(await text(page, '[data-testid="lookup-finished"]')).toContain('办理中')
    if (SHOTS) await page.screenshot({ path: join(repo, 'docs/public.png'), fullPage: true })
    await page.click('[data-testid="public-lang"]')
    await expect.poll(() => text(page, 'h1')).toBe('Public service · Public supervision')
    expect(await page.getAttribute('html', 'lang')).toBe('en')
    expect(await text(page, '[data-testid="perf-empty"]')).toBe('No official results published yet')
    expect(await violations(page)).toEqual([])
    if (SHOTS) await page.screenshot({ path: join(repo, 'docs/public-en.png'), fullPage: true })
    await page.close()
  })

  it('fits a phone: nothing overflows the public page at 390 × 844', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } })
    await page.goto(`${url}/#/public`)
    await page.waitForSelector('[data-testid="perf-empty"]')
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
    if (SHOTS) await page.screenshot({ path: join(repo, 'docs/public-mobile.png'), fullPage: true })
    await page.close()
  })

  it('files a complaint that the inspector then opens as a petition, its phone masked', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } })
    await page.goto(`${url}/#/public`)
    await page.waitForSelector('[data-testid="complaint-dept"] option[value="market"]', { state: 'attached' })
    await page.selectOption('[data-testid="complaint-dept"]', 'market')
    await page.fill('[data-testid="complaint-subject"]', '窗口乱收费')
    await page.fill('[data-testid="complaint-details"]', '办理食品经营许可时被多收材料费')
    await page.fill('[data-testid="complaint-name"]', '张三')
    await page.fill('[data-testid="complaint-phone"]', '13900002222')
    await page.click('[data-testid="complaint-submit"]')
    const receipt = page.locator('[data-testid="complaint-receipt"]')
    await receipt.waitFor()
    const tracking = (await receipt.getAttribute('data-tracking'))!
    expect(tracking).toMatch(/^TS20261012-/)
    if (SHOTS) await page.screenshot({ path: join(repo, 'docs/public-complaint.png'), fullPage: true })
    await page.close()

    const inspector = await signIn('wang', `/#/case/petition/${encodeURIComponent(tracking)}`)
    await expect.poll(async () => {
      await inspector.reload()
      await inspector.waitForSelector('[data-testid="case-timeline"], [data-testid="case-error"]')
      return inspector.locator('[data-testid="case-event-type"]').allTextContents()
    }, { timeout: 15_000 }).toEqual(['登记'])
    const timeline = await text(inspector, '[data-testid="case-timeline"]')
    for (const s of ['窗口乱收费', '公众投诉（信息服务）', '张*', '139****2222']) expect(timeline).toContain(s)
    expect(timeline).not.toMatch(/张三|13900002222/)
    expect(await inspector.locator('[data-testid="case-unmask"]').count()).toBe(0)

    // An inspector who may unmask shows it in clear, with a reason the server audits first.
    const sun = await signIn('sun', `/#/case/petition/${encodeURIComponent(tracking)}`)
    await sun.click('[data-testid="case-unmask"]')
    await sun.fill('[data-testid="case-unmask-reason"]', '核实投诉人身份')
    await sun.click('[data-testid="case-unmask-submit"]')
    await expect.poll(() => text(sun, '[data-testid="case-timeline"]')).toContain('13900002222')
    expect(await text(sun, '[data-testid="case-mode"]')).toBe('原文显示（此次查看已记入审计）')
    const audit = await db.query<{ actor: string }>("SELECT actor FROM audit_log WHERE action = 'data.unmasked' AND subject = $1", [`case:petition:${tracking}`])
    expect(audit.rows).toEqual([{ actor: 'sun' }])
  })
})
