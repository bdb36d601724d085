/**
 * The facts of one case (kpi.md §2 as stored): every unit of every count the case adds,
 * for a department at an instant, so that a period's count is the sum of the facts in
 * it. `workload` counts distinct cases, which no sum of days can give, so it is stored
 * once per period length: `workload.month` at the case's first touch of the department
 * in each month, `workload.quarter` in each quarter, `workload.year` in each year.
 */
import type { TimedEvent } from '../common/contract/index.ts'
import type { RuleContext } from '../rules/index.ts'
import type { KpiCard } from './cards.ts'
import { caseTallies } from './caseTallies.ts'
import type { CountName } from './countNames.ts'
import { periodOf, PERIOD_UNITS, type PeriodUnit } from './period.ts'

/** FactName is a count but workload, or workload for one period length. */
export type FactName = Exclude<CountName, 'workload'> | `workload.${PeriodUnit}`

/** Fact is one unit of one count; `rule` names the card behind a cards.* fact. */
export interface Fact {
  count: FactName
  dept: string
  t: number
  rule?: string
}

/** workloadFact names the workload fact of a period length. */
export function workloadFact(unit: PeriodUnit): FactName {
  return `workload.${unit}`
}

/**
 * caseFacts lists the facts of one case: its events (each id once, in case order) and
 * the cards of it that stand.
 */
export function caseFacts(events: readonly TimedEvent[], cards: readonly KpiCard[], ctx: RuleContext): Fact[] {
  // A case's tallies never name workload: that is counted from its touches below.
  const out: Fact[] = caseTallies(events, ctx).map((x) => ({ count: x.count as FactName, dept: x.dept, t: x.t }))
  const touches: Array<{ t: number; dept: string }> = events.map((e) => ({ t: e.t, dept: e.ev.dept }))
  for (const c of cards) {
    out.push({ count: c.level === 'red' ? 'cards.red' : 'cards.yellow', dept: c.dept, t: c.t, rule: c.rule })
    touches.push({ t: c.t, dept: c.dept })
  }
  for (const unit of PERIOD_UNITS) {
    // The first touch of each (period, department): where its workload fact stands.
    const first = new Map<string, { t: number; dept: string }>()
    for (const x of touches) {
      const key = `${periodOf(x.t, unit, ctx.zone).n}\u0000${x.dept}`
      const had = first.get(key)
      if (!had || x.t < had.t) first.set(key, x)
    }
    for (const x of first.values()) out.push({ count: workloadFact(unit), dept: x.dept, t: x.t })
  }
  return out
}

/** FactDelta is a change of one fact: +1 where the case now adds it, −1 where it no longer does. */
export type FactDelta = Fact & { delta: number }

/** diffFacts gives the deltas that turn the facts `before` into `after` (both multisets). */
export function diffFacts(before: readonly Fact[], after: readonly Fact[]): FactDelta[] {
  const tally = new Map<string, { f: Fact; n: number }>()
  const add = (f: Fact, n: number) => {
    const key = `${f.count}\u0000${f.dept}\u0000${f.t}\u0000${f.rule ?? ''}`
    const had = tally.get(key)
    if (had) had.n += n
    else tally.set(key, { f, n })
  }
  for (const f of before) add(f, -1)
  for (const f of after) add(f, 1)
  const out: FactDelta[] = []
  for (const { f, n } of tally.values()) if (n !== 0) out.push({ ...f, delta: n })
  return out
}
