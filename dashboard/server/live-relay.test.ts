import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Server } from 'socket.io'
import { io as connect, type Socket } from 'socket.io-client'
import { afterEach, describe, expect, it } from 'vitest'
import { clockTick, startLiveRelay, type ClockTick } from './live-relay.ts'
import { MemorySource, testCard } from './test-cards.ts'
import type { AlertView } from './wall-contract.ts'

function next<T>(socket: Socket, event: string): Promise<T> {
  return new Promise((ok) => socket.once(event, (v: T) => ok(v)))
}

describe('live relay', () => {
  const cleanups: Array<() => unknown> = []
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c()
  })

  async function setup(clockIntervalMs: number) {
    const http = createServer()
    const io = new Server(http, { serveClient: false })
    const source = new MemorySource()
    const stop = startLiveRelay(io, source, { clockIntervalMs, log: () => {} })
    await new Promise<void>((ok) => http.listen(0, '127.0.0.1', ok))
    cleanups.push(() => io.close())
    cleanups.push(stop)
    const client = connect(`http://127.0.0.1:${(http.address() as AddressInfo).port}`, { transports: ['websocket'] })
    cleanups.push(() => client.close())
    return { source, client, stop }
  }

  it('sends the clock on connect, then every interval', async () => {
    const { source, client } = await setup(50)
    const first = await next<ClockTick>(client, 'clock')
    expect(first.now).toBe('2026-03-02T01:30:00.000Z')
    source.clock += 60_000
    const later = await next<ClockTick>(client, 'clock')
    expect(Date.parse(later.now) - Date.parse(first.now)).toBe(60_000)
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

  it('stops pushing once undone', async () => {
    const { source, client, stop } = await setup(60_000)
    await next(client, 'connect')
    stop()
    expect(source.live.observed).toBe(false)
  })

  it('formats the platform clock as RFC 3339', () => {
    expect(clockTick({ now: () => Date.parse('2026-10-01T00:00:00+08:00') })).toEqual({ now: '2026-09-30T16:00:00.000Z' })
  })
})
