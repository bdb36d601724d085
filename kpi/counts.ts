/**
 * countsByPeriod computes the counts of kpi.md §2 per period and department from the
 * events and the standing cards, as a pure function. Nothing at or after `until`
 * counts. A quarter's or a year's counts come from its own events and cards (§1), so
 * every count is the sum of its months' but `workload`, which counts distinct cases.
 */
import { caseKey, type TimedEvent } from '../common/contract/index.ts'
import type { RuleContext } from '../rules/index.ts'
import type { KpiCard } from './cards.ts'
import { caseTallies, type Tally } from './caseTallies.ts'
import { zeroCounts, type Counts } from './countNames.ts'
import { periodOf, type PeriodUnit } from './period.ts'

/** CountInput is what the counts are computed from. */
export interface CountInput {
  /** the case events, each with its instant and arrival order */
  events: readonly TimedEvent[]
  /** the cards that stand (standingCards) */
  cards: readonly KpiCard[]
  /** the end of time for the figures, excluded */
  until: number
  unit: PeriodUnit
  /** the rules' context: the zone of the periods, the calendar and settings of the clocks */
  ctx: RuleContext
}

/** PeriodCounts holds, per period number (Period.n), the counts of every department with a workload there. */
export interface PeriodCounts {
  byPeriod: Map<number, Map<string, Counts>>
  /** the earliest event before `until`, or null when there is none */
  earliest: number | null
}

/** countsByPeriod computes every department's counts in every period. */
export function countsByPeriod(input: CountInput): PeriodCounts {
  const { until, unit, ctx } = input
  const byPeriod = new Map<number, Map<string, Counts>>()
  const periodNo = (t: number) => periodOf(t, unit, ctx.zone).n
  const bucket = (n: number, dept: string): Counts => {
    let depts = byPeriod.get(n)
    if (!depts) byPeriod.set(n, (depts = new Map()))
    let c = depts.get(dept)
    if (!c) depts.set(dept, (c = zeroCounts()))
    return c
  }
  const cases = casesOf(input.events, until)
  const cardsByCase = new Map<string, KpiCard[]>()
  for (const card of input.cards) {
    if (card.t >= until || card.kind === null) continue
    const key = caseKey(card.kind, card.caseId)
    let list = cardsByCase.get(key)
    if (!list) cardsByCase.set(key, (list = []))
    list.push(card)
  }
  let earliest: number | null = null
  for (const key of new Set([...cases.keys(), ...cardsByCase.keys()])) {
    const events = cases.get(key) ?? []
    const cards = cardsByCase.get(key) ?? []
    if (events.length && (earliest === null || events[0]!.t < earliest)) earliest = events[0]!.t
    // The workload counts the case once in each (period, department) it touched.
    const touched = new Map<string, { n: number; dept: string }>()
    const touch = (t: number, dept: string) => {
      const n = periodNo(t)
      touched.set(`${n}\u0000${dept}`, { n, dept })
    }
    const tallies: Tally[] = caseTallies(events, ctx)
    for (const e of events) touch(e.t, e.ev.dept)
    for (const card of cards) {
      touch(card.t, card.dept)
      tallies.push({ count: card.level === 'red' ? 'cards.red' : 'cards.yellow', dept: card.dept, t: card.t })
    }
    for (const { n, dept } of touched.values()) bucket(n, dept).workload++
    for (const tally of tallies) bucket(periodNo(tally.t), tally.dept)[tally.count]++
  }
  return { byPeriod, earliest }
}

/**
 * casesOf groups the events before `until` by case, in case order (by `at`, then
 * arrival), each id once: as in the engine, an event sent again is the same event.
 */
function casesOf(events: readonly TimedEvent[], until: number): Map<string, TimedEvent[]> {
  const cases = new Map<string, { events: TimedEvent[]; ids: Set<string> }>()
  const ordered = events.filter((e) => e.t < until).sort((a, b) => a.t - b.t || a.seq - b.seq)
  for (const e of ordered) {
    const key = caseKey(e.ev.kind, e.ev.caseId)
    let c = cases.get(key)
    if (!c) cases.set(key, (c = { events: [], ids: new Set() }))
    if (c.ids.has(e.ev.id)) continue
    c.ids.add(e.ev.id)
    c.events.push(e)
  }
  return new Map([...cases].map(([key, c]) => [key, c.events]))
}
