import { EventEmitter } from 'node:events'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { AlertView, SmsView, WallSnapshot } from '../../../common/contract/api.ts'
import { ApiError } from './api.ts'
import { startWallSync, type ConnectionStatus, type LiveSocket } from './wallSync.ts'

/** FakeSocket stands in for socket.io-client: tests emit its events by hand. */
class FakeSocket extends EventEmitter implements LiveSocket {
  connects = 0
  disconnects = 0
  connect() {
    this.connects++
  }
  disconnect() {
    this.disconnects++
  }
}

function card(key: string, minute: number, level: 'yellow' | 'red' = 'red'): AlertView {
  const at = new Date(Date.UTC(2026, 2, 2, 1, minute)).toISOString()
  return { key, rule: 'approval.overdue', level, kind: 'approval', caseId: key, dept: 'health', at, causes: [], settingsVersion: 'v', raisedAt: at, status: 'open' }
}

function snap(cards: AlertView[], sms: SmsView[] = []): WallSnapshot {
  return {
    now: '2026-03-02T09:30:00+08:00', alerts: cards, counts: { yellow: 0, red: cards.length }, byDept: [{ dept: 'health', yellow: 0, red: cards.length }],
    sms, scope: { all: true },
  }
}

function text(id: number, minute: number, status: SmsView['status']): SmsView {
  const at = new Date(Date.UTC(2026, 2, 2, 1, minute)).toISOString()
  return { id, dept: 'health', to: '+86 138****8000', body: '【电子监察】红牌', status, error: null, at, updatedAt: at }
}

/** deferred lets a test decide when the snapshot load answers. */
function deferred<T>() {
  let resolve!: (v: T) => void
  let reject!: (e: unknown) => void
  const promise = new Promise<T>((ok, fail) => ((resolve = ok), (reject = fail)))
  return { promise, resolve, reject }
}

