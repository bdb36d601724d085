import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Server } from 'socket.io'
import { io as connect, type Socket } from 'socket.io-client'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { can, requireSignIn } from '../../accounts/index.ts'
import { clockTick, startLiveRelay, type ClockTick } from './liveRelay.ts'
import { openTestAccounts, type TestAccounts } from './testdata/accounts.ts'
import { MemorySource, testCard, testSms } from './testdata/cards.ts'
import type { AlertView, KpiChanged, SmsView, WallPulse } from '../../common/contract/index.ts'

function next<T>(socket: Socket, event: string): Promise<T> {
  return new Promise((ok) => socket.once(event, (v: T) => ok(v)))
}

describe('live relay', () => {
  const cleanups: Array<() => unknown> = []
  let accounts: TestAccounts
  beforeAll(async () => {
    accounts = await openTestAccounts()
  })
  afterAll(() => accounts?.close())
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c()
  })

  /** setup relays a MemorySource to one signed-in client (the leader, who reads every department, by default). */
  async function setup(clockIntervalMs: number, who = 'li', pulse?: WallPulse) {
    const http = createServer()
    const io = new Server(http, { serveClient: false })
    requireSignIn(io, accounts.sessions)
    const source: MemorySource & { pulse?: () => Promise<WallPulse> } = new MemorySource()
    if (pulse) source.pulse = async () => pulse
    const stop = startLiveRelay(io, source, { clockIntervalMs, log: () => {}, pulseIntervalMs: 30 })
    await new Promise<void>((ok) => http.listen(0, '127.0.0.1', ok))
    cleanups.push(() => io.close())
    cleanups.push(stop)
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`
    const join = (user: string) => {
      const c = connect(url, { transports: ['websocket'], extraHeaders: { cookie: accounts.cookie(user) } })
      cleanups.push(() => c.close())
      return c
    }
    return { source, client: join(who), join, stop }
  }

  it('sends the clock on connect, then every interval', async () => {
    const { source, client } = await setup(50)
    const first = await next<ClockTick>(client, 'clock')
    expect(first.now).toBe('2026-03-02T01:30:00.000Z')
    source.clock += 60_000
    const later = await next<ClockTick>(client, 'clock')
    expect(Date.parse(later.now) - Date.parse(first.now)).toBe(60_000)
  })

  it('pushes the event rate and the last event to walls of every department, not to a department', async () => {
    const pulse: WallPulse = { lastEventAt: '2026-03-02T01:29:00.000Z', rate: [{ minute: '2026-03-02T01:29:00.000Z', events: 7 }] }
    const { client, join } = await setup(60_000, 'li', pulse)
    const market = join('market-desk')
    let marketGot = 0
    market.on('pulse', () => marketGot++)
    await next(market, 'connect')
    expect(await next<WallPulse>(client, 'pulse')).toEqual(pulse)
    await next(client, 'pulse')
    await next(client, 'pulse')
    expect(marketGot).toBe(0)
  })

  it('pushes each new card to every client once', async () => {
    const { source, client } = await setup(60_000)
    await next(client, 'connect')
    const got: AlertView[] = []
    client.on('alert', (a: AlertView) => got.push(a))
    source.store(testCard('E-7', 'enforcement.overdue', 'red', 'env', '2026-03-02T09:00:00+08:00'))
    await expect.poll(() => got.length).toBe(1)
    expect(got[0]!.caseId).toBe('E-7')
  })

  it('pushes a message change to readers of all and to its department only', async () => {
    const { source, client, join } = await setup(60_000)
    const market = join('market-desk')
    await Promise.all([next(client, 'connect'), next(market, 'connect')])
    const got = { leader: [] as SmsView[], market: [] as SmsView[] }
    client.on('sms', (m: SmsView) => got.leader.push(m))
    market.on('sms', (m: SmsView) => got.market.push(m))
    source.sendSms(testSms(1, 'health'))
    source.sendSms(testSms(2, 'market'))
    source.sendSms(testSms(2, 'market', 'delivered'))
    await expect.poll(() => got.leader.length).toBe(3)
    await expect.poll(() => got.market.map((m) => m.status)).toEqual(['sent', 'delivered'])
    expect(got.market.every((m) => m.dept === 'market')).toBe(true)
  })

  it('tells only the readers of a withdrawn card to resync', async () => {
    const { source, client, join } = await setup(60_000)
    const market = join('market-desk')
    const health = join('health-desk')
    await Promise.all([next(client, 'connect'), next(market, 'connect'), next(health, 'connect')])
    let marketResyncs = 0
    market.on('resync', () => marketResyncs++)
    const leaderResync = next(client, 'resync')
    const healthResync = next(health, 'resync')
    source.store({ ...testCard('H-1', 'approval.overdue', 'red', 'health', '2026-03-02T09:00:00+08:00'), status: 'withdrawn' })
    await Promise.all([leaderResync, healthResync])
    // the market desk's socket is still there and heard nothing
    await new Promise((r) => setTimeout(r, 100))
    expect(market.connected).toBe(true)
    expect(marketResyncs).toBe(0)
  })

  it('tells the readers of rankings which periods changed, and no one who may not read them', async () => {
    const { source, client, join } = await setup(60_000)
    const inspector = join('wang')
    const market = join('market-desk')
    await Promise.all([next(client, 'connect'), next(inspector, 'connect'), next(market, 'connect')])
    const marketGot: KpiChanged[] = []
    market.on('kpi', (m: KpiChanged) => marketGot.push(m))
    const change: KpiChanged = { periods: ['2026', '2026-03', '2026-Q1'], at: Date.parse('2026-03-02T09:30:00+08:00') }
    const heard = Promise.all([next<KpiChanged>(client, 'kpi'), next<KpiChanged>(inspector, 'kpi')])
    source.liveKpi.next(change)
    expect(await heard).toEqual([change, change])
    // A department's own figures are its to read only where the policy says so (kpi.read).
    const marketMay = can({ role: 'department', dept: 'market', canUnmask: false, disabled: false }, 'kpi.read', { dept: 'market' })
    await new Promise((r) => setTimeout(r, 100))
    expect(marketGot).toEqual(marketMay ? [change] : [])
  })

  it('stops pushing once undone', async () => {
    const { source, client, stop } = await setup(60_000)
    await next(client, 'connect')
    stop()
    expect(source.live.observed).toBe(false)
    expect(source.liveSms.observed).toBe(false)
    expect(source.liveKpi.observed).toBe(false)
  })

  it('formats the platform clock as RFC 3339', () => {
    expect(clockTick({ now: () => Date.parse('2026-10-01T00:00:00+08:00') })).toEqual({ now: '2026-09-30T16:00:00.000Z' })
  })
})
