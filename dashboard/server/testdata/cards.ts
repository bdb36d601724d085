/**
 * Test input shared by the dashboard server's tests: cards and an in-memory
 * DashboardSource over an array, standing in for the platform's alert store.
 */
import { Subject } from 'rxjs'
import type { AlertView, DailyTally, KpiChanged, Level, RatePoint, SmsView, WallSnapshot } from '../../../common/contract/index.ts'
import type { DashboardSource } from '../source.ts'

/** testCard builds a stored card. */
export function testCard(caseId: string, rule: string, level: Level, dept: string, at: string): AlertView {
  const kind = rule.split('.')[0] as AlertView['kind']
  return {
    key: `${rule}:${level}:${kind}:${caseId}`, rule, level, kind, caseId, dept, at,
    causes: [`${caseId}-e1`], settingsVersion: 'test', raisedAt: at, status: 'open',
  }
}

/** testSms builds a text message view. */
export function testSms(id: number, dept: string | null, status: SmsView['status'] = 'sent'): SmsView {
  const at = new Date(Date.parse('2026-03-02T09:00:00+08:00') + id * 1000).toISOString()
  return { id, dept, to: '138****8000', body: `【电子监察】红牌：测试 ${id}`, status, error: null, at, updatedAt: at }
}

/**
 * MemorySource is a DashboardSource over arrays; `store` plays the alert store and
 * `sendSms` the outbox. Its snapshot ignores the scope on purpose: the server must
 * cut it to the reader's departments itself (snapshot-bounds.ts), and tests prove it.
 */
export class MemorySource implements DashboardSource {
  readonly cards: AlertView[] = []
  readonly live = new Subject<AlertView>()
  readonly messages: SmsView[] = []
  readonly liveSms = new Subject<SmsView>()
  readonly liveKpi = new Subject<KpiChanged>()
  clock = Date.parse('2026-03-02T09:30:00+08:00')
  /** the 30-day figures and the event rate the snapshot carries (none by default) */
  daily: DailyTally[] | undefined
  rate: RatePoint[] | undefined

  now(): number {
    return this.clock
  }

  /** store records a card and announces it live, as the platform does. */
  store(card: AlertView): void {
    this.cards.push(card)
    this.live.next(card)
  }

  /** storeQuietly records a card without a live push, as if it arrived while a wall was away. */
  storeQuietly(card: AlertView): void {
    this.cards.push(card)
  }

  /** sendSms records a message (or its new status) and announces it live. */
  sendSms(m: SmsView): void {
    const i = this.messages.findIndex((x) => x.id === m.id)
    if (i >= 0) this.messages.splice(i, 1)
    this.messages.unshift(m)
    this.liveSms.next(m)
  }

  async snapshot(): Promise<WallSnapshot> {
    const open = this.cards.filter((c) => c.status === 'open')
    const byDept = new Map<string, { dept: string; yellow: number; red: number }>()
    for (const c of open) {
      const d = byDept.get(c.dept) ?? { dept: c.dept, yellow: 0, red: 0 }
      d[c.level]++
      byDept.set(c.dept, d)
    }
    return {
      now: new Date(this.clock).toISOString(),
      alerts: [...this.cards],
      counts: { yellow: open.filter((c) => c.level === 'yellow').length, red: open.filter((c) => c.level === 'red').length },
      byDept: [...byDept.values()],
      sms: [...this.messages],
      scope: { all: true },
      ...(this.daily ? { daily: this.daily } : {}),
      ...(this.rate ? { rate: this.rate } : {}),
    }
  }
}
