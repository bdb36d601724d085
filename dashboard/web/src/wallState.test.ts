import { describe, expect, it } from 'vitest'
import type { AlertView, SmsView, WallSnapshot } from '../../../common/contract/api.ts'
import { emptyWall, fromSnapshot, received, withCard, withClock, withPulse, withSms } from './wallState.ts'

function card(key: string, level: 'yellow' | 'red', at: string): AlertView {
  return { key, rule: 'approval.overdue', level, kind: 'approval', caseId: key, dept: 'health', at, causes: [], settingsVersion: 'v', raisedAt: at, status: 'open' }
}

const snapshot: WallSnapshot = {
  now: '2026-03-02T09:30:00+08:00',
  alerts: [card('a', 'red', '2026-03-02T08:00:00+08:00')],
  counts: { yellow: 40, red: 12 },
  byDept: [{ dept: 'health', yellow: 40, red: 12 }],
  sms: [],
  scope: { all: true },
}

function sms(id: number, status: SmsView['status']): SmsView {
  const at = '2026-03-02T08:01:00+08:00'
  return { id, dept: 'health', to: '+86 138****8000', body: '【电子监察】红牌', status, error: null, at, updatedAt: at }
}

describe('wall state', () => {
  it('takes counts from the snapshot, not from the bounded feed', () => {
    const s = fromSnapshot(snapshot)
    expect(s.counts).toEqual({ yellow: 40, red: 12 })
    expect(s.feed.map((c) => c.key)).toEqual(['a'])
    expect(s.now).toBe(snapshot.now)
  })

  it('adds a live card to the feed and the counters', () => {
    const s = withCard(fromSnapshot(snapshot), card('b', 'yellow', '2026-03-02T09:00:00+08:00'))
    expect(s.feed.map((c) => c.key)).toEqual(['b', 'a'])
    expect(s.counts).toEqual({ yellow: 41, red: 12 })
    expect(s.byDept).toEqual([{ dept: 'health', yellow: 41, red: 12 }])
  })

  it('counts a repeated card once', () => {
    const s = fromSnapshot(snapshot)
    expect(withCard(s, card('a', 'red', '2026-03-02T08:00:00+08:00'))).toBe(s)
  })

  it('replaces everything on resync, so cards seen live are not doubled', () => {
    let s = withCard(emptyWall(), card('b', 'yellow', '2026-03-02T09:00:00+08:00'))
    s = fromSnapshot({ ...snapshot, alerts: [...snapshot.alerts, card('b', 'yellow', '2026-03-02T09:00:00+08:00')] })
    expect(s.feed.map((c) => c.key)).toEqual(['b', 'a'])
  })

  it('moves the clock', () => {
    const s = emptyWall()
    expect(withClock(s, 'x').now).toBe('x')
    const same = withClock(s, 'x')
    expect(withClock(same, 'x')).toBe(same)
  })

  it('takes the text messages and the scope from the snapshot', () => {
    const s = fromSnapshot({ ...snapshot, sms: [sms(1, 'sent')], scope: { dept: 'health' } })
    expect(s.sms.map((m) => m.id)).toEqual([1])
    expect(s.scope).toEqual({ dept: 'health' })
  })

  it('moves a text message on by id, without touching the cards', () => {
    const s = fromSnapshot({ ...snapshot, sms: [sms(1, 'sent')] })
    const next = withSms(s, sms(1, 'delivered'))
    expect(next.sms.map((m) => m.status)).toEqual(['delivered'])
    expect(next.feed).toBe(s.feed)
    expect(withSms(next, sms(1, 'sent'))).toBe(next)
  })
})

describe('wall freshness', () => {
  it('keeps the later of the platform last event and what the wall already received', () => {
    const at = Date.parse('2026-03-02T09:29:00+08:00')
    expect(fromSnapshot({ ...snapshot, lastEventAt: '2026-03-02T09:29:00+08:00' }, at - 5000, 0).lastEventAt).toBe(at)
    expect(fromSnapshot({ ...snapshot, lastEventAt: '2026-03-02T09:29:00+08:00' }, at + 5000, 0).lastEventAt).toBe(at + 5000)
    expect(fromSnapshot({ ...snapshot, lastEventAt: null }, null, 7).lastEventAt).toBeNull()
    // A server that does not say: the load itself is news.
    expect(fromSnapshot(snapshot, null, 7).lastEventAt).toBe(7)
  })
  it('moves the last event on, never back', () => {
    const s = received(emptyWall(), 100)
    expect(s.lastEventAt).toBe(100)
    expect(received(s, 50)).toBe(s)
    expect(received(s, 150).lastEventAt).toBe(150)
  })
})

describe('wall trends', () => {
  it('counts a live card on its day, once, and takes the pulse rate and last event', () => {
    let s = fromSnapshot({ ...snapshot, daily: [{ day: '2026-03-02', dept: 'health', yellow: 3, red: 0 }] }, null, 0)
    const c = card('b', 'yellow', '2026-03-02T09:00:00+08:00')
    s = withCard(s, c, '2026-03-02')
    expect(withCard(s, c, '2026-03-02')).toBe(s)
    expect(s.daily).toEqual([{ day: '2026-03-02', dept: 'health', yellow: 4, red: 0 }])
    const p = withPulse(s, { lastEventAt: '2026-03-02T09:31:00+08:00', rate: [{ minute: '2026-03-02T01:30:00.000Z', events: 4 }] })
    expect(p.rate).toHaveLength(1)
    expect(p.lastEventAt).toBe(Date.parse('2026-03-02T09:31:00+08:00'))
  })
})
