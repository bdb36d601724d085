/**
 * wallSoak (npm run soak:wall -- --minutes 30 --rate 2): the wall in Chromium for a
 * while under a steady stream of cards, over an in-memory source, and its JS heap
 * (after a forced GC) at the start and at the end, beside the cards sent. A leak in
 * the feed, the charts or the socket shows as a heap that grows with the minutes.
 */
import { execFileSync } from 'node:child_process'
import { parseArgs } from 'node:util'
import { fileURLToPath } from 'node:url'
import { launchChromium } from '../chromium.ts'
import { startDashboardServer } from '../dashboardServer.ts'
import { openTestAccounts } from './accounts.ts'
import { MemorySource, testCard } from './cards.ts'

const HELP = `usage: npm run soak:wall -- [--minutes N] [--rate R] [--kiosk]
  --minutes N  how long the wall runs (default 30)
  --rate R     cards per second (default 2)
  --kiosk      run the wall in kiosk mode, its pages rotating every 5 s`

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '30' }, rate: { type: 'string', default: '2' }, kiosk: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } } })
if (values.help) {
  console.log(HELP)
  process.exit(0)
}
const minutes = Number(values.minutes)
const rate = Number(values.rate)
if (!(minutes > 0) || !(rate > 0)) {
  console.error(`soak:wall: --minutes and --rate must be positive numbers (got ${values.minutes}, ${values.rate})\n${HELP}`)
  process.exit(2)
}

const repo = fileURLToPath(new URL('../../..', import.meta.url))
execFileSync(process.execPath, ['bin/ensureUi.js'], { cwd: repo, stdio: 'inherit' })
const source = new MemorySource()
const accounts = await openTestAccounts()
const server = await startDashboardServer({ sessions: accounts.sessions, console: accounts.console, host: '127.0.0.1', port: 0, source, staticDir: fileURLToPath(new URL('../../web/dist', import.meta.url)), log: () => {} })
const browser = await launchChromium()
const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } })
const [name, value] = accounts.cookie('li').split('=') as [string, string]
await context.addCookies([{ name, value, url: server.url, httpOnly: true, sameSite: 'Strict' }])
const page = await context.newPage()
const cdp = await context.newCDPSession(page)
const heap = async () => {
  await cdp.send('HeapProfiler.collectGarbage')
  return (await cdp.send('Runtime.getHeapUsage')).usedSize
}
const mb = (n: number) => `${(n / 1048576).toFixed(1)} MB`

await page.goto(`${server.url}/#/wall${values.kiosk ? '?kiosk=1&rotate=5' : ''}`)
await page.waitForSelector('[data-testid="conn-status"].conn--connected')
const depts = ['health', 'env', 'market', 'tax', 'water']
let sent = 0
const send = () => {
  const t = source.clock + sent * 1000
  // The source keeps what it stored for later snapshots; the soak is about the browser, so it keeps only the newest.
  if (source.cards.length > 500) source.cards.splice(0, source.cards.length - 500)
  source.store(testCard(`SOAK-${sent}`, sent % 5 ? 'approval.due_soon' : 'approval.overdue', sent % 5 ? 'yellow' : 'red', depts[sent % depts.length]!, new Date(t).toISOString()))
  sent++
}
for (let i = 0; i < 50; i++) send()
await page.waitForTimeout(2000)
const start = await heap()
console.log(`soak:wall: ${minutes} min at ${rate} cards/s${values.kiosk ? ', kiosk' : ''}; heap at the start ${mb(start)}`)
const timer = setInterval(send, 1000 / rate)
const end = Date.now() + minutes * 60_000
while (Date.now() < end) {
  await page.waitForTimeout(Math.min(60_000, end - Date.now()))
  console.log(`soak:wall: ${Math.round((minutes * 60_000 - (end - Date.now())) / 60_000)} min, ${sent} cards, heap ${mb(await heap())}`)
}
clearInterval(timer)
const last = await heap()
const rows = await page.locator('[data-testid="feed-row"]').count()
console.log(`soak:wall: heap at the start ${mb(start)}, at the end ${mb(last)} (×${(last / start).toFixed(2)}); ${sent} cards sent, ${rows} rows on screen`)
await browser.close()
await server.close()
await accounts.close()