describe('wall sync', () => {
  let socket: FakeSocket
  let loads: Array<ReturnType<typeof deferred<WallSnapshot>>>
  let statuses: ConnectionStatus[]
  let sync: ReturnType<typeof startWallSync>
  let signedOut: number

  beforeEach(() => {
    vi.useFakeTimers()
    socket = new FakeSocket()
    loads = []
    statuses = []
    sync = startWallSync({
      socket,
      loadSnapshot: () => {
        const d = deferred<WallSnapshot>()
        loads.push(d)
        return d.promise
      },
      onChange: (_s, status) => statuses.push(status),
      onSignedOut: () => signedOut++,
      retryMs: 1000,
    })
    signedOut = 0
  })
  afterEach(() => {
    sync.stop()
    vi.useRealTimers()
  })

  const keys = () => sync.state().feed.map((c) => c.key)

  it('loads the wall on connect and then follows live cards', async () => {
    expect(sync.status()).toBe('connecting')
    socket.emit('connect')
    expect(sync.status()).toBe('connected')
    loads[0]!.resolve(snap([card('a', 1)]))
    await vi.runAllTicks()
    socket.emit('alert', card('b', 2))
    expect(keys()).toEqual(['b', 'a'])
    expect(sync.state().counts.red).toBe(2)
  })

  it('reloads the whole wall when the server says a shown card changed', async () => {
    socket.emit('connect')
    loads[0]!.resolve(snap([card('a', 1), card('b', 2)]))
    await vi.runAllTicks()
    expect(keys()).toEqual(['b', 'a'])
    socket.emit('resync')
    expect(loads).toHaveLength(2)
    loads[1]!.resolve(snap([card('a', 1)]))
    await vi.runAllTicks()
    expect(keys()).toEqual(['a'])
    expect(sync.state().counts.red).toBe(1)
  })

  it('holds live cards during a reload and does not double those the snapshot has', async () => {
    socket.emit('connect')
    socket.emit('alert', card('b', 2)) // arrives before the snapshot answers…
    socket.emit('alert', card('c', 3)) // …and this one is not in it
    loads[0]!.resolve(snap([card('a', 1), card('b', 2)]))
    await vi.runAllTicks()
    expect(keys()).toEqual(['c', 'b', 'a'])
    expect(sync.state().counts.red).toBe(3)
  })

  it('replaces the wall on reconnect, showing cards stored while away exactly once', async () => {
    socket.emit('connect')
    loads[0]!.resolve(snap([card('a', 1)]))
    await vi.runAllTicks()
    socket.emit('alert', card('b', 2))
    socket.emit('disconnect', 'transport close')
    expect(sync.status()).toBe('reconnecting')
    socket.emit('connect')
    loads[1]!.resolve(snap([card('a', 1), card('b', 2), card('away', 3)]))
    await vi.runAllTicks()
    expect(keys()).toEqual(['away', 'b', 'a'])
    expect(statuses).toContain('reconnecting')
  })

  it('reconnects by itself when the server sends it away', () => {
    socket.emit('connect')
    socket.emit('disconnect', 'io server disconnect')
    expect(socket.connects).toBe(0)
    vi.advanceTimersByTime(1000)
    expect(socket.connects).toBe(1)
  })

  it('leaves ordinary reconnects to socket.io', () => {
    socket.emit('connect')
    socket.emit('disconnect', 'transport close')
    vi.advanceTimersByTime(5000)
    expect(socket.connects).toBe(0)
  })

  it('ignores a reload answered after a newer connect', async () => {
    socket.emit('connect')
    socket.emit('disconnect', 'transport close')
    socket.emit('connect')
    loads[1]!.resolve(snap([card('new', 5)]))
    await vi.runAllTicks()
    loads[0]!.resolve(snap([card('stale', 1)]))
    await vi.runAllTicks()
    expect(keys()).toEqual(['new'])
  })

  it('retries a failed reload while connected', async () => {
    socket.emit('connect')
    loads[0]!.reject(new Error('503'))
    await vi.runAllTicks()
    expect(loads).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1000)
    expect(loads).toHaveLength(2)
    loads[1]!.resolve(snap([card('a', 1)]))
    await vi.runAllTicks()
    expect(keys()).toEqual(['a'])
  })

  it('follows the platform clock', () => {
    socket.emit('clock', { now: '2026-03-02T01:31:00.000Z' })
    expect(sync.state().now).toBe('2026-03-02T01:31:00.000Z')
  })

  it('bounds the cards it holds during a slow reload', async () => {
    sync.stop()
    socket = new FakeSocket()
    let answer!: (s: WallSnapshot) => void
    sync = startWallSync({ socket, loadSnapshot: () => new Promise((ok) => (answer = ok)), onChange: () => {}, maxHeld: 3 })
    socket.emit('connect')
    for (let i = 0; i < 10; i++) socket.emit('alert', card(`k${i}`, i))
    answer(snap([]))
    await vi.runAllTicks()
    expect(keys()).toEqual(['k9', 'k8', 'k7'])
  })

  it('disconnects and goes quiet when stopped', () => {
    const before = statuses.length
    sync.stop()
    socket.emit('clock', { now: 'x' })
    expect(socket.disconnects).toBe(1)
    expect(statuses.length).toBe(before)
  })

  const texts = () => sync.state().sms.map((m) => `${m.id}:${m.status}`)

  it('shows the snapshot\'s text messages and moves them on live', async () => {
    socket.emit('connect')
    loads[0]!.resolve(snap([], [text(1, 1, 'sent')]))
    await vi.runAllTicks()
    socket.emit('sms', text(2, 2, 'pending'))
    socket.emit('sms', text(1, 1, 'delivered'))
    expect(texts()).toEqual(['2:pending', '1:delivered'])
  })

  it('holds text messages during a reload and never moves one back', async () => {
    socket.emit('connect')
    socket.emit('sms', text(1, 1, 'sent')) // older than the snapshot's view of it
    socket.emit('sms', text(2, 2, 'failed')) // not in it yet
    loads[0]!.resolve(snap([], [text(1, 1, 'delivered')]))
    await vi.runAllTicks()
    expect(texts()).toEqual(['2:failed', '1:delivered'])
  })

  it('hands over to sign-in when the server refuses the socket', () => {
    socket.emit('connect_error', new Error('xhr poll error'))
    expect(signedOut).toBe(0)
    socket.emit('connect_error', new Error('not signed in'))
    socket.emit('connect_error', new Error('not signed in'))
    expect(signedOut).toBe(1)
  })

  it('hands over to sign-in when the snapshot answers 401, and stops retrying', async () => {
    socket.emit('connect')
    loads[0]!.reject(new ApiError(401, 'not signed in'))
    await vi.runAllTicks()
    expect(signedOut).toBe(1)
    await vi.advanceTimersByTimeAsync(5000)
    expect(loads).toHaveLength(1)
  })
})
