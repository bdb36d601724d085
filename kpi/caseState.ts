/**
 * What the kpi worker keeps of one case (table kpi_cases): its events, each id once in
 * case order, and its cards that stand, keyed by card key. Applying the same event or
 * card twice changes nothing, so a redelivered message is harmless.
 */
import type { CardMessage, TimedEvent } from '../common/contract/index.ts'
import { isPlatformCard, type KpiCard } from './cards.ts'

/** CaseState is one case as the figures read it. */
export interface CaseState {
  events: TimedEvent[]
  cards: Record<string, KpiCard>
}

/** emptyCase is a case with nothing yet. */
export function emptyCase(): CaseState {
  return { events: [], cards: {} }
}

/** addEvent puts an event in its place (by `at`, then arrival); false when its id is already there. */
export function addEvent(s: CaseState, e: TimedEvent): boolean {
  if (s.events.some((x) => x.ev.id === e.ev.id)) return false
  let i = s.events.length
  while (i > 0 && (s.events[i - 1]!.t > e.t || (s.events[i - 1]!.t === e.t && s.events[i - 1]!.seq > e.seq))) i--
  s.events.splice(i, 0, e)
  return true
}

/**
 * applyCard stands a card up, or takes a withdrawn one down (only the card it withdraws:
 * the same key raised at the same instant); the platform's cards count for no one.
 * false when nothing changed.
 */
export function applyCard(s: CaseState, card: CardMessage): boolean {
  if (isPlatformCard(card)) return false
  const t = Date.parse(card.at)
  const had = s.cards[card.key]
  if (card.withdrawn) {
    if (!had || had.t !== t) return false
    delete s.cards[card.key]
    return true
  }
  if (had && had.t === t && had.level === card.level && had.dept === card.dept) return false
  s.cards[card.key] = { rule: card.rule, level: card.level, kind: card.kind, caseId: card.caseId, dept: card.dept, t }
  return true
}
