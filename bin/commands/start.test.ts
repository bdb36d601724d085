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
import { findChromium, launchChromium } from '../../dashboard/server/chromium.ts'
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
    env: { ...process.env, JIANCHA_DATA_DIR: dataDir, COLLECTOR_PORT: String(port + 1), SIM_SPEED: '86400', LOG_LEVEL: 'info' },
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

async function wallCards(url: string): Promise<number> {
  const w = (await (await fetch(`${url}/api/v1/wall`)).json()) as { counts: { yellow: number; red: number } }
  return w.counts.yellow + w.counts.red
}

describe('jiancha start', () => {
  const port = 18000 + Math.floor(Math.random() * 1000) * 2
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

    if (findChromium()) {
      const browser = await launchChromium()
      try {
        const page = await browser.newPage()
        await page.goto(url)
        await page.getByText('电子监察实时预警').waitFor()
        const rows = page.locator('[data-testid="feed"] li')
        await waitFor(async () => (await rows.count()) > 0, 'first card on the wall', 60_000)
        const first = await rows.count()
        await waitFor(async () => (await rows.count()) > first, 'more cards, live, without a reload', 60_000)
        await page.screenshot({ path: join(dataDir, 'wall.png') })
      } finally {
        await browser.close()
      }
    } else {
      await waitFor(async () => (await wallCards(url)) > 0, 'cards', 60_000)
    }
    const before = await wallCards(url)
    expect(before).toBeGreaterThan(0)

    run.child.kill('SIGINT')
    expect(await run.exit).toBe(0)
    expect(run.out()).toContain('stopped')
    if (natsPort) expect(await portOpen(natsPort)).toBe(false) // our nats-server is gone too
    expect(await portOpen(port)).toBe(false)

    run = start(port)
    await waitFor(() => run!.out().includes('Wall (大屏):'), 'the wall URL again', 60_000)
    expect(await wallCards(url)).toBeGreaterThanOrEqual(before)
    run.child.kill('SIGINT')
    expect(await run.exit).toBe(0)
  }, 240_000)
})
