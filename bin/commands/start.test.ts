/**
 * `jiancha start` end to end, as a user runs it: the whole platform in one process on
 * embedded defaults with the demo city; cards reach the wall in a real browser without
 * a reload; Ctrl-C (SIGINT) stops everything, its own nats-server included; a second
 * start carries on with the data the first one left.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { findChromium, launchChromium } from '../../dashboard/index.ts'
import type { HealthReport } from '../../common/contract/index.ts'
import { waitFor } from '../../test-support/platform.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))
const dataDir = mkdtempSync(join(tmpdir(), 'jiancha-start-'))

interface Run {
  child: ChildProcess
  out: () => string
  exit: Promise<number | null>
}

function start(port: number): Run {
  let out = ''
  const child = spawn('node', [`${root}bin/jiancha.js`, 'start', '--port', String(port)], {
    env: { ...process.env, JIANCHA_DATA_DIR: dataDir, COLLECTOR_PORT: String(port + 1), ALERTS_PORT: String(port + 2), RULES_PORT: '0', KPI_PORT: '0', SIM_SPEED: '86400', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()))
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()))
  const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
  return { child, out: () => out, exit }
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1')
    s.once('connect', () => (s.destroy(), resolve(true)))
    s.once('error', () => resolve(false))
  })
}

/** demoPassword reads the demo accounts' password from the start banner. */
function demoPassword(out: string): string {
  const m = /密码 password\s+(\S+)/.exec(out)
  if (!m) throw new Error(`no demo password in the banner:\n${out}`)
  return m[1]!
}

