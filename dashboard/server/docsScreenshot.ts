/**
 * docsScreenshot takes the pictures of docs/ from a running demo: the wall as a
 * leader sees it (wall.png) and its ranking board (wall-ranking.png), a department's console with one of its threads open
 * (console-department.png), the same console on a phone, its list and a thread
 * (mobile-department.png, mobile-department-thread.png), the inspector's console
 * (console-inspector.png) and on a tablet (tablet-inspector.png), and the sign-in page (login.png). Start the demo first, with a CJK font installed so the
 * Chinese renders, and Chromium's translations so its own controls (the file
 * picker) speak Chinese too (apt-get install -y fonts-noto-cjk chromium-l10n):
 *
 *   JIANCHA_DATA_DIR=/tmp/shots-data DASHBOARD_PORT=18580 node bin/jiancha.js start --kpi
 *
 * (--kpi: on the embedded database the kpi worker, which the ranking board reads, runs only when asked.)
 *
 * Let it run until the wall's 短信通知 panel shows messages delivered (已送达), not
 * only 待发送: on a first start the 60 simulated days pass in three minutes, but the
 * cards and texts they leave behind take some twenty minutes more to drain. To show
 * threads with a history, act as demo-market through the console API
 * (docs/lifecycle.md), for example:
 *
 *   curl -c m.jar -H 'content-type: application/json' -d '{"username":"demo-market","password":"…"}' http://127.0.0.1:18580/api/v1/login
 *   curl -b m.jar 'http://127.0.0.1:18580/api/v1/threads?open=true&limit=5'
 *   curl -b m.jar -H 'content-type: application/json' -d '{}' http://127.0.0.1:18580/api/v1/threads/<id>/acknowledge
 *   curl -b m.jar -H 'content-type: application/json' -d '{"text":"已补正材料并完成审批登记"}' http://127.0.0.1:18580/api/v1/threads/<id>/rectifications
 *
 * then, with the same JIANCHA_DATA_DIR (the demo password is read from
 * <dataDir>/demo-accounts.json; dataDir is ./data by default):
 *
 *   JIANCHA_DATA_DIR=/tmp/shots-data node --import tsx dashboard/server/docsScreenshot.ts [URL] [DIR]
 *
 * URL defaults to http://127.0.0.1:18580/, DIR to docs/. The department's console
 * opens the acknowledged or returned thread of market changed last (else its open
 * thread changed last); the inspector's opens the first thread waiting for review
 * (待审核), if there is one.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { screenshot, type Credentials } from './screenshot.ts'

const base = process.argv[2] ?? 'http://127.0.0.1:18580/'
const dir = process.argv[3] ?? fileURLToPath(new URL('../../docs/', import.meta.url))
const password = demoPassword(process.env.JIANCHA_DATA_DIR ?? './data')
const as = (username: string): Credentials => ({ username, password })
// The pictures show the app's default language; Chromium takes its own from the environment.
process.env.LANGUAGE = 'zh_CN'

/** demoPassword reads the demo accounts' shared password, as `jiancha start` stored it. */
function demoPassword(dataDir: string): string {
  const file = join(dataDir, 'demo-accounts.json')
  const p = (JSON.parse(readFileSync(file, 'utf8')) as { password?: unknown }).password
  if (typeof p !== 'string') throw new Error(`no password in ${file}`)
  return p
}

/** firstThread signs in over plain HTTP and returns the id of the first thread of each query in turn; null if none has one. */
async function firstThread(who: Credentials, ...queries: string[]): Promise<number | null> {
  const login = await fetch(new URL('/api/v1/login', base), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(who) })
  if (!login.ok) throw new Error(`sign-in as ${who.username} failed: ${login.status}`)
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!
  try {
    for (const q of queries) {
      const r = await fetch(new URL(`/api/v1/threads?${q}&limit=1`, base), { headers: { cookie } })
      if (!r.ok) throw new Error(`GET /api/v1/threads?${q}: ${r.status}`)
      const id = ((await r.json()) as { threads: Array<{ id: number }> }).threads[0]?.id
      if (id !== undefined) return id
    }
    return null
  } finally {
    await fetch(new URL('/api/v1/logout', base), { method: 'POST', headers: { cookie } })
  }
}

/** consoleUrl is #/console with the thread open, or the list alone. */
function consoleUrl(thread: number | null): string {
  return new URL(thread === null ? '#/console' : `#/console/${thread}`, base).href
}

/** consoleReady waits for the list, and for the open thread's history when one is open. */
function consoleReady(thread: number | null): string[] {
  const list = '[data-testid=thread-row], [data-testid=threads-empty]'
  return thread === null ? [list] : [list, '[data-testid=thread-detail] [data-testid=history-row]']
}

/** shoot writes one picture into DIR and says so. */
async function shoot(name: string, url: string, opts: Parameters<typeof screenshot>[2]): Promise<void> {
  const file = join(dir, name)
  await screenshot(url, file, opts)
  process.stdout.write(`wrote ${file}\n`)
}

// The wall: a card row, the chart's canvas and a text message, then time for ECharts to animate.
await shoot('wall.png', new URL('#/wall', base).href, {
  width: 1920,
  height: 1080,
  signIn: as('demo-leader'),
  waitFor: ['.feed-list .feed-row', '.dept-chart canvas', '[data-testid=sms-row]'],
  settleMs: 2500,
})

// The ranking board: the current month's departments, once the kpi worker has counted them.
await shoot('wall-ranking.png', new URL('#/wall?page=rank', base).href, {
  width: 1920,
  height: 1080,
  signIn: as('demo-leader'),
  waitFor: ['[data-testid=rank-row]'],
  settleMs: 1500,
})

const market = await firstThread(as('demo-market'), 'state=acknowledged,returned', 'open=true')
await shoot('console-department.png', consoleUrl(market), { width: 1440, height: 900, signIn: as('demo-market'), waitFor: consoleReady(market) })

// The phone: the list as cards, then the same thread alone with its actions.
await shoot('mobile-department.png', consoleUrl(null), { width: 390, height: 844, mobile: true, signIn: as('demo-market'), waitFor: consoleReady(null) })
// (With a thread open the phone shows it alone: wait for the thread, not the list.)
await shoot('mobile-department-thread.png', consoleUrl(market), { width: 390, height: 844, mobile: true, signIn: as('demo-market'), waitFor: consoleReady(market).slice(1) })

const review = await firstThread(as('demo-inspector'), 'state=rectification_submitted')
await shoot('console-inspector.png', consoleUrl(review), { width: 1440, height: 900, signIn: as('demo-inspector'), waitFor: consoleReady(review) })
await shoot('tablet-inspector.png', consoleUrl(review), { width: 820, height: 1180, mobile: true, signIn: as('demo-inspector'), waitFor: consoleReady(review) })

await shoot('login.png', base, { width: 960, height: 600, waitFor: '[data-testid=login-submit]' })
