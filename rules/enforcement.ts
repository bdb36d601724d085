/** Rules for enforcement cases (行政执法), contract §3. */
import type { TimedEvent } from '../common/contract/index.ts'
import { num } from './attrs.ts'
import { allRules, anyBefore, firstOf, type Candidate, type KindRules, type RuleContext } from './candidate.ts'
import { dueSoonDays, instantAfter, type ClockSpec } from './deadline.ts'

/** A penalty decision or closing stops the clock (行政处罚法 art. 60). */
const STOPS = ['penalty', 'concluded'] as const

/** enforcement splits the enforcement rules for the engine: the clocks read only the events of `clockTypes`. */
export const enforcement: KindRules = {
  clocks: deadlines,
  clockTypes: new Set(['filed', ...STOPS]),
  marks: discretion,
}

/** enforcementRules derives every card of one enforcement case. */
export const enforcementRules = allRules(enforcement)

/** limitClock is an enforcement case's clock of `limitDays` calendar days, started by its first `filed`. */
function limitClock(events: readonly TimedEvent[], ctx: RuleContext): { spec: ClockSpec; days: number; filed: TimedEvent } | null {
  const filed = firstOf(events, 'filed')
  if (!filed) return null
  return { spec: { start: filed.t, dayType: 'calendar' }, days: num(filed.ev, 'limitDays', ctx.settings.enforcement.defaultLimitDays), filed }
}

/** enforcementDue gives the instant a filed enforcement case falls due (enforcement.overdue fires here), or null when it has no clock. */
export function enforcementDue(events: readonly TimedEvent[], ctx: RuleContext): number | null {
  const clock = limitClock(events, ctx)
  return clock && instantAfter(clock.spec, clock.days, ctx)
}

function deadlines(events: readonly TimedEvent[], ctx: RuleContext, out: Candidate[]): void {
  const clock = limitClock(events, ctx)
  if (!clock) return
  const { spec, days: n, filed } = clock
  const causes = [filed.ev.id]
  const soon = instantAfter(spec, dueSoonDays(n, ctx.settings.enforcement.dueSoonMarginDays), ctx)
  if (soon !== null && !anyBefore(events, STOPS, soon)) out.push({ rule: 'enforcement.due_soon', level: 'yellow', at: soon, causes })
  const due = instantAfter(spec, n, ctx)
  if (due !== null && !anyBefore(events, STOPS, due)) out.push({ rule: 'enforcement.overdue', level: 'red', at: due, causes })
}

function discretion(events: readonly TimedEvent[], _ctx: RuleContext, out: Candidate[]): void {
  for (const e of events) {
    if (e.ev.type !== 'penalty') continue
    const amount = num(e.ev, 'amount', 0)
    if (amount < num(e.ev, 'min', 0) || amount > num(e.ev, 'max', Infinity)) {
      out.push({ rule: 'enforcement.discretion', level: 'red', at: e.t, causes: [e.ev.id] })
      return
    }
  }
}
