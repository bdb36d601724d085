/**
 * Decision support (辅助决策): the candidates for process reform over a period, read from
 * the owners of the facts through their faces — the cards from alerts, the suspensions,
 * stops, skipped steps and items from the rules' event store — and merged by
 * reformMerge.ts. Four queries, each over the period's own cards and cases.
 */
import { cardsBetween, type PeriodCard } from '../../../alerts/index.ts'
import type { DecisionSupport } from '../../../common/contract/index.ts'
import type { Queryable } from '../../../common/db/index.ts'
import {
  type CaseRef, caseRefKey, eventsOfTypes, firstAtOrAfter, itemsOf, OVERDUE_STOPS, REFORM_TYPES, type RuleContext, STEP_RULE, stepsOfCard, suspensionsBetween,
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

  // The overdue and step cards' cases: their stops and steps, read in one pass.
  const read = cards.filter((c) => OVERDUE_STOPS.has(c.rule) || c.rule === STEP_RULE)
  const [marks, items] = await Promise.all([eventsOfTypes(db, distinctCases(read), REFORM_TYPES), itemsOf(db, distinctCases([...cards, ...suspensions]))])
  const factOf = (c: PeriodCard): Pick<CardFact, 'overdueDays' | 'steps'> => {
    const ofCase = marks.get(caseRefKey(c.kind, c.caseId)) ?? []
    const stops = OVERDUE_STOPS.get(c.rule)
    if (stops) return { overdueDays: overdueWorkingDays(c.at, firstAtOrAfter(ofCase, c.at, stops), window, ctx.zone, ctx.calendar), steps: [] }
    return { overdueDays: 0, steps: c.rule === STEP_RULE ? stepsOfCard(ofCase, c.causes[0], c.at) : [] }
  }
  const facts: CardFact[] = cards.map((c) => ({ kind: c.kind, caseId: c.caseId, dept: c.dept, rule: c.rule, ...factOf(c) }))
  return { from: period.from, until: period.until, candidates: reformCandidates(facts, suspensions, items) }
}

function distinctCases(list: readonly CaseRef[]): CaseRef[] {
  const seen = new Map<string, CaseRef>()
  for (const c of list) seen.set(caseRefKey(c.kind, c.caseId), { kind: c.kind, caseId: c.caseId })
  return [...seen.values()]
}
