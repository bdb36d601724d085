import { describe, expect, it } from 'vitest'
import type { CaseEvent } from '../common/contract/index.ts'
import { defaultContext } from '../rules/index.ts'
import type { KpiCard } from './cards.ts'
import type { Counts } from './countNames.ts'
import { countsByPeriod } from './counts.ts'
import { parsePeriod, periodLabel, type PeriodUnit } from './period.ts'
import { accepted, caseEvent, timed } from './testing.ts'

const ctx = defaultContext()
const UNTIL = Date.parse('2027-01-01T00:00:00+08:00')

/** counts gives, per period label and department, the counts that are not 0. */
function counts(events: CaseEvent[], opts: { cards?: KpiCard[]; unit?: PeriodUnit; until?: number } = {}): Record<string, Record<string, Partial<Counts>>> {
  const r = countsByPeriod({ events: timed(events), cards: opts.cards ?? [], until: opts.until ?? UNTIL, unit: opts.unit ?? 'month', ctx })
  const out: Record<string, Record<string, Partial<Counts>>> = {}
  for (const [n, depts] of [...r.byPeriod].sort((a, b) => a[0] - b[0])) {
    const label = periodLabel({ unit: opts.unit ?? 'month', n })
    for (const [dept, c] of depts) (out[label] ??= {})[dept] = Object.fromEntries(Object.entries(c).filter(([, v]) => v !== 0))
  }
  return out
}

const card = (caseId: string, level: 'yellow' | 'red', at: string, dept = 'market'): KpiCard => ({ rule: `approval.${level === 'red' ? 'overdue' : 'due_soon'}`, level, kind: 'approval', caseId, dept, t: Date.parse(at) })

describe('countsByPeriod', () => {
  it('counts a case spanning two months in the workload of each, and once in their quarter', () => {
    const events = [accepted('A-1', '2026-10-30T10:00:00+08:00', 3), caseEvent('approval', 'completed', 'A-1', '2026-11-03T10:00:00+08:00')]
    expect(counts(events)).toEqual({
      '2026-10': { market: { workload: 1, 'approval.accepted': 1 } },
      // 3 working days from 11-02: half-way at noon on 11-03, so early too
      '2026-11': { market: { workload: 1, 'approval.completed': 1, 'approval.on_time': 1, 'approval.early': 1 } },
    })
    expect(counts(events, { unit: 'quarter' })).toEqual({
      '2026-Q4': { market: { workload: 1, 'approval.accepted': 1, 'approval.completed': 1, 'approval.on_time': 1, 'approval.early': 1 } },
    })
  })

  it('puts 23:59:59 on a month\'s last day in that month and 00:00:00 after it in the next, local time', () => {
    const events = [
      caseEvent('approval', 'evaluated', 'A-1', '2026-09-30T23:59:59+08:00', { score: 5 }),
      caseEvent('approval', 'evaluated', 'A-2', '2026-10-01T00:00:00+08:00', { score: 1 }),
    ]
    expect(counts(events)).toEqual({
      '2026-09': { market: { workload: 1, 'approval.evaluated': 1 } },
      '2026-10': { market: { workload: 1, 'approval.evaluated': 1, 'approval.poor': 1 } },
    })
  })

  it('reads an instant given in UTC in the platform zone: 2026-09-30T16:30Z is October in Shanghai', () => {
    const events = [caseEvent('approval', 'evaluated', 'A-1', '2026-09-30T16:30:00Z', { score: 4 }), caseEvent('approval', 'evaluated', 'A-2', '2026-09-30T15:59:59Z', { score: 4 })]
    expect(counts(events)).toEqual({
      '2026-09': { market: { workload: 1, 'approval.evaluated': 1 } },
      '2026-10': { market: { workload: 1, 'approval.evaluated': 1 } },
    })
    // and in a platform running in UTC, both are September's
    const utc = countsByPeriod({ events: timed(events), cards: [], until: UNTIL, unit: 'month', ctx: defaultContext({ zone: 'UTC' }) })
    expect([...utc.byPeriod.keys()].map((n) => periodLabel({ unit: 'month', n }))).toEqual(['2026-09'])
    expect(utc.byPeriod.get(parsePeriod('2026-09').n)!.get('market')!.workload).toBe(2)
  })

  it('counts cards by level for the card\'s department and period, and their cases in the workload', () => {
    const events = [accepted('A-1', '2026-10-30T10:00:00+08:00', 3)]
    const cards = [card('A-1', 'yellow', '2026-11-04T00:00:00+08:00'), card('A-1', 'red', '2026-11-05T00:00:00+08:00'), card('A-9', 'red', '2026-11-05T00:00:00+08:00', 'tax')]
    expect(counts(events, { cards })).toEqual({
      '2026-10': { market: { workload: 1, 'approval.accepted': 1 } },
      '2026-11': { market: { workload: 1, 'cards.yellow': 1, 'cards.red': 1 }, tax: { workload: 1, 'cards.red': 1 } },
    })
  })

  it('counts nothing at or after until', () => {
    const until = Date.parse('2026-11-05T00:00:00+08:00')
    const events = [accepted('A-1', '2026-10-30T10:00:00+08:00', 3), caseEvent('approval', 'completed', 'A-1', '2026-11-05T00:00:00+08:00')]
    const cards = [card('A-1', 'yellow', '2026-11-04T23:59:59+08:00'), card('A-1', 'red', '2026-11-05T00:00:00+08:00')]
    expect(counts(events, { cards, until })).toEqual({
      '2026-10': { market: { workload: 1, 'approval.accepted': 1 } },
      '2026-11': { market: { workload: 1, 'cards.yellow': 1 } },
    })
    const r = countsByPeriod({ events: timed(events), cards, until: Date.parse('2026-10-30T10:00:00+08:00'), unit: 'month', ctx })
    expect(r).toEqual({ byPeriod: new Map(), earliest: null })
  })

  it('counts an event sent twice once, and keeps the earliest event', () => {
    const ev = caseEvent('approval', 'evaluated', 'A-1', '2026-11-10T10:00:00+08:00', { score: 2 }, { id: 'same' })
    const r = countsByPeriod({ events: timed([ev, { ...ev }, caseEvent('approval', 'submitted', 'A-2', '2026-11-01T10:00:00+08:00', { itemCode: 'X' })]), cards: [], until: UNTIL, unit: 'month', ctx })
    expect(r.byPeriod.get(parsePeriod('2026-11').n)!.get('market')).toMatchObject({ workload: 2, 'approval.evaluated': 1, 'approval.poor': 1 })
    expect(r.earliest).toBe(Date.parse('2026-11-01T10:00:00+08:00'))
  })

  it('counts a case whose department changed in each department\'s workload', () => {
    const events = [accepted('A-1', '2026-11-02T10:00:00+08:00', 3), caseEvent('approval', 'completed', 'A-1', '2026-11-03T10:00:00+08:00', undefined, { dept: 'tax' })]
    expect(counts(events)).toEqual({
      '2026-11': {
        market: { workload: 1, 'approval.accepted': 1 },
        tax: { workload: 1, 'approval.completed': 1, 'approval.on_time': 1, 'approval.early': 1 },
      },
    })
  })
})
