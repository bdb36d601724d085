import { describe, expect, it } from 'vitest'
import type { ComponentStatus } from '../../common/contract/index.ts'
import { FORGET_AFTER_MS, isComponentStatus, StatusBook } from './statusBook.ts'

const T0 = Date.parse('2026-11-24T02:00:00.000Z')

function status(component: ComponentStatus['component'], pid: number, host = 'node-1'): ComponentStatus {
  const base: Omit<ComponentStatus, 'component' | 'details'> = { process: { host, pid, started: '2026-11-24T01:00:00.000Z' }, state: 'ok', problems: [], at: '2026-11-24T02:00:00.000Z', db: { up: true }, bus: { up: true } }
  switch (component) {
    case 'rules':
      return { ...base, component, details: { backlog: 0, watermarkLagMs: 0, applied: 1, cases: 1, deadLetters: 0, lastError: null } }
    case 'collector':
      return { ...base, component, details: { backlog: 0, maxBacklog: 100, refused: { tooMany: 0, unavailable: 0 } } }
    case 'alerts':
      return { ...base, component, details: { outbox: null, notifier: { running: true, lastError: null } } }
    case 'kpi':
      return { ...base, component, details: { events: 0, cards: 0, facts: 0, rollups: 'plain', refreshedAt: null, lastError: null } }
    case 'dashboard':
      return { ...base, component, details: { sockets: 0 } }
  }
}

describe('StatusBook', () => {
  it('lists every component, one never heard from as not reporting', () => {
    const book = new StatusBook()
    expect(book.reports(T0)).toEqual(['collector', 'rules', 'alerts', 'kpi', 'dashboard'].map((component) => ({ component, reporting: false, heardAt: null, status: null })))
  })

  it('keeps the newest status of each process, and shows one unheard for 30 s as not reporting', () => {
    const book = new StatusBook()
    expect(book.note(status('rules', 10), T0)).toBe(true)
    const newer = { ...status('rules', 10), state: 'degraded', problems: ['recent_error'] } as ComponentStatus
    book.note(newer, T0 + 5000)
    book.note(status('collector', 11), T0)
    const at = (now: number) => book.reports(now).map((r) => [r.component, r.reporting, r.status?.state ?? null])
    expect(at(T0 + 10_000)).toEqual([['collector', true, 'ok'], ['rules', true, 'degraded'], ['alerts', false, null], ['kpi', false, null], ['dashboard', false, null]])
    // The collector last spoke at T0, the rules at T0 + 5 s.
    expect(at(T0 + 31_000)).toEqual([['collector', false, 'ok'], ['rules', true, 'degraded'], ['alerts', false, null], ['kpi', false, null], ['dashboard', false, null]])
    expect(book.reports(T0 + 31_000)[0]!.heardAt).toBe('2026-11-24T02:00:00.000Z')
  })

  it('shows each process of a component, by host and pid, and its own process as it is now', () => {
    const book = new StatusBook()
    book.note(status('collector', 20, 'node-2'), T0)
    book.note(status('collector', 30, 'node-1'), T0)
    book.note(status('dashboard', 5), T0 - 60_000)
    const mine = { ...status('dashboard', 5), state: 'down', problems: ['bus_down'] } as ComponentStatus
    const r = book.reports(T0, [mine])
    expect(r.map((x) => [x.component, x.status?.process.host, x.status?.process.pid, x.reporting])).toEqual([
      ['collector', 'node-1', 30, true], ['collector', 'node-2', 20, true], ['rules', undefined, undefined, false], ['alerts', undefined, undefined, false], ['kpi', undefined, undefined, false], ['dashboard', 'node-1', 5, true],
    ])
    expect(r[5]!.status!.state).toBe('down')
  })

  it('forgets a process unheard for ten minutes, and holds at most its bound', () => {
    const book = new StatusBook(3)
    book.note(status('rules', 1), T0)
    expect(book.reports(T0 + FORGET_AFTER_MS + 1).find((r) => r.component === 'rules')).toEqual({ component: 'rules', reporting: false, heardAt: null, status: null })
    for (let pid = 100; pid < 110; pid++) book.note(status('collector', pid), T0 + pid)
    const r = book.reports(T0 + 200)
    expect(r.filter((x) => x.status).map((x) => x.status!.process.pid)).toEqual([107, 108, 109])
    expect(r.filter((x) => !x.status).map((x) => x.component)).toEqual(['rules', 'alerts', 'kpi', 'dashboard'])
  })

  it('ignores what is not a status', () => {
    const book = new StatusBook()
    for (const junk of [null, 'ok', {}, { ...status('rules', 1), component: 'wall' }, { ...status('rules', 1), state: 'fine' }, { ...status('rules', 1), process: { host: 'x' } }, { ...status('rules', 1), db: 'up' }]) {
      expect(isComponentStatus(junk)).toBe(false)
      expect(book.note(junk, T0)).toBe(false)
    }
    expect(book.reports(T0).every((r) => r.status === null)).toBe(true)
  })
})