/** signIn signs a demo account in over HTTP and returns the Cookie header. */
async function signIn(url: string, username: string, password: string): Promise<string> {
  const r = await fetch(`${url}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) })
  expect(r.status).toBe(200)
  return r.headers.get('set-cookie')!.split(';')[0]!
}

async function wall(url: string, cookie: string): Promise<{ counts: { yellow: number; red: number }; sms: Array<{ body: string; to: string; status: string }> }> {
  const r = await fetch(`${url}/api/v1/wall`, { headers: { cookie } })
  expect(r.status).toBe(200)
  return (await r.json()) as { counts: { yellow: number; red: number }; sms: Array<{ body: string; to: string; status: string }> }
}

async function wallCards(url: string, cookie: string): Promise<number> {
  const w = await wall(url, cookie)
  return w.counts.yellow + w.counts.red
}

describe('jiancha start', () => {
  const port = 18000 + Math.floor(Math.random() * 1000) * 3
  const url = `http://127.0.0.1:${port}`
  let run: Run | undefined

  afterAll(async () => {
    if (run && run.child.exitCode === null) run.child.kill('SIGKILL')
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('shows live cards, stops cleanly on Ctrl-C, and resumes with its data', async () => {
    run = start(port)
    await waitFor(() => run!.out().includes('Wall (大屏):'), 'the wall URL', 60_000)
    expect(run.out()).toContain(`http://localhost:${port}`)
    const natsPort = Number(/started nats-server at nats:\/\/127\.0\.0\.1:(\d+)/.exec(run.out())?.[1] ?? /nats-server.*?:(\d+)/.exec(run.out())?.[1])
    const password = demoPassword(run.out())
    // The wall is for the signed in: nothing without a session.
    expect((await fetch(`${url}/api/v1/wall`)).status).toBe(401)
    const cookie = await signIn(url, 'demo-leader', password)

    if (findChromium()) {
      const browser = await launchChromium()
      try {
        const page = await browser.newPage()
        // As a user would: the wall asks for a sign-in first, with the demo's printed password.
        await page.goto(url)
        await page.locator('[data-testid="login-username"]').fill('demo-leader')
        await page.locator('[data-testid="login-password"]').fill(password)
        await page.locator('[data-testid="login-submit"]').click()
        await page.getByText('电子监察实时预警').waitFor()
        const rows = page.locator('[data-testid="feed"] li')
        await waitFor(async () => (await rows.count()) > 0, 'first card on the wall', 60_000)
        const first = await rows.count()
        await waitFor(async () => (await rows.count()) > first, 'more cards, live, without a reload', 60_000)
        // and the texts sent for them, live in the 短信通知 panel
        await waitFor(async () => (await page.locator('[data-testid="sms-row"]').count()) > 0, 'an SMS on the wall', 60_000)
        await page.screenshot({ path: join(dataDir, 'wall.png') })
      } finally {
        await browser.close()
      }
    } else {
      await waitFor(async () => (await wallCards(url, cookie)) > 0, 'cards', 60_000)
    }
    const before = await wallCards(url, cookie)
    expect(before).toBeGreaterThan(0)
    // The demo texts its cards through the built-in fake Twilio: the console and the wall show them, numbers masked.
    await waitFor(async () => (await wall(url, cookie)).sms.some((m) => m.status === 'delivered'), 'a delivered SMS on the wall', 60_000)
    const sms = (await wall(url, cookie)).sms
    expect(sms[0]!.body).toMatch(/^【电子监察】/)
    // The demo seeded the department registry: the wall and the texts name its departments.
    const names = (await (await fetch(`${url}/api/v1/depts`, { headers: { cookie } })).json()) as Record<string, { 'zh-CN': string }>
    expect(names.market).toEqual({ 'zh-CN': '市场监管局', en: 'Market Regulation Bureau' })
    expect(names.inspection).toEqual({ 'zh-CN': '纪检监察室', en: 'Discipline inspection office' })
    expect(sms.some((m) => Object.values(names).some((n) => m.body.includes(n['zh-CN'])))).toBe(true)
    expect(sms.every((m) => /^\d{3}\*{4}\d{4}$/.test(m.to))).toBe(true)
    expect(run.out()).toMatch(/短信 → /)
    // The delivery reports reached the alerts server (ALERTS_PORT), which also says how it is doing.
    expect(run.out()).toContain(`Alerts server:   http://127.0.0.1:${port + 2}`)
    // Every server of the process answers /healthz for all its components, the rules' own server too.
    const rulesUrl = /Rules server: +(http:\/\/\S+)/.exec(run.out())?.[1]
    expect(rulesUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    for (const base of [url, `http://127.0.0.1:${port + 1}`, `http://127.0.0.1:${port + 2}`, rulesUrl!]) {
      const health = await fetch(`${base}/healthz`)
      const body = (await health.json()) as HealthReport
      expect([base, health.status, body.state, body.components.map((c) => c.component)]).toEqual([base, 200, 'ok', ['collector', 'rules', 'alerts', 'dashboard']])
      expect(body.components.find((c) => c.component === 'alerts')!.details).toMatchObject({ notifier: { running: true } })
    }

    run.child.kill('SIGINT')
    expect(await run.exit).toBe(0)
    expect(run.out()).toContain('stopped')
    if (natsPort) expect(await portOpen(natsPort)).toBe(false) // our nats-server is gone too
    expect(await portOpen(port)).toBe(false)
    expect(await portOpen(port + 2)).toBe(false)
    expect(await portOpen(Number(new URL(rulesUrl!).port))).toBe(false)

    run = start(port)
    await waitFor(() => run!.out().includes('Wall (大屏):'), 'the wall URL again', 60_000)
    // the same demo password, and the cards of the first run
    expect(demoPassword(run.out())).toBe(password)
    expect(await wallCards(url, await signIn(url, 'demo-leader', password))).toBeGreaterThanOrEqual(before)
    // a department's demo account sees its own department only
    const market = (await (await fetch(`${url}/api/v1/wall`, { headers: { cookie: await signIn(url, 'demo-market', password) } })).json()) as {
      scope: unknown
      alerts: Array<{ dept: string }>
      byDept: Array<{ dept: string }>
    }
    expect(market.scope).toEqual({ dept: 'market' })
    expect([...market.alerts, ...market.byDept].every((a) => a.dept === 'market')).toBe(true)
    run.child.kill('SIGINT')
    expect(await run.exit).toBe(0)
  }, 240_000)
})
