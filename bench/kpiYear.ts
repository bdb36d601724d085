/**
 * The synthetic year of bench:kpi: cases of every kind for many departments, each with
 * a share of late work of its own, so that their ranks differ. Each case comes as the
 * rows the platform would store for it: its events (table events, as the rules worker
 * stores them) and the facts the kpi worker derives from them (kpi/caseFacts over the
 * case's events and the cards its deadlines raise, computed on the rules' own clocks).
 * Workload, on-time and overdue counts and the cards therefore agree case by case.
 * Deterministic (seeded). The cards stand in for the rules engine's: red at the
 * deadline when the act came at or after it, yellow two days before.
 */
import type { CaseEvent, Kind, TimedEvent } from '../common/contract/index.ts'
import { mulberry32 } from '../demo/index.ts'
import { caseFacts, type Fact, type KpiCard } from '../kpi/index.ts'
import { caseContext, enforcementDue, petitionAcceptDue, petitionReplyDue, promisedTerm, type RuleContext, supervisionDue } from '../rules/index.ts'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const OFFSET = 8 * HOUR

/** YEAR_START is where the synthetic year begins: 1 January 2025, Beijing time (a year the shipped calendar covers, wholly past). */
export const YEAR_START = Date.parse('2025-01-01T00:00:00+08:00')

/** BenchCase is one case: its events in case order and the facts it adds. */
export interface BenchCase {
  kind: Kind
  caseId: string
  events: CaseEvent[]
  facts: Fact[]
}

/** KpiYearOptions size the year. */
export interface KpiYearOptions {
  /** about this many events in all (the last case may pass it by a few) */
  events: number
  depts: number
  ctx: RuleContext
  seed?: number
}

/** deptCode names the i-th synthetic department. */
export function deptCode(i: number): string {
  return `d${String(i + 1).padStart(3, '0')}`
}

const iso = (t: number) => new Date(t + OFFSET).toISOString().slice(0, 19) + '+08:00'

/** kpiYear yields the cases of the year one by one, so that a large year never sits in memory whole. */
export function* kpiYear(o: KpiYearOptions): Generator<BenchCase> {
  const r = mulberry32(o.seed ?? 11).next
  // Each department's share of late work, between 2 % and 35 %.
  const lateness = Array.from({ length: o.depts }, () => 0.02 + 0.33 * r())
  let events = 0
  let n = 0
  let id = 0
  while (events < o.events) {
    const d = n % o.depts
    const dept = deptCode(d)
    const late = () => r() < lateness[d]!
    // Office hours of a day of the year.
    const t0 = YEAR_START + Math.floor(r() * 365) * DAY + (9 + r() * 8) * HOUR
    const k = r()
    const kind: Kind = k < 0.6 ? 'approval' : k < 0.75 ? 'enforcement' : k < 0.9 ? 'petition' : 'supervision'
    const caseId = `${kind[0]!.toUpperCase()}-${n}`
    const evs: CaseEvent[] = []
    const push = (type: string, t: number, attrs?: Record<string, unknown>) =>
      evs.push({ id: `k${id++}`, source: 'bench', kind, type, caseId, dept, at: iso(Math.round(t)), ...(attrs ? { attrs } : {}) })
    const plan = PLANS[kind]
    plan(push, t0, late, r)
    const timed: TimedEvent[] = evs.map((ev, i) => ({ ev, t: Date.parse(ev.at), seq: i + 1 }))
    const cards = cardsOf(kind, caseId, dept, timed, caseContext(o.ctx, timed))
    events += evs.length
    n++
    yield { kind, caseId, events: evs, facts: caseFacts(timed, cards, o.ctx) }
  }
}

type Push = (type: string, t: number, attrs?: Record<string, unknown>) => void
type Plan = (push: Push, t0: number, late: () => boolean, r: () => number) => void

const PLANS: Record<Kind, Plan> = {
  approval(push, t0, late, r) {
    const promised = 3 + Math.floor(r() * 18)
    push('submitted', t0, { itemCode: 'BK-001' })
    const acc = t0 + (1 + r() * 3) * HOUR
    push('accepted', acc, { itemCode: 'BK-001', itemName: '经营许可', promisedDays: promised, legalDays: 20 + promised })
    // Working days are about 7/5 calendar days; a late case runs well past its term.
    const done = acc + Math.max(2 * HOUR, (late() ? promised * 1.4 + 1 + r() * 10 : r() * promised * 1.3) * DAY)
    push('decided', done - HOUR, { decision: r() < 0.9 ? 'approve' : 'deny' })
    push('completed', done)
    if (r() < 0.4) push('evaluated', done + DAY, { score: late() ? 1 + Math.floor(r() * 2) : 3 + Math.floor(r() * 3) })
  },
  enforcement(push, t0, late, r) {
    const limit = [30, 60, 90][Math.floor(r() * 3)]!
    push('filed', t0, { limitDays: limit })
    const decided = t0 + (late() ? limit * 1.6 + r() * 20 : 1 + r() * limit * 1.1) * DAY
    if (r() < 0.6) {
      push('penalty', decided, { amount: 1000 + Math.floor(r() * 99_000), min: 1000, max: 100_000 })
      push('concluded', decided + 5 * DAY)
    } else push('concluded', decided)
  },
  petition(push, t0, late, r) {
    push('registered', t0, { petitionerId: `bp-${Math.floor(r() * 1e9)}`, subject: '拖欠工资' })
    const acc = t0 + (late() ? 16 + r() * 14 : 1 + r() * 12) * DAY
    push('accepted', acc)
    const replied = acc + (late() ? 65 + r() * 25 : 10 + r() * 45) * DAY
    push('replied', replied)
    push('evaluated', replied + 3 * DAY, { satisfied: !late() })
  },
  supervision(push, t0, late, r) {
    const days = 20 + Math.floor(r() * 40)
    push('assigned', t0, { title: '老旧小区改造', dueAt: new Date(t0 + days * DAY).toISOString() })
    push('progress', t0 + (days / 2) * DAY, { percent: 50 })
    push('completed', t0 + (late() ? days + 1 + r() * 20 : r() * days) * DAY)
  },
}

/** cardsOf gives the cards a case's deadlines raise: red at a deadline the act came at or after, and for approvals yellow two days before. */
function cardsOf(kind: Kind, caseId: string, dept: string, events: readonly TimedEvent[], ctx: RuleContext): KpiCard[] {
  const out: KpiCard[] = []
  const at = (type: string) => events.find((e) => e.ev.type === type)?.t ?? null
  const card = (rule: string, level: KpiCard['level'], t: number) => out.push({ rule, level, kind, caseId, dept, t })
  const missed = (rule: string, act: number | null, due: number | null) => {
    if (act !== null && due !== null && act >= due) card(rule, 'red', due)
  }
  if (kind === 'approval') {
    const due = promisedTerm(events, ctx)?.due ?? null
    const decided = at('decided')
    if (due !== null && decided !== null && decided >= due - 2 * DAY) card('approval.due_soon', 'yellow', due - 2 * DAY)
    missed('approval.overdue', decided, due)
  } else if (kind === 'enforcement') missed('enforcement.overdue', events[1]?.t ?? null, enforcementDue(events, ctx))
  else if (kind === 'petition') {
    missed('petition.accept_overdue', at('accepted'), petitionAcceptDue(events, ctx))
    missed('petition.reply_overdue', at('replied'), petitionReplyDue(events, ctx))
  } else missed('supervision.overdue', at('completed'), supervisionDue(events))
  return out
}
