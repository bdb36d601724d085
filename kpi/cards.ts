/**
 * The cards that count against a department (kpi.md §2, cards.yellow and cards.red):
 * those the rules raised and inspectors' flags (主动巡检), less the ones withdrawn, and
 * never the platform's own (数据中断 source.silent, calendar.uncovered).
 */
import type { Kind, Level } from '../common/contract/index.ts'
import type { Fire } from '../rules/index.ts'

/** KpiCard is one card as the figures read it: whose case, which level, the instant it fired. */
export interface KpiCard {
  rule: string
  level: Level
  /** null for a card that is no case's (the platform's) */
  kind: Kind | null
  caseId: string
  dept: string
  /** the instant it fired, epoch ms */
  t: number
}

/** Rules of the platform's own cards: a source fell silent, the calendar lacks a year. */
const PLATFORM_RULES: ReadonlySet<string> = new Set(['source.silent', 'calendar.uncovered'])

/** isPlatformCard tells the platform's own cards, which count against no department. */
export function isPlatformCard(card: Pick<KpiCard, 'rule' | 'kind'>): boolean {
  return card.kind === null || PLATFORM_RULES.has(card.rule)
}

/**
 * standingCards folds the engine's fires, in the order they came, into the cards that
 * stand: a withdrawal takes back the card of the same key raised before it, and a card
 * raised again after that stands again. The platform's cards are left out.
 */
export function standingCards(fires: readonly Fire[]): KpiCard[] {
  const byKey = new Map<string, KpiCard>()
  for (const f of fires) {
    const a = f.alert
    if (f.withdrawn) {
      byKey.delete(a.key)
      continue
    }
    if (isPlatformCard(a)) continue
    byKey.set(a.key, { rule: a.rule, level: a.level, kind: a.kind, caseId: a.caseId, dept: a.dept, t: f.t })
  }
  return [...byKey.values()]
}
