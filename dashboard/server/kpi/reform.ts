/**
 * Decision support (辅助决策): the candidates for process reform over a period, read from
 * the owners of the facts through their faces — the cards from alerts, the suspensions,
 * stops, skipped steps and items from the rules' event store — and merged by
 * reformMerge.ts. Four or five queries, each over the period's own cards and cases.
 */
import { cardsBetween, type PeriodCard } from '../../../alerts/index.ts'
import type { DecisionSupport } from '../../../common/contract/index.ts'
import type { Queryable } from '../../../common/db/index.ts'
import {
  type CaseRef, firstOfTypesAfter, itemsOf, OVERDUE_STOPS, type RuleContext, skippedSteps, STEP_RULE, STEP_TYPES, suspensionsBetween, typesBefore,
} from '../../../rules/index.ts'
import { overdueWorkingDays } from './overdueDays.ts'
import { type CardFact, reformCandidates } from './reformMerge.ts'
import type { ReformPeriod } from './reformPeriod.ts'

/** ReformDeps is what decisionSupport reads with: the database, the rules' zone and calendar, the platform clock. */
export interface ReformDeps {
  db: Queryable
  ctx: RuleContext
  now: () => number
}

/**
 * decisionSupport answers GET /api/v1/kpi/reform for a period: the cards that fired in
 * it and the suspensions that began in it, from 00:00 of `from` to 00:00 after `until`
 * in the platform's zone; overdue days counted through the period's last date, or
 * today when that is earlier.
 */
export async function decisionSupport(deps: ReformDeps, period: ReformPeriod): Promise<DecisionSupport> {
  const { db, ctx } = deps
  const start = ctx.zone.startOf(period.fromDay)
  const end = ctx.zone.startOf(period.untilDay + 1)
  const window = { fromDay: period.fromDay, lastDay: Math.min(period.untilDay, ctx.zone.dayOf(deps.now())) }
  const [cards, suspensions] = await Promise.all([cardsBetween(db, start, end), suspensionsBetween(db, start, end)])

  const overdue = cards.filter((c) => OVERDUE_STOPS[c.rule])
  const stops = await firstOfTypesAfter(db, overdue.map((c) => ({ kind: c.kind, caseId: c.caseId, after: c.at, types: OVERDUE_STOPS[c.rule]! })))
  const days = new Map(overdue.map((c, i) => [c, overdueWorkingDays(c.at, stops[i] ?? null, window, ctx.zone, ctx.calendar)]))

  const stepCards = cards.filter((c) => c.rule === STEP_RULE && c.causes[0] !== undefined)
  const before = await typesBefore(db, stepCards.map((c) => ({ kind: c.kind, caseId: c.caseId, eventId: c.causes[0]!, at: c.at })), STEP_TYPES)
  const steps = new Map(stepCards.map((c, i) => [c, skippedSteps(before[i]!.type, before[i]!.earlier)]))

  const items = await itemsOf(db, distinctCases([...cards, ...suspensions]))
  const facts: CardFact[] = cards.map((c: PeriodCard) => ({
    kind: c.kind, caseId: c.caseId, dept: c.dept, rule: c.rule, overdueDays: days.get(c) ?? 0, steps: steps.get(c) ?? [],
  }))
  return { from: period.from, until: period.until, candidates: reformCandidates(facts, suspensions, items) }
}

function distinctCases(list: readonly CaseRef[]): CaseRef[] {
  const seen = new Map<string, CaseRef>()
  for (const c of list) seen.set(`${c.kind}:${c.caseId}`, { kind: c.kind, caseId: c.caseId })
  return [...seen.values()]
}
